"""Start, stop and report the local services: embedded Neo4j, redis-server, the Celery
worker and the web server, as background processes with pid files under the state folder.

This is the embedded default for machines without Docker. When `NEO4J_URI` (or
`REDIS_URL`) is set, that service is external: nothing local is started for it and the
same code talks to it. Readiness is checked the way clients use the services: the Neo4j
driver's connectivity check, a Redis PING, a Celery ping, an HTTP GET.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from workers.errors import ConfigurationError
from workers.settings import PROJECT_ROOT, Settings

LAUNCHER_DIR = PROJECT_ROOT / "neo4j-launcher"
LAUNCHER_MAIN = "dev.claimgraph.launcher.EmbeddedNeo4j"
# The flags the Neo4j server's own neo4j.conf passes to the JVM; without the java.nio
# one, vector index population has been seen to stall.
NEO4J_JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--enable-native-access=ALL-UNNAMED",
    "-XX:+UseG1GC",
)
SERVICE_NAMES = ("neo4j", "redis", "worker", "web")


@dataclass(frozen=True)
class ServiceStatus:
    name: str
    state: str  # running | stopped | external
    pid: int | None
    detail: str


class LocalServices:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.state_dir = settings.state_dir
        self.pid_dir = self.state_dir / "pids"
        self.log_dir = self.state_dir / "logs"

    # --- pid files ----------------------------------------------------------------

    def _pid_file(self, name: str) -> Path:
        return self.pid_dir / f"{name}.pid"

    def pid(self, name: str) -> int | None:
        try:
            pid = int(self._pid_file(name).read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if _alive(pid) else None

    def _spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> int:
        self.pid_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_file = open(self.log_dir / f"{name}.log", "ab")
        process = subprocess.Popen(
            argv,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=PROJECT_ROOT,
            env=env,
            start_new_session=True,
        )
        log_file.close()
        self._pid_file(name).write_text(str(process.pid))
        return process.pid

    def _log_tail(self, name: str, lines: int = 30) -> str:
        path = self.log_dir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    # --- start --------------------------------------------------------------------

    def start_all(self, *, web: bool = True) -> None:
        self.start_neo4j()
        self.start_redis()
        self.start_worker()
        if web:
            self.start_web()

    def start_neo4j(self, timeout: float = 180.0) -> None:
        if self.settings.external_neo4j or self.pid("neo4j"):
            self._wait(lambda: _neo4j_ready(self.settings), "neo4j", timeout)
            return
        classes = LAUNCHER_DIR / "target" / "classes"
        lib = LAUNCHER_DIR / "target" / "lib"
        if not classes.is_dir() or not lib.is_dir():
            raise ConfigurationError(
                f"the Neo4j launcher is not built ({classes} missing): run `make setup` first"
            )
        home = self.state_dir / "neo4j"
        home.mkdir(parents=True, exist_ok=True)
        argv = [
            "java",
            f"-Xmx{self.settings.neo4j_heap}",
            *NEO4J_JVM_FLAGS,
            "-cp",
            f"{classes}{os.pathsep}{lib}/*",
            LAUNCHER_MAIN,
            "--home",
            str(home),
            "--port",
            str(self.settings.neo4j_port),
        ]
        self._spawn("neo4j", argv)
        self._wait(lambda: _neo4j_ready(self.settings), "neo4j", timeout)

    def start_redis(self, timeout: float = 30.0) -> None:
        if self.settings.external_redis or self.pid("redis"):
            self._wait(lambda: _redis_ready(self.settings.redis_url), "redis", timeout)
            return
        redis_dir = self.state_dir / "redis"
        redis_dir.mkdir(parents=True, exist_ok=True)
        argv = [
            _find_executable("redis-server", "apt-get install redis-server (make setup does this)"),
            "--port", str(self.settings.redis_port),
            "--bind", "127.0.0.1",
            "--dir", str(redis_dir),
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
        ]
        self._spawn("redis", argv)
        self._wait(lambda: _redis_ready(self.settings.redis_url), "redis", timeout)

    def start_worker(self, timeout: float = 180.0) -> None:
        if not self.pid("worker"):
            argv = [
                sys.executable, "-m", "celery", "-A", "service.celery_worker", "worker",
                "--loglevel=INFO", "--pool=solo", "--without-gossip", "--without-mingle",
                "--hostname", f"claimgraph-{self.settings.redis_port}@%h",
            ]
            self._spawn("worker", argv, env=self._child_env())
        self._wait(self._worker_ready, "worker", timeout)

    def start_web(self, timeout: float = 60.0) -> None:
        if not self.pid("web"):
            argv = [
                sys.executable, "-m", "gunicorn", "service.wsgi:app",
                "--bind", f"127.0.0.1:{self.settings.web_port}",
                "--workers", "1", "--threads", "4", "--timeout", "120",
            ]
            self._spawn("web", argv, env=self._child_env())
        self._wait(lambda: _http_ready(f"{self.web_url}/api/v1/health"), "web", timeout)

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.web_port}"

    def _child_env(self) -> dict[str, str]:
        env = dict(os.environ)
        # Children must find the same services whatever their own defaults are.
        if self.settings.external_neo4j:
            env["NEO4J_URI"] = self.settings.neo4j_uri
        if self.settings.external_redis:
            env["REDIS_URL"] = self.settings.redis_url
        env["CLAIMGRAPH_NEO4J_PORT"] = str(self.settings.neo4j_port)
        env["CLAIMGRAPH_REDIS_PORT"] = str(self.settings.redis_port)
        env["CLAIMGRAPH_STATE_DIR"] = str(self.state_dir)
        env["CLAIMGRAPH_ENCODER"] = self.settings.encoder
        if self.settings.allowed_hosts:
            env["CLAIMGRAPH_ALLOWED_HOSTS"] = ",".join(self.settings.allowed_hosts)
        return env

    def _worker_ready(self) -> bool:
        from celery import Celery

        probe = Celery(broker=self.settings.redis_url, backend=self.settings.redis_url)
        try:
            replies = probe.control.ping(timeout=1.0)
        except Exception:  # broker not answering yet
            return False
        finally:
            probe.close()
        return any(f"claimgraph-{self.settings.redis_port}@" in name for reply in replies for name in reply)

    def _wait(self, ready: Callable[[], bool], name: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready():
                return
            pid_path = self._pid_file(name)
            if pid_path.exists() and self.pid(name) is None:
                raise ConfigurationError(f"{name} exited during start-up:\n{self._log_tail(name)}")
            time.sleep(0.5)
        raise ConfigurationError(f"{name} not ready after {timeout:.0f}s:\n{self._log_tail(name)}")

    # --- stop and status ----------------------------------------------------------

    def stop_all(self) -> None:
        for name in reversed(SERVICE_NAMES):
            self.stop(name)

    def stop(self, name: str, timeout: float = 60.0) -> None:
        pid = self.pid(name)
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        self._pid_file(name).unlink(missing_ok=True)

    def status(self) -> list[ServiceStatus]:
        result = []
        for name in SERVICE_NAMES:
            external = (name == "neo4j" and self.settings.external_neo4j) or (
                name == "redis" and self.settings.external_redis
            )
            if external:
                target = self.settings.neo4j_uri if name == "neo4j" else self.settings.redis_url
                ok = _neo4j_ready(self.settings) if name == "neo4j" else _redis_ready(self.settings.redis_url)
                result.append(ServiceStatus(name, "external" if ok else "stopped", None, target))
                continue
            pid = self.pid(name)
            detail = {
                "neo4j": self.settings.neo4j_uri,
                "redis": self.settings.redis_url,
                "worker": "celery, pool=solo",
                "web": self.web_url,
            }[name]
            result.append(ServiceStatus(name, "running" if pid else "stopped", pid, detail))
        return result


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours counts as dead.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def _find_executable(name: str, hint: str) -> str:
    for folder in os.environ.get("PATH", "").split(os.pathsep) + ["/usr/bin", "/usr/sbin"]:
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise ConfigurationError(f"{name} not found: {hint}")


def _neo4j_ready(settings: Settings) -> bool:
    from graph_schema import create_driver

    driver = create_driver(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password)
    try:
        driver.verify_connectivity()
        return True
    except Exception:  # not up yet: any driver error means "try again"
        return False
    finally:
        driver.close()


def _redis_ready(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def _http_ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
            return bool(response.status == 200)
    except OSError:
        return False
