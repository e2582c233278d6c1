"""Fetching: turn a source reference (URL, `hn:N`, file path) into parsed Documents.

`HttpFetcher` is the only way claimgraph talks HTTP. It is created once per process
and passed down; it wraps one `httpx.Client` and adds what a crawler of untrusted URLs
needs: an SSRF guard checked on every hop, a bounded number of redirects, a size limit
enforced while streaming, content-type checks, retries with backoff (honouring
`Retry-After`) and error messages that say what went wrong with which URL.

`load_source` dispatches a reference to the right fetch + parse path:

    file path                          -> parse_bytes(data, name=path)
    hn:N / news.ycombinator.com/item   -> Algolia items API (one request for the thread),
                                          falling back to the Firebase API item by item
    any other http(s) URL              -> parse_bytes(content, content_type, url);
                                          feed entries with a link are replaced by the
                                          fetched article when that fetch succeeds

`workers.parse` is imported inside the functions that parse, so that the fetcher alone
does not load the parsers' libraries.

The guard resolves the host before connecting; the connection itself resolves again,
so a DNS answer that changes between the two (rebinding) is not covered.
"""

from __future__ import annotations

import email.utils
import fnmatch
import ipaddress
import json
import logging
import re
import socket
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

import httpx

from workers.documents import Document
from workers.errors import BlockedURLError, FetchError, ParseError, SourceError
from workers.settings import Settings

log = logging.getLogger(__name__)

USER_AGENT = "claimgraph/0.1 (+https://github.com/claimgraph)"
MAX_REDIRECTS = 5
MAX_ATTEMPTS = 3
BACKOFF_BASE_SECONDS = 0.5
MAX_RETRY_WAIT_SECONDS = 30.0
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HN_MAX_ITEMS = 5000
HN_MAX_WORKERS = 8
FEED_ENTRY_WORKERS = 4

JSON_TYPES: tuple[str, ...] = ("application/json", "application/*+json", "text/json", "text/plain")
SOURCE_TYPES: tuple[str, ...] = (
    "text/html",
    "application/xhtml+xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "text/plain",
    "text/markdown",
    "application/json",
)

_HN_URL_HOSTS = frozenset({"news.ycombinator.com", "www.news.ycombinator.com"})
_HN_REF = re.compile(r"hn:(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class FetchedResponse:
    """A successful response: the final URL after redirects and the whole body."""

    url: str
    status: int
    content_type: str
    content: bytes

    @property
    def media_type(self) -> str:
        """`content_type` without parameters, lower case (`text/html`)."""
        return _media_type(self.content_type)


# --- SSRF guard ---------------------------------------------------------------------


def _address_class(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Name the reason an address must not be fetched, or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        mapped = _address_class(ip.ipv4_mapped)
        return f"IPv4-mapped {mapped}" if mapped else None
    # Order matters: 127.0.0.1 and 169.254.x are also "private" to the ipaddress module,
    # and the more specific name is the useful one in an error message.
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("site-local", isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local),
        ("non-global", not ip.is_global),
    )
    for name, hit in checks:
        if hit:
            return name
    return None


def guard_url(url: str, *, allowed_hosts: Iterable[str]) -> None:
    """Refuse URLs that are not http(s) or whose host resolves to a non-public address.

    Every address the host resolves to is checked, so a name with one public and one
    private address is refused. Hosts in `allowed_hosts` skip the address check.
    Raises BlockedURLError (refusals) or FetchError (unresolvable host, bad URL).
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise FetchError(f"GET {url}: invalid URL: {e}") from e
    if parts.scheme not in ("http", "https"):
        raise BlockedURLError(
            f"GET {url}: scheme {parts.scheme or '(none)'!r} is not allowed, only http/https"
        )
    host = (parts.hostname or "").lower()
    if not host:
        raise FetchError(f"GET {url}: URL has no host")
    if host in {h.lower() for h in allowed_hosts}:
        return
    try:
        infos = socket.getaddrinfo(
            host, port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM
        )
    except (socket.gaierror, UnicodeError) as e:
        raise FetchError(f"GET {url}: cannot resolve host {host!r}: {e}") from e
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 scope id
        try:
            ip = ipaddress.ip_address(address)
        except ValueError as e:
            raise BlockedURLError(
                f"GET {url}: host {host!r} resolves to unparseable address {address!r}"
            ) from e
        reason = _address_class(ip)
        if reason:
            article = "an" if reason[0] in "aeiouAEIOU" else "a"
            raise BlockedURLError(
                f"GET {url}: host {host!r} resolves to {address}, {article} {reason} address"
            )


# --- the fetcher --------------------------------------------------------------------


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _accepts(content_type: str, accept: tuple[str, ...]) -> bool:
    media = _media_type(content_type)
    # A missing Content-Type is let through: the parsers sniff the bytes.
    return not media or any(fnmatch.fnmatchcase(media, pattern.lower()) for pattern in accept)


def _retry_after_seconds(value: str | None, now: Callable[[], datetime]) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now()).total_seconds())


class _Retry(Exception):
    """Internal: an attempt failed in a way worth retrying."""

    def __init__(self, error: FetchError, wait: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait


class HttpFetcher:
    """One HTTP client per process, with the limits claimgraph applies to every fetch.

    `sleep` is what waits between retries (tests pass a recorder). `transport` is
    handed to the httpx.Client the fetcher creates; a `client` passed in is used as it
    is (timeout, User-Agent and redirect handling are still set per request) and is
    left open by `close()`, since its creator owns it.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = MAX_ATTEMPTS,
        max_redirects: int = MAX_REDIRECTS,
        max_retry_wait: float = MAX_RETRY_WAIT_SECONDS,
        backoff_base: float = BACKOFF_BASE_SECONDS,
    ) -> None:
        self.timeout = settings.http_timeout
        self.max_bytes = settings.http_max_bytes
        self.allowed_hosts = tuple(h.lower() for h in settings.allowed_hosts)
        self.max_attempts = max(1, max_attempts)
        self.max_redirects = max_redirects
        self.max_retry_wait = max_retry_wait
        self.backoff_base = backoff_base
        self._sleep = sleep
        self._owns_client = client is None
        self._client = client or httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(settings.http_timeout),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
            trust_env=False,  # a proxy from the environment would bypass the guard's view of the host
        )

    # context manager / lifetime

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # public API

    def get(self, url: str, *, accept: tuple[str, ...] | None = None) -> FetchedResponse:
        """GET `url`, following up to `max_redirects` redirects, retrying transient failures.

        `accept` lists acceptable media types (`fnmatch` patterns such as `text/*`);
        None accepts anything, and so does a response without a Content-Type (the
        parsers sniff). 429 and 5xx responses and connection failures are retried up
        to `max_attempts` times; timeouts are not (a slow server stays slow).
        Raises FetchError (or BlockedURLError) naming the URL that was asked for.
        """
        attempt = 1
        while True:
            try:
                return self._follow(url, accept)
            except _Retry as retry:
                if attempt >= self.max_attempts:
                    raise FetchError(f"{retry.error} (after {attempt} attempts)") from retry.error.__cause__
                wait = retry.wait if retry.wait is not None else self.backoff_base * 2 ** (attempt - 1)
                wait = min(max(wait, 0.0), self.max_retry_wait)
                log.info("retrying %s in %.1fs: %s", url, wait, retry.error)
                self._sleep(wait)
                attempt += 1

    def get_json(self, url: str, *, accept: tuple[str, ...] = JSON_TYPES) -> Any:
        """GET `url` and decode its JSON body (ParseError when it is not JSON)."""
        response = self.get(url, accept=accept)
        try:
            return json.loads(response.content)
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ParseError(f"GET {url}: response is not JSON: {e}") from e

    # internals

    def _follow(self, url: str, accept: tuple[str, ...] | None) -> FetchedResponse:
        current = url
        for _hop in range(self.max_redirects + 1):
            guard_url(current, allowed_hosts=self.allowed_hosts)
            location, fetched = self._request(url, current, accept)
            if fetched is not None:
                return fetched
            assert location is not None
            current = location
        raise FetchError(f"GET {url}: too many redirects (more than {self.max_redirects})")

    def _request(
        self, original: str, url: str, accept: tuple[str, ...] | None
    ) -> tuple[str | None, FetchedResponse | None]:
        """One request: returns (redirect target, None) or (None, response)."""
        label = f"GET {original}" if original == url else f"GET {original} (redirected to {url})"
        started = time.monotonic()
        try:
            with self._client.stream(
                "GET",
                url,
                headers={"User-Agent": USER_AGENT},
                timeout=httpx.Timeout(self.timeout),
                follow_redirects=False,  # the guard must see every hop
            ) as response:
                status = response.status_code
                if status in REDIRECT_STATUSES:
                    target = response.headers.get("location")
                    if not target:
                        raise FetchError(f"{label}: HTTP {status} redirect without a Location header")
                    return str(response.url.join(target)), None
                if status == 429 or status >= 500:
                    wait = _retry_after_seconds(response.headers.get("retry-after"), _utcnow)
                    raise _Retry(FetchError(f"{label}: HTTP {status} {response.reason_phrase}"), wait)
                if not 200 <= status < 300:
                    raise FetchError(f"{label}: HTTP {status} {response.reason_phrase}")
                content_type = response.headers.get("content-type", "")
                if accept is not None and not _accepts(content_type, accept):
                    raise FetchError(
                        f"{label}: content type {_media_type(content_type)!r} is not one of {', '.join(accept)}"
                    )
                content = self._read_limited(response, label, started)
                return None, FetchedResponse(str(response.url), status, content_type, content)
        except httpx.TimeoutException as e:
            raise FetchError(f"{label}: timed out after {self.timeout:g}s") from e
        except httpx.TransportError as e:
            # Connection refused/reset, server hung up: worth another attempt.
            error = FetchError(f"{label}: connection failed: {str(e) or type(e).__name__}")
            error.__cause__ = e
            raise _Retry(error) from e
        except (httpx.HTTPError, httpx.InvalidURL) as e:
            raise FetchError(f"{label}: {str(e) or type(e).__name__}") from e

    def _read_limited(self, response: httpx.Response, label: str, started: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"{label}: response larger than {self.max_bytes} bytes")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"{label}: response larger than {self.max_bytes} bytes")
            # httpx's read timeout is per read; this bounds a server that trickles bytes.
            if time.monotonic() - started > self.timeout:
                raise FetchError(f"{label}: timed out after {self.timeout:g}s")
            chunks.append(chunk)
        return b"".join(chunks)


def _utcnow() -> datetime:
    return datetime.now(UTC)


# --- source references --------------------------------------------------------------


def is_url(ref: str) -> bool:
    """True when `ref` is an absolute http(s) URL."""
    parts = urlsplit(ref.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def hn_item_id(ref: str) -> int | None:
    """The HN item id of `hn:N` or `https://news.ycombinator.com/item?id=N`, else None."""
    ref = ref.strip()
    match = _HN_REF.fullmatch(ref)
    if match:
        return int(match.group(1))
    if not is_url(ref):
        return None
    parts = urlsplit(ref)
    if (parts.hostname or "").lower() not in _HN_URL_HOSTS or parts.path != "/item":
        return None
    ids = parse_qs(parts.query).get("id", [])
    return int(ids[0]) if ids and ids[0].isdigit() else None


def load_source(
    ref: str, *, fetcher: HttpFetcher, settings: Settings, allow_files: bool = True
) -> list[Document]:
    """Fetch (or read) a source reference and parse it into Documents.

    `allow_files=False` refuses local paths: for references that come from users of
    the web API rather than from the operator's command line.
    Raises SourceError: FetchError/BlockedURLError for network refusals and failures,
    ParseError for content no parser accepts, SourceError for a reference that is
    neither a URL, an `hn:N` reference nor an existing file.
    """
    item_id = hn_item_id(ref)
    if item_id is not None:
        return load_hn_thread(item_id, fetcher=fetcher, settings=settings)
    if is_url(ref):
        documents = _load_url(ref.strip(), fetcher=fetcher)
        return _expand_feed_entries(documents, fetcher=fetcher, settings=settings)
    if "://" in ref:
        raise SourceError(f"unsupported URL scheme in {ref!r}: only http and https are fetched")
    if not allow_files:
        raise SourceError(
            f"{ref!r} is not an http(s) URL or hn:N reference (local files are not accepted here)"
        )
    return _load_file(Path(ref))


def _load_file(path: Path) -> list[Document]:
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise SourceError(f"{path}: no such file (and not a URL or hn:N reference)") from e
    except IsADirectoryError as e:
        raise SourceError(f"{path}: is a directory, not a file") from e
    except OSError as e:
        raise SourceError(f"{path}: cannot read: {e.strerror or e}") from e
    from workers.parse import parse_bytes

    return list(parse_bytes(data, name=str(path)))


def _load_url(url: str, *, fetcher: HttpFetcher) -> list[Document]:
    response = fetcher.get(url, accept=SOURCE_TYPES)
    from workers.parse import parse_bytes

    return list(parse_bytes(response.content, content_type=response.content_type, url=response.url))


def _expand_feed_entries(
    documents: list[Document], *, fetcher: HttpFetcher, settings: Settings
) -> list[Document]:
    """Replace each feed entry that links to an article by the fetched article."""
    indexed = [(i, doc) for i, doc in enumerate(documents) if doc.metadata.get("feed_entry_link")]
    if not indexed:
        return documents

    def fetch_entry(doc: Document) -> list[Document] | None:
        link = doc.metadata["feed_entry_link"]
        try:
            item_id = hn_item_id(link)
            if item_id is not None:
                fetched = load_hn_thread(item_id, fetcher=fetcher, settings=settings)
            else:
                fetched = _load_url(link, fetcher=fetcher)
        except SourceError as e:
            log.warning("keeping the feed entry for %s: %s", link, e)
            return None
        return [_merge_entry(doc, one) for one in fetched] or None

    with ThreadPoolExecutor(max_workers=min(FEED_ENTRY_WORKERS, len(indexed))) as pool:
        results = dict(zip((i for i, _ in indexed), pool.map(fetch_entry, (doc for _, doc in indexed))))
    expanded: list[Document] = []
    for i, doc in enumerate(documents):
        replacement = results.get(i)
        expanded.extend(replacement if replacement else [doc])
    return expanded


def _merge_entry(entry: Document, fetched: Document) -> Document:
    """The fetched article, with what only the feed knew (date, author, title) filled in."""
    metadata = {**fetched.metadata}
    for key in ("feed_url", "feed_title"):
        if key in entry.metadata:
            metadata.setdefault(key, entry.metadata[key])
    metadata.setdefault("feed_entry_link", entry.metadata["feed_entry_link"])
    return replace(
        fetched,
        title=fetched.title or entry.title,
        author=fetched.author or entry.author,
        published_at=fetched.published_at or entry.published_at,
        metadata=metadata,
    )


# --- Hacker News --------------------------------------------------------------------


def load_hn_thread(item_id: int, *, fetcher: HttpFetcher, settings: Settings) -> list[Document]:
    """One HN thread as Documents: Algolia in one request, else Firebase item by item."""
    from workers.parse import hn_json

    algolia_url = f"{settings.hn_algolia_url}/items/{item_id}"
    try:
        obj = fetcher.get_json(algolia_url)
    except BlockedURLError:
        raise
    except FetchError as e:
        log.warning("HN Algolia failed for item %d, using the Firebase API: %s", item_id, e)
        items = fetch_firebase_thread(item_id, fetcher=fetcher, settings=settings)
        return _as_documents(hn_json.parse_firebase_items(items))
    if not isinstance(obj, dict):
        raise ParseError(f"GET {algolia_url}: expected a JSON object, got {type(obj).__name__}")
    return _as_documents(hn_json.parse_algolia_item(obj))


def _as_documents(parsed: Document | Iterable[Document]) -> list[Document]:
    return [parsed] if isinstance(parsed, Document) else list(parsed)


def fetch_firebase_thread(
    item_id: int,
    *,
    fetcher: HttpFetcher,
    settings: Settings,
    max_items: int = HN_MAX_ITEMS,
    max_workers: int = HN_MAX_WORKERS,
) -> list[dict[str, Any]]:
    """The item and all its descendants from the HN Firebase API, breadth first.

    Each level of replies is fetched by a bounded thread pool. A reply that cannot be
    fetched is skipped (with a warning) rather than failing the whole thread; the root
    item must be fetched. Stops at `max_items` items.
    """
    base = settings.hn_firebase_url

    def fetch_item(kid: int) -> dict[str, Any] | None:
        try:
            obj = fetcher.get_json(f"{base}/item/{kid}.json")
        except SourceError as e:
            log.warning("skipping HN item %d: %s", kid, e)
            return None
        return obj if isinstance(obj, dict) else None

    root_url = f"{base}/item/{item_id}.json"
    root = fetcher.get_json(root_url)
    if not isinstance(root, dict):
        raise FetchError(f"GET {root_url}: HN item {item_id} not found")
    items: list[dict[str, Any]] = [root]
    frontier = _kid_ids(root)
    with ThreadPoolExecutor(max_workers=max(1, max_workers)) as pool:
        while frontier and len(items) < max_items:
            level, frontier = frontier[: max_items - len(items)], frontier[max_items - len(items) :]
            for item in pool.map(fetch_item, level):
                if item is not None:
                    items.append(item)
                    frontier.extend(_kid_ids(item))
    if frontier:
        log.warning("HN item %d: thread truncated at %d items", item_id, max_items)
    return items


def _kid_ids(item: dict[str, Any]) -> list[int]:
    kids = item.get("kids") or []
    return [kid for kid in kids if isinstance(kid, int)]
