"""A real HTTP server on 127.0.0.1 for tests that fetch: fixture files and programmable routes.

    with LoopbackHTTPServer() as server:
        server.mount("/firebase", FIXTURES / "firebase")          # files by path
        server.route("/missing", Reply(404))                       # a fixed reply
        server.route("/flaky", Reply(503), Reply(503), Reply.json({"ok": True}))
        server.route("/slow", Reply(200, body=b"late", delay=2.0))  # a timeout
        server.route("/echo", lambda request: Reply(body=request.path.encode()))
        fetcher.get(server.url("/flaky"))
        assert [r.path for r in server.requests] == ["/flaky"] * 3

A route given several replies serves them in order and repeats the last one, which is
how "fails N times, then succeeds" is written. The server binds port 0, runs in a
daemon thread, and logs every request it saw in `server.requests`.
"""

from __future__ import annotations

import json
import mimetypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Request:
    """What the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


@dataclass(frozen=True)
class Reply:
    """What the server sends back.

    `delay` waits before the status line (a slow server); `drop` closes the connection
    without any response; `content_length=False` omits the header so the body ends at
    connection close; `chunk_size`/`chunk_delay` trickle the body.
    """

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/plain; charset=utf-8"
    delay: float = 0.0
    drop: bool = False
    content_length: bool = True
    chunk_size: int = 0
    chunk_delay: float = 0.0

    @classmethod
    def json(cls, obj: Any, status: int = 200, **kwargs: Any) -> Reply:
        return cls(status, json.dumps(obj).encode(), content_type="application/json", **kwargs)

    @classmethod
    def file(cls, path: Path, content_type: str | None = None, **kwargs: Any) -> Reply:
        guessed = content_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return cls(200, path.read_bytes(), content_type=guessed, **kwargs)

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Reply:
        return cls(status, headers={"Location": location}, content_type=None)


Handler = Callable[[Request], Reply]
RouteTarget = Reply | Handler


class _Route:
    def __init__(self, targets: tuple[RouteTarget, ...]) -> None:
        self._targets = list(targets)
        self._lock = threading.Lock()

    def next(self, request: Request) -> Reply:
        with self._lock:
            target = self._targets.pop(0) if len(self._targets) > 1 else self._targets[0]
        return target(request) if callable(target) else target


class LoopbackHTTPServer:
    """A ThreadingHTTPServer on 127.0.0.1:0 serving routes and mounted fixture folders."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._routes: dict[str, _Route] = {}
        self._mounts: list[tuple[str, Path, str | None]] = []
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _make_handler(self))
        self._thread = threading.Thread(target=self._serve, name="loopback-http", daemon=True)

    # lifetime

    def _serve(self) -> None:
        # A short poll interval keeps stop() (and so each test's teardown) fast.
        self._httpd.serve_forever(poll_interval=0.02)

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # configuration

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def route(self, path: str, *targets: RouteTarget) -> None:
        """Serve `path` (query ignored) with the targets in order, then the last one forever."""
        if not targets:
            raise ValueError("route() needs at least one Reply or handler")
        self._routes[path] = _Route(targets)

    def mount(self, prefix: str, directory: Path, content_type: str | None = None) -> None:
        """Serve files under `directory` at `prefix/relative/path` (404 when absent)."""
        self._mounts.append((prefix.rstrip("/"), directory.resolve(), content_type))

    def paths(self) -> list[str]:
        """Paths requested so far, in order."""
        with self._lock:
            return [r.path for r in self.requests]

    # serving

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _reply_for(self, request: Request) -> Reply:
        route = self._routes.get(request.path)
        if route is not None:
            return route.next(request)
        for prefix, directory, content_type in self._mounts:
            if request.path.startswith(prefix + "/"):
                candidate = (directory / request.path[len(prefix) + 1 :]).resolve()
                if candidate.is_relative_to(directory) and candidate.is_file():
                    return Reply.file(candidate, content_type)
        return Reply(404, b"not found")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a handler still sleeping for a timeout test must not delay stop()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out close the socket mid-reply; that is the point of the test.
        pass


def _make_handler(server: LoopbackHTTPServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            request = Request(
                method="GET",
                path=parts.path,
                query=parse_qs(parts.query),
                headers={k.lower(): v for k, v in self.headers.items()},
            )
            server._record(request)
            reply = server._reply_for(request)
            if reply.delay:
                time.sleep(reply.delay)
            if reply.drop:
                self.close_connection = True
                return
            self.send_response(reply.status)
            if reply.content_type:
                self.send_header("Content-Type", reply.content_type)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.content_length:
                self.send_header("Content-Length", str(len(reply.body)))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            step = reply.chunk_size or len(reply.body) or 1
            for start in range(0, len(reply.body), step):
                self.wfile.write(reply.body[start : start + step])
                self.wfile.flush()
                if reply.chunk_delay:
                    time.sleep(reply.chunk_delay)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return _Handler
