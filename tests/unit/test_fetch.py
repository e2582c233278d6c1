"""HttpFetcher, the SSRF guard and load_source, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import email.utils
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.http_server import LoopbackHTTPServer, Reply
from workers.documents import Document, SourceKind
from workers.errors import BlockedURLError, FetchError, ParseError, SourceError
from workers.fetch import (
    USER_AGENT,
    FetchedResponse,
    HttpFetcher,
    fetch_firebase_thread,
    guard_url,
    hn_item_id,
    is_url,
    load_source,
)
from workers.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "http"
THREAD_ID = 41000001
THREAD_IDS = [41000001, 41000002, 41000003, 41000004, 41000005, 41000007]


def make_settings(server: LoopbackHTTPServer, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "allowed_hosts": ("127.0.0.1",),
        "http_timeout": 2.0,
        "hn_algolia_url": server.url("/algolia"),
        "hn_firebase_url": server.url("/firebase"),
        "arxiv_api_url": server.url("/arxiv/query"),
    }
    values.update(overrides)
    return Settings.from_env({}, **values)


@pytest.fixture
def server() -> Iterator[LoopbackHTTPServer]:
    with LoopbackHTTPServer() as running:
        running.mount("/algolia", FIXTURES / "algolia", content_type="application/json; charset=utf-8")
        running.mount("/firebase", FIXTURES / "firebase")
        running.mount("/web", FIXTURES / "web")
        yield running


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def settings(server: LoopbackHTTPServer) -> Settings:
    return make_settings(server)


@pytest.fixture
def fetcher(settings: Settings, sleeps: list[float]) -> Iterator[HttpFetcher]:
    with HttpFetcher(settings, sleep=sleeps.append) as running:
        yield running


# --- plain GETs -----------------------------------------------------------------------


def test_get_returns_the_body_and_sends_the_user_agent(
    server: LoopbackHTTPServer, fetcher: HttpFetcher
) -> None:
    server.route("/hello", Reply(200, b"hello", content_type="text/html; charset=utf-8"))
    response = fetcher.get(server.url("/hello"), accept=("text/html",))
    assert response == FetchedResponse(server.url("/hello"), 200, "text/html; charset=utf-8", b"hello")
    assert response.media_type == "text/html"
    assert (
        server.requests[0].headers["user-agent"]
        == USER_AGENT
        == "claimgraph/0.1 (+https://github.com/claimgraph)"
    )


def test_get_serves_mounted_fixture_files(server: LoopbackHTTPServer, fetcher: HttpFetcher) -> None:
    response = fetcher.get(server.url("/web/article.html"))
    assert response.media_type == "text/html"
    assert b"Does chain of thought add depth?" in response.content


def test_404_is_a_fetch_error_naming_url_and_status_without_retry(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, sleeps: list[float]
) -> None:
    url = server.url("/missing")
    with pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert str(caught.value) == f"GET {url}: HTTP 404 Not Found"
    assert not isinstance(caught.value, BlockedURLError)
    assert server.paths() == ["/missing"] and sleeps == []


def test_slow_server_times_out_with_the_configured_timeout(
    server: LoopbackHTTPServer, sleeps: list[float]
) -> None:
    server.route("/slow", Reply(200, b"late", delay=1.5))
    url = server.url("/slow")
    started = time.monotonic()
    with (
        HttpFetcher(make_settings(server, http_timeout=0.3), sleep=sleeps.append) as fetcher,
        pytest.raises(FetchError) as caught,
    ):
        fetcher.get(url)
    assert str(caught.value) == f"GET {url}: timed out after 0.3s"
    assert time.monotonic() - started < 1.2
    assert server.paths() == ["/slow"]  # a timeout is not retried


def test_a_body_trickled_past_the_timeout_is_cut_off(server: LoopbackHTTPServer, sleeps: list[float]) -> None:
    server.route("/trickle", Reply(200, b"x" * 40, chunk_size=4, chunk_delay=0.1))
    url = server.url("/trickle")
    with (
        HttpFetcher(make_settings(server, http_timeout=0.3), sleep=sleeps.append) as fetcher,
        pytest.raises(FetchError, match=r"timed out after 0\.3s"),
    ):
        fetcher.get(url)


# --- retries --------------------------------------------------------------------------


def test_429_with_retry_after_seconds_waits_then_succeeds(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, sleeps: list[float]
) -> None:
    server.route("/busy", Reply(429, headers={"Retry-After": "2"}), Reply(200, b"done"))
    assert fetcher.get(server.url("/busy")).content == b"done"
    assert sleeps == [2.0]
    assert server.paths() == ["/busy", "/busy"]


def test_retry_after_as_an_http_date(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, sleeps: list[float]
) -> None:
    when = email.utils.formatdate(time.time() + 7, usegmt=True)
    server.route("/busy", Reply(503, headers={"Retry-After": when}), Reply(200, b"done"))
    assert fetcher.get(server.url("/busy")).content == b"done"
    assert len(sleeps) == 1 and 4.0 < sleeps[0] <= 7.5


def test_retry_after_is_capped(server: LoopbackHTTPServer, fetcher: HttpFetcher, sleeps: list[float]) -> None:
    server.route("/busy", Reply(429, headers={"Retry-After": "3600"}), Reply(200, b"done"))
    fetcher.get(server.url("/busy"))
    assert sleeps == [30.0]


def test_503_is_retried_with_exponential_backoff_until_attempts_run_out(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, sleeps: list[float]
) -> None:
    server.route("/down", Reply(503, b"maintenance"))
    url = server.url("/down")
    with pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert str(caught.value) == f"GET {url}: HTTP 503 Service Unavailable (after 3 attempts)"
    assert server.paths() == ["/down"] * 3
    assert sleeps == [0.5, 1.0]


def test_dropped_connections_are_retried_until_the_route_recovers(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, sleeps: list[float]
) -> None:
    server.route("/flaky", Reply(drop=True), Reply(drop=True), Reply(200, b"finally"))
    assert fetcher.get(server.url("/flaky")).content == b"finally"
    assert server.paths() == ["/flaky"] * 3
    assert sleeps == [0.5, 1.0]


def test_connection_refused_is_a_fetch_error_after_retries(fetcher: HttpFetcher, sleeps: list[float]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    with pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert str(caught.value).startswith(f"GET {url}: connection failed")
    assert str(caught.value).endswith("(after 3 attempts)")
    assert len(sleeps) == 2


# --- limits ---------------------------------------------------------------------------


@pytest.mark.parametrize("content_length", [True, False], ids=["declared", "streamed"])
def test_oversized_body_is_refused(
    server: LoopbackHTTPServer, sleeps: list[float], content_length: bool
) -> None:
    server.route("/big", Reply(200, b"x" * 50_000, content_length=content_length, chunk_size=4096))
    url = server.url("/big")
    server.route("/small", Reply(200, b"x" * 10_000, content_length=content_length))
    with HttpFetcher(make_settings(server, http_max_bytes=10_000), sleep=sleeps.append) as fetcher:
        with pytest.raises(FetchError) as caught:
            fetcher.get(url)
        assert str(caught.value) == f"GET {url}: response larger than 10000 bytes"
        assert len(fetcher.get(server.url("/small")).content) == 10_000


def test_wrong_content_type_is_refused(server: LoopbackHTTPServer, fetcher: HttpFetcher) -> None:
    url = server.url("/web/pixel.png")
    with pytest.raises(FetchError) as caught:
        fetcher.get(url, accept=("text/html", "application/xhtml+xml"))
    assert (
        str(caught.value)
        == f"GET {url}: content type 'image/png' is not one of text/html, application/xhtml+xml"
    )
    assert fetcher.get(url, accept=("image/*",)).content.startswith(b"\x89PNG")


def test_get_json_decodes_and_rejects_non_json(server: LoopbackHTTPServer, fetcher: HttpFetcher) -> None:
    server.route("/api", Reply.json({"ok": [1, 2]}))
    server.route("/not-json", Reply(200, b"<html>", content_type="text/plain"))
    assert fetcher.get_json(server.url("/api")) == {"ok": [1, 2]}
    with pytest.raises(ParseError, match="response is not JSON"):
        fetcher.get_json(server.url("/not-json"))
    with pytest.raises(FetchError, match="content type 'image/png'"):
        fetcher.get_json(server.url("/web/pixel.png"))


# --- redirects ------------------------------------------------------------------------


def test_relative_and_absolute_redirects_are_followed(
    server: LoopbackHTTPServer, fetcher: HttpFetcher
) -> None:
    server.route("/a", Reply.redirect("/b", 301))
    server.route("/b", Reply.redirect(server.url("/c"), 307))
    server.route("/c", Reply(200, b"landed"))
    response = fetcher.get(server.url("/a"))
    assert (response.url, response.content) == (server.url("/c"), b"landed")
    assert server.paths() == ["/a", "/b", "/c"]


def test_redirect_loop_stops_after_five_redirects(server: LoopbackHTTPServer, fetcher: HttpFetcher) -> None:
    server.route("/loop", Reply.redirect("/loop"))
    url = server.url("/loop")
    with pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert str(caught.value) == f"GET {url}: too many redirects (more than 5)"
    assert server.paths() == ["/loop"] * 6


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("http://10.0.0.1/admin", "resolves to 10.0.0.1, a private address"),
        ("http://169.254.169.254/latest/meta-data/", "a link-local address"),
        ("http://localhost:{port}/c", "host 'localhost' resolves to"),
        ("file:///etc/passwd", "scheme 'file' is not allowed"),
    ],
)
def test_redirect_targets_are_checked_by_the_guard(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, location: str, expected: str
) -> None:
    server.route("/jump", Reply.redirect(location.format(port=server.port)))
    server.route("/c", Reply(200, b"must not be reached"))
    with pytest.raises(BlockedURLError) as caught:
        fetcher.get(server.url("/jump"))
    assert expected in str(caught.value)
    assert server.paths() == ["/jump"]


# --- SSRF guard -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "host", "address_class"),
    [
        ("http://127.0.0.1:9/", "127.0.0.1", "loopback"),
        ("http://10.0.0.1/", "10.0.0.1", "private"),
        ("http://192.168.1.20:8080/x", "192.168.1.20", "private"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254", "link-local"),
        ("http://[::1]:9/", "::1", "loopback"),
        ("http://[fe80::1]/", "fe80::1", "link-local"),
        ("http://[fd00::5]/", "fd00::5", "private"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1", "IPv4-mapped loopback"),
        ("http://0.0.0.0/", "0.0.0.0", "unspecified"),
        ("http://224.0.0.1/", "224.0.0.1", "multicast"),
        ("http://240.0.0.1/", "240.0.0.1", "reserved"),
        ("http://100.64.0.1/", "100.64.0.1", "non-global"),
        ("http://localhost:9/", "localhost", "loopback"),
        ("http://2130706433/", "2130706433", "loopback"),
        ("http://0x7f.1/", "0x7f.1", "loopback"),
        ("http://0/", "0", "unspecified"),
    ],
)
def test_guard_refuses_non_public_addresses(url: str, host: str, address_class: str) -> None:
    with pytest.raises(BlockedURLError) as caught:
        guard_url(url, allowed_hosts=())
    message = str(caught.value)
    assert message.startswith(f"GET {url}: host {host!r} resolves to ")
    article = "an" if address_class[0] in "aeiouI" else "a"
    assert message.endswith(f", {article} {address_class} address")


def test_fetcher_refuses_loopback_unless_the_host_is_allowed(
    server: LoopbackHTTPServer, sleeps: list[float]
) -> None:
    server.route("/hello", Reply(200, b"hello"))
    with (
        HttpFetcher(make_settings(server, allowed_hosts=()), sleep=sleeps.append) as strict,
        pytest.raises(BlockedURLError, match="'127.0.0.1' resolves to 127.0.0.1, a loopback address"),
    ):
        strict.get(server.url("/hello"))
    assert server.requests == []  # refused before connecting
    with HttpFetcher(make_settings(server, allowed_hosts=("127.0.0.1",)), sleep=sleeps.append) as allowing:
        assert allowing.get(server.url("/hello")).content == b"hello"


@pytest.mark.parametrize(
    "url", ["http://8.8.8.8/", "https://[2001:4860:4860::8888]/dns", "http://1.1.1.1:8080/x"]
)
def test_guard_lets_public_addresses_through(url: str) -> None:
    guard_url(url, allowed_hosts=())


@pytest.mark.parametrize("url", ["ftp://example.com/file", "file:///etc/passwd", "gopher://example.com/"])
def test_guard_refuses_other_schemes(url: str) -> None:
    with pytest.raises(BlockedURLError, match="only http/https"):
        guard_url(url, allowed_hosts=())


def test_guard_allowed_hosts_match_case_insensitively() -> None:
    guard_url("http://LocalHost:9/", allowed_hosts=("localhost",))


# --- references -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("hn:41000001", 41000001),
        ("HN:12", 12),
        ("https://news.ycombinator.com/item?id=41000001", 41000001),
        ("http://news.ycombinator.com/item?id=7&p=2", 7),
        ("https://news.ycombinator.com/user?id=pg", None),
        ("https://news.ycombinator.com/item?id=abc", None),
        ("https://example.com/item?id=5", None),
        ("hn:", None),
        ("notes/hn:5.txt", None),
    ],
)
def test_hn_item_id(ref: str, expected: int | None) -> None:
    assert hn_item_id(ref) == expected


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("https://example.com/a", True),
        ("http://127.0.0.1:8000/", True),
        ("ftp://example.com/a", False),
        ("example.com/a", False),
        ("/tmp/post.html", False),
        ("https:///nohost", False),
    ],
)
def test_is_url(ref: str, expected: bool) -> None:
    assert is_url(ref) is expected


# --- Hacker News ----------------------------------------------------------------------


def test_firebase_thread_is_fetched_breadth_first(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, settings: Settings
) -> None:
    items = fetch_firebase_thread(THREAD_ID, fetcher=fetcher, settings=settings)
    assert [item["id"] for item in items] == THREAD_IDS
    assert items[4].get("deleted") is True


def test_firebase_thread_stops_at_max_items(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, settings: Settings
) -> None:
    items = fetch_firebase_thread(THREAD_ID, fetcher=fetcher, settings=settings, max_items=3)
    assert [item["id"] for item in items] == THREAD_IDS[:3]
    assert len(server.requests) == 3


def test_firebase_thread_skips_a_reply_that_cannot_be_fetched(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, settings: Settings
) -> None:
    server.route(f"/firebase/item/{41000004}.json", Reply(404))
    items = fetch_firebase_thread(THREAD_ID, fetcher=fetcher, settings=settings)
    assert [item["id"] for item in items] == [41000001, 41000002, 41000003, 41000005, 41000007]


def test_firebase_missing_root_item_is_a_fetch_error(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, settings: Settings
) -> None:
    server.route("/firebase/item/5.json", Reply.json(None))
    with pytest.raises(FetchError, match="HN item 5 not found"):
        fetch_firebase_thread(5, fetcher=fetcher, settings=settings)


def _assert_is_the_fixture_thread(documents: list[Document]) -> None:
    assert len(documents) == 1
    document = documents[0]
    assert document.kind is SourceKind.HN_THREAD
    assert document.title == "The Expressive Power of Transformers with Chain of Thought"
    posts = document.post_by_id()
    # every comment is there (the story itself has no text; the deleted comment may be a stub)
    assert set(posts) >= {"41000002", "41000003", "41000004", "41000007"}
    assert posts["41000004"].parent_id == "41000002"
    assert posts["41000004"].author == "bob"
    assert "I don't buy it." in posts["41000004"].text
    assert "https://arxiv.org/abs/2201.11903" in posts["41000002"].links


@pytest.mark.parametrize("ref", [f"https://news.ycombinator.com/item?id={THREAD_ID}", f"hn:{THREAD_ID}"])
def test_load_source_reads_an_hn_thread_from_algolia_in_one_request(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, settings: Settings, ref: str
) -> None:
    documents = load_source(ref, fetcher=fetcher, settings=settings)
    assert server.paths() == [f"/algolia/items/{THREAD_ID}"]
    _assert_is_the_fixture_thread(documents)


def test_load_source_falls_back_to_firebase_when_algolia_fails(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, settings: Settings, sleeps: list[float]
) -> None:
    server.route(f"/algolia/items/{THREAD_ID}", Reply(500, b"boom"))
    documents = load_source(
        f"https://news.ycombinator.com/item?id={THREAD_ID}", fetcher=fetcher, settings=settings
    )
    paths = server.paths()
    assert paths[:3] == [f"/algolia/items/{THREAD_ID}"] * 3
    assert sorted(paths[3:]) == sorted(f"/firebase/item/{i}.json" for i in THREAD_IDS)
    _assert_is_the_fixture_thread(documents)


def test_load_source_does_not_fall_back_when_algolia_is_blocked(
    server: LoopbackHTTPServer, sleeps: list[float]
) -> None:
    settings = make_settings(server, hn_algolia_url="http://10.0.0.1/api/v1")
    with (
        HttpFetcher(settings, sleep=sleeps.append) as fetcher,
        pytest.raises(BlockedURLError, match="10.0.0.1"),
    ):
        load_source(f"hn:{THREAD_ID}", fetcher=fetcher, settings=settings)
    assert server.requests == []


# --- other URLs and files -------------------------------------------------------------


def test_load_source_parses_a_fetched_article(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, settings: Settings
) -> None:
    documents = load_source(server.url("/web/article.html"), fetcher=fetcher, settings=settings)
    assert len(documents) == 1
    assert documents[0].title == "Does chain of thought add depth?"
    assert "CoT adds depth" in " ".join(post.text for post in documents[0].posts)


def test_load_source_refuses_an_image_url(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, settings: Settings
) -> None:
    with pytest.raises(FetchError, match="content type 'image/png'"):
        load_source(server.url("/web/pixel.png"), fetcher=fetcher, settings=settings)


def test_load_source_replaces_feed_entries_by_their_articles(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, settings: Settings
) -> None:
    feed = (FIXTURES / "web" / "feed.rss.xml").read_bytes().replace(b"{base}", server.base_url.encode())
    server.route("/feed.xml", Reply(200, feed, content_type="application/rss+xml"))
    documents = load_source(server.url("/feed.xml"), fetcher=fetcher, settings=settings)
    assert {"/feed.xml", "/web/article.html", "/web/gone.html"} <= set(server.paths())
    assert len(documents) == 2
    fetched, kept = documents
    assert fetched.url == server.url("/web/article.html")
    assert "With a linear number of steps" in " ".join(post.text for post in fetched.posts)
    # the vanished post (404) keeps the feed's summary
    assert kept.metadata.get("feed_entry_link") == server.url("/web/gone.html")
    assert "Scratchpads help small models" in " ".join(post.text for post in kept.posts)


def test_load_source_reads_a_local_file(tmp_path: Path, fetcher: HttpFetcher, settings: Settings) -> None:
    path = tmp_path / "article.html"
    path.write_bytes((FIXTURES / "web" / "article.html").read_bytes())
    documents = load_source(str(path), fetcher=fetcher, settings=settings)
    assert documents and documents[0].title == "Does chain of thought add depth?"


def test_load_source_reports_a_missing_file(tmp_path: Path, fetcher: HttpFetcher, settings: Settings) -> None:
    missing = tmp_path / "nope.html"
    with pytest.raises(SourceError, match="no such file"):
        load_source(str(missing), fetcher=fetcher, settings=settings)


def test_load_source_refuses_other_url_schemes(fetcher: HttpFetcher, settings: Settings) -> None:
    with pytest.raises(SourceError, match="unsupported URL scheme"):
        load_source("ftp://example.com/paper.txt", fetcher=fetcher, settings=settings)


def test_load_source_can_refuse_local_files(tmp_path: Path, fetcher: HttpFetcher, settings: Settings) -> None:
    path = tmp_path / "article.html"
    path.write_text("<p>hello</p>")
    with pytest.raises(SourceError, match="local files are not accepted here"):
        load_source(str(path), fetcher=fetcher, settings=settings, allow_files=False)


def test_an_injected_client_still_goes_through_the_guard_on_every_hop(
    server: LoopbackHTTPServer, settings: Settings
) -> None:
    server.route("/jump", Reply.redirect("http://10.0.0.1/admin"))
    server.route("/hello", Reply(200, b"hello"))
    with httpx.Client(follow_redirects=True) as client:
        fetcher = HttpFetcher(settings, client=client, sleep=lambda _: None)
        assert fetcher.get(server.url("/hello")).content == b"hello"
        assert server.requests[-1].headers["user-agent"] == USER_AGENT
        with pytest.raises(BlockedURLError, match="10.0.0.1"):
            fetcher.get(server.url("/jump"))
        fetcher.close()
        assert not client.is_closed  # the caller owns it
