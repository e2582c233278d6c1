"""arXiv enrichment against a real HTTP server on 127.0.0.1: parsing, batching, tolerance."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.http_server import LoopbackHTTPServer, Reply, Request
from workers.arxiv import ArxivMetadata, fetch_arxiv_metadata, normalize_arxiv_id, parse_arxiv_atom
from workers.errors import ParseError
from workers.fetch import HttpFetcher
from workers.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "http" / "arxiv"
TWO_PAPERS = (FIXTURES / "two_papers.atom.xml").read_bytes()
ATOM = "application/atom+xml; charset=utf-8"

COT = ArxivMetadata(
    arxiv_id="2201.11903",
    title="Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
    authors=("Jason Wei", "Xuezhi Wang", "Dale Schuurmans", "Denny Zhou"),
    abstract=(
        "We explore how generating a chain of thought -- a series of intermediate reasoning steps -- "
        "significantly improves the ability of large language models to perform complex reasoning."
    ),
    published="2022-01-28",
    url="https://arxiv.org/abs/2201.11903",
)


@pytest.fixture
def server() -> Iterator[LoopbackHTTPServer]:
    with LoopbackHTTPServer() as running:
        yield running


@pytest.fixture
def settings(server: LoopbackHTTPServer) -> Settings:
    return Settings.from_env({}, allowed_hosts=("127.0.0.1",), arxiv_api_url=server.url("/api/query"))


@pytest.fixture
def pauses() -> list[float]:
    return []


@pytest.fixture
def fetcher(settings: Settings, pauses: list[float]) -> Iterator[HttpFetcher]:
    with HttpFetcher(settings, sleep=pauses.append) as running:
        yield running


def test_parse_arxiv_atom_reads_both_entries() -> None:
    entries = parse_arxiv_atom(TWO_PAPERS)
    assert entries[0] == COT
    assert entries[1].arxiv_id == "2310.07923"
    assert entries[1].title == "The Expressive Power of Transformers with Chain of Thought"
    assert entries[1].authors == ("William Merrill", "Ashish Sabharwal")
    assert entries[1].published == "2023-10-11"
    assert entries[1].abstract.startswith(
        "Recent theoretical work has identified surprisingly simple reasoning problems"
    )


def test_parse_arxiv_atom_skips_error_entries() -> None:
    assert parse_arxiv_atom((FIXTURES / "error.atom.xml").read_bytes()) == []


def test_parse_arxiv_atom_rejects_broken_xml() -> None:
    with pytest.raises(ParseError, match="not valid XML"):
        parse_arxiv_atom(TWO_PAPERS[:500])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2201.11903", "2201.11903"),
        ("arXiv:2201.11903v6", "2201.11903"),
        ("2310.07923v2", "2310.07923"),
        ("1501.0001", "1501.0001"),
        ("hep-th/9901001v1", "hep-th/9901001"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("not an id", None),
        ("2201.119", None),
    ],
)
def test_normalize_arxiv_id(raw: str, expected: str | None) -> None:
    assert normalize_arxiv_id(raw) == expected


def test_fetch_arxiv_metadata_sends_one_request_with_normalised_ids(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, settings: Settings
) -> None:
    server.route("/api/query", Reply(200, TWO_PAPERS, content_type=ATOM))
    found = fetch_arxiv_metadata(
        ["arXiv:2201.11903v6", "2310.07923", "2201.11903"], fetcher=fetcher, settings=settings
    )
    assert set(found) == {"2201.11903", "2310.07923"}
    assert found["2201.11903"] == COT
    (request,) = server.requests
    assert request.query == {"id_list": ["2201.11903,2310.07923"], "max_results": ["50"]}


def test_fetch_arxiv_metadata_batches_fifty_ids_per_request(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, settings: Settings
) -> None:
    server.route("/api/query", Reply(200, TWO_PAPERS, content_type=ATOM))
    ids = [f"2401.{n:05d}" for n in range(60)] + ["2201.11903"]
    pauses: list[float] = []
    found = fetch_arxiv_metadata(ids, fetcher=fetcher, settings=settings, sleep=pauses.append)
    batches = [request.query["id_list"][0].split(",") for request in server.requests]
    assert [len(batch) for batch in batches] == [50, 11]
    assert pauses == [3.0]
    # only ids that were asked for in that batch are kept
    assert set(found) == {"2201.11903"}


def test_fetch_arxiv_metadata_returns_nothing_when_the_api_fails(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    server.route("/api/query", Reply(500, b"oops"))
    with caplog.at_level(logging.WARNING, logger="workers.arxiv"):
        assert fetch_arxiv_metadata(["2201.11903"], fetcher=fetcher, settings=settings) == {}
    assert "arXiv enrichment skipped" in caplog.text and "HTTP 500" in caplog.text


def test_fetch_arxiv_metadata_returns_nothing_for_bad_xml(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    server.route("/api/query", Reply(200, b"<feed><entry>", content_type=ATOM))
    with caplog.at_level(logging.WARNING, logger="workers.arxiv"):
        assert fetch_arxiv_metadata(["2201.11903"], fetcher=fetcher, settings=settings) == {}
    assert "not valid XML" in caplog.text


def test_a_failed_batch_keeps_what_earlier_batches_found(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, settings: Settings
) -> None:
    def reply(request: Request) -> Reply:
        if "2201.11903" in request.query["id_list"][0]:
            return Reply(200, TWO_PAPERS, content_type=ATOM)
        return Reply(404)

    server.route("/api/query", reply)
    ids = ["2201.11903"] + [f"2401.{n:05d}" for n in range(50)]
    found = fetch_arxiv_metadata(ids, fetcher=fetcher, settings=settings, sleep=lambda _: None)
    assert set(found) == {"2201.11903"}
    assert len(server.requests) == 2


def test_fetch_arxiv_metadata_skips_invalid_ids_without_a_request(
    server: LoopbackHTTPServer, fetcher: HttpFetcher, settings: Settings
) -> None:
    assert fetch_arxiv_metadata(["", "nonsense"], fetcher=fetcher, settings=settings) == {}
    assert server.requests == []


def test_fetch_arxiv_metadata_refused_by_the_guard_returns_nothing(server: LoopbackHTTPServer) -> None:
    settings = Settings.from_env({}, arxiv_api_url="http://169.254.169.254/api/query")
    with HttpFetcher(settings, sleep=lambda _: None) as fetcher:
        assert fetch_arxiv_metadata(["2201.11903"], fetcher=fetcher, settings=settings) == {}
