"""Sources on the real stack: HN threads over HTTP, re-ingesting changed content, all-or-nothing
writes, and API jobs that must not read local files.

HN APIs are the loopback server in tests/support/http_server.py; Neo4j, Redis and the Celery
worker are the session's. Thread fixtures for re-ingesting are in tests/fixtures/reingest/.
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import HN_THREAD_ID, HN_THREAD_POSTS, HN_THREAD_TITLE, HTTP_FIXTURES
from tests.support.graph_checks import (
    claim_texts,
    claims_with_wrong_counts,
    dangling_nodes,
    nodes_containing,
    statements_by_author,
    thread_posts,
)
from tests.support.http_server import LoopbackHTTPServer, Reply
from workers import errors

pytestmark = [pytest.mark.integration, pytest.mark.models]

REINGEST = Path(__file__).resolve().parents[1] / "fixtures" / "reingest"
NO_DANGLING = {"statements": 0, "posts": 0, "people": 0}
# What a file's content may fail with: refused as a source, with the reason. Extraction and
# writing must take whatever the parsers accept, so their errors are bugs here.
SOURCE_ERRORS = frozenset(
    name for name, value in vars(errors).items() if isinstance(value, type) and issubclass(value, errors.SourceError)
)


# --- HN threads over HTTP -----------------------------------------------------------


@pytest.fixture
def hn_context(pipeline_context, hn_server: LoopbackHTTPServer):  # type: ignore[no-untyped-def]
    """The session's pipeline clients, with a fetcher pointed at (and allowed to reach) the loopback APIs."""
    from workers.fetch import HttpFetcher

    hn_settings = replace(
        pipeline_context.settings, allowed_hosts=("127.0.0.1",), http_timeout=5.0,
        hn_algolia_url=hn_server.url("/algolia"), hn_firebase_url=hn_server.url("/firebase"),
    )
    fetcher = HttpFetcher(hn_settings)
    yield replace(pipeline_context, settings=hn_settings, fetcher=fetcher)
    fetcher.close()


def test_an_hn_thread_falls_back_to_firebase_item_by_item(  # type: ignore[no-untyped-def]
    empty_graph, hn_context, hn_server: LoopbackHTTPServer
) -> None:
    from workers.pipeline import ingest_refs

    algolia_path = f"/algolia/items/{HN_THREAD_ID}"
    hn_server.route(algolia_path, Reply(404, b"not found"))
    results = ingest_refs([f"hn:{HN_THREAD_ID}"], hn_context)
    assert [(r.status, r.title) for r in results] == [("ingested", HN_THREAD_TITLE)], results
    paths = hn_server.paths()
    assert paths[0] == algolia_path
    assert sorted(paths[1:]) == sorted(f"/firebase/item/{item_id}.json" for item_id in [HN_THREAD_ID, *HN_THREAD_POSTS])
    posts = thread_posts(empty_graph, results[0].source_uid)
    assert {local_id: (p["author"], p["parent_local_id"]) for local_id, p in posts.items()} == HN_THREAD_POSTS
    assert posts["41000005"]["deleted"] is True
    assert "I don't buy it." in posts["41000004"]["text"]

    # Algolia back: the same thread item for item, so nothing to write.
    hn_server.route(algolia_path, Reply.file(HTTP_FIXTURES / "algolia" / "items" / str(HN_THREAD_ID),
                                             "application/json"))
    counts = empty_graph.counts()
    again = ingest_refs([f"https://news.ycombinator.com/item?id={HN_THREAD_ID}"], hn_context)
    assert [(r.status, r.source_uid) for r in again] == [("unchanged", results[0].source_uid)]
    assert empty_graph.counts() == counts


# --- re-ingesting a source whose content changed --------------------------------------

REMOVED = "Mixture of experts models"  # marten's comment, gone in v2
EDITED_BEFORE = "Linear attention fails on recall-heavy tasks"  # ostrich's comment in v1 ...
EDITED_AFTER = "A hybrid with a few global tokens restores exact recall"  # ... and in v2
ADDED = "accuracy dropping sharply after sixty thousand tokens"  # pangolin's reply, new in v2


def _by_author(posts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {p["author"]: dict(p, local_id=local_id) for local_id, p in posts.items()}


@pytest.mark.parametrize("suffix", [".json", ".txt"], ids=["algolia-json", "gopher-dump"])
def test_reingesting_changed_content_replaces_what_changed(  # type: ignore[no-untyped-def]
    empty_graph, pipeline_context, tmp_path: Path, suffix: str
) -> None:
    """One comment removed, one edited, one added, at the same path: the graph follows the file."""
    from workers.pipeline import ingest_refs

    graph = empty_graph
    path = tmp_path / f"thread{suffix}"
    shutil.copyfile(REINGEST / f"thread_v1{suffix}", path)
    [first] = ingest_refs([str(path)], pipeline_context)
    assert first.status == "ingested", first
    v1 = statements_by_author(graph, first.source_uid)
    assert any(REMOVED in text for text in v1["marten"]) and any(EDITED_BEFORE in text for text in v1["ostrich"])

    shutil.copyfile(REINGEST / f"thread_v2{suffix}", path)
    [second] = ingest_refs([str(path)], pipeline_context)
    assert (second.status, second.source_uid) == ("ingested", first.source_uid), second
    assert graph.counts()["Source"] == 1

    posts = _by_author(thread_posts(graph, second.source_uid))
    assert sorted(posts) == ["ferrule", "ostrich", "pangolin", "quill"]
    assert posts["quill"]["parent_local_id"] == posts["ostrich"]["parent_local_id"] == posts["ferrule"]["local_id"]
    assert posts["pangolin"]["parent_local_id"] == posts["quill"]["local_id"]
    assert EDITED_AFTER in posts["ostrich"]["text"]
    # The removed comment and the edited comment's old text are gone with their statements and claims.
    assert nodes_containing(graph, REMOVED) == []
    assert nodes_containing(graph, EDITED_BEFORE) == []
    v2 = statements_by_author(graph, second.source_uid)
    assert "marten" not in v2 and graph.counts()["Person"] == 4
    assert any(EDITED_AFTER in text for text in v2["ostrich"])
    assert any(ADDED in text for text in v2["pangolin"])
    assert sorted(v2["ferrule"]) == sorted(v1["ferrule"]) and sorted(v2["quill"]) == sorted(v1["quill"])
    assert claims_with_wrong_counts(graph) == []
    assert dangling_nodes(graph) == NO_DANGLING

    # The same content again: nothing to do, nothing changes.
    counts, claims = graph.counts(), claim_texts(graph)
    [third] = ingest_refs([str(path)], pipeline_context)
    assert (third.status, third.source_uid) == ("unchanged", first.source_uid)
    assert graph.counts() == counts

    # And the graph is the one v2 alone would have made.
    graph.delete_everything()
    [fresh] = ingest_refs([str(path)], pipeline_context)
    assert fresh.status == "ingested"
    assert graph.counts() == counts
    assert claim_texts(graph) == claims


def test_an_edit_that_restates_a_comment_leaves_no_claim_of_the_old_words(  # type: ignore[no-untyped-def]
    empty_graph, pipeline_context, tmp_path: Path
) -> None:
    """A comment edited into a close restatement of itself (cosine above the link threshold):
    its old statement goes in the same write that links the new one, so the new statement
    must not join the claim only the old words held, or that claim keeps text nobody says."""
    from workers.pipeline import ingest_refs

    old = "Linear attention fails on recall-heavy tasks no matter how carefully it is tuned."
    new = "Linear attention fails on recall-heavy tasks, however carefully you tune it."
    thread = json.loads((REINGEST / "thread_v1.json").read_text(encoding="utf-8"))
    v1_text = json.dumps(thread)
    assert old in v1_text
    path = tmp_path / "thread.json"
    path.write_text(v1_text, encoding="utf-8")
    [first] = ingest_refs([str(path)], pipeline_context)
    assert first.status == "ingested", first
    assert any(row["text"] == old for row in nodes_containing(empty_graph, "no matter how carefully"))

    path.write_text(v1_text.replace(old, new), encoding="utf-8")
    [second] = ingest_refs([str(path)], pipeline_context)
    assert second.status == "ingested", second
    assert nodes_containing(empty_graph, "no matter how carefully") == []
    assert new in claim_texts(empty_graph)
    assert claims_with_wrong_counts(empty_graph) == []
    counts, claims = empty_graph.counts(), claim_texts(empty_graph)

    empty_graph.delete_everything()
    [fresh] = ingest_refs([str(path)], pipeline_context)
    assert fresh.status == "ingested"
    assert (empty_graph.counts(), claim_texts(empty_graph)) == (counts, claims)


def test_a_write_neo4j_refuses_leaves_the_previous_version_whole(  # type: ignore[no-untyped-def]
    empty_graph, pipeline_context, tmp_path: Path
) -> None:
    """The stale comment is deleted in the same transaction that then fails: all of it rolls back."""
    from workers.errors import ExtractionError
    from workers.parse import parse_bytes
    from workers.pipeline import ingest_document, ingest_refs

    path = tmp_path / "thread.json"
    shutil.copyfile(REINGEST / "thread_v1.json", path)
    [first] = ingest_refs([str(path)], pipeline_context)
    assert first.status == "ingested"
    counts, posts = empty_graph.counts(), thread_posts(empty_graph, first.source_uid)

    [v2] = parse_bytes((REINGEST / "thread_v2.json").read_bytes(), name=str(path))
    # No parser emits a lone surrogate; only the Source node carries published_at, so extraction
    # succeeds and the write fails after the removed comment's DELETE has run.
    unstorable = replace(v2, published_at="2025-01-01T10:00:00\udc80Z")
    with pytest.raises(ExtractionError, match="writing to Neo4j failed"):
        ingest_document(unstorable, pipeline_context, ref=str(path))
    assert empty_graph.counts() == counts
    assert thread_posts(empty_graph, first.source_uid) == posts


# --- random input: whole sources or nothing ----------------------------------------

SENTENCES = (
    "Sparse attention matches dense attention on long documents.",
    "Chain of thought adds depth to a fixed-size transformer.",
    "I disagree, the retrieval benchmarks are saturated.",
    "Mamba will replace transformers for long sequences.",
    "Thanks!",
    "See https://arxiv.org/abs/2310.07923 for the proof.",
)
TEMPLATES = (
    "{0}\n\n{1}",
    "<html><head><title>{0}</title></head><body><p>{1}</p></body></html>",
    "From: {0} <someone@example.org>\nSubject: {0}\nDate: Mon, 3 Feb 2025 09:00:00 +0000\n\n{1}\n",
    (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>{0}</title>'
        "<item><title>{0}</title><description>{1}</description></item></channel></rss>"
    ),
    "[HN Gopher] {0}\n| ann wrote:\n| {1}\n| | ben wrote:\n| | {0}\n",
)


def _with_lone_surrogate(pair: tuple[str, str]) -> str:
    sentence, surrogate = pair
    return sentence[: len(sentence) // 2] + surrogate + sentence[len(sentence) // 2 :]


prose = st.one_of(st.text(max_size=200), st.lists(st.sampled_from(SENTENCES), max_size=4).map(" ".join))
# JSON can carry half a surrogate pair (a JavaScript string cut in the middle of an emoji).
with_lone_surrogate = st.tuples(
    st.sampled_from(SENTENCES), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
).map(_with_lone_surrogate)
comment_texts = st.one_of(
    st.none(),
    st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3).map(" ".join),
    st.text(max_size=80),
    with_lone_surrogate,
)
names = st.one_of(st.sampled_from(["ann", "ben", "cyd"]), st.text(max_size=8), with_lone_surrogate)
authors = st.one_of(st.none(), names)
item_ids = st.one_of(st.integers(1, 40), st.text(max_size=4), st.none())
algolia_item = st.fixed_dictionaries(
    {"id": item_ids, "type": st.sampled_from(["story", "comment", None]), "author": authors, "text": comment_texts},
    optional={"title": names, "parent_id": item_ids, "created_at_i": st.integers(-10, 2**40)},
)
algolia_threads = st.recursive(
    algolia_item,
    lambda children: st.builds(lambda item, kids: {**item, "children": kids}, algolia_item,
                               st.lists(children, max_size=3)),
    max_leaves=8,
)
firebase_items = st.lists(st.fixed_dictionaries(
    {"id": st.integers(1, 12), "type": st.sampled_from(["story", "comment"])},
    optional={"by": authors, "text": comment_texts, "parent": st.integers(1, 12), "title": names,
              "kids": st.lists(st.integers(1, 12), max_size=3), "deleted": st.booleans(), "time": st.integers(0, 2**33)},
), min_size=1, max_size=6)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
contents = st.one_of(
    st.binary(max_size=2000),
    st.tuples(st.sampled_from(TEMPLATES), prose, prose).map(lambda t: t[0].format(t[1], t[2]).encode()),
    st.one_of(json_values, algolia_threads, firebase_items).map(lambda value: json.dumps(value).encode()),
)

SURROGATE_THREAD = json.dumps({
    "id": 47200001, "type": "story", "title": "Half an emoji \ud83d", "author": "ann", "text": None,
    "children": [{"id": 47200002, "type": "comment", "author": "b\udc80en", "parent_id": 47200001,
                  "text": "Sparse attention matches dense \ud83d attention on long documents.", "children": []}],
}).encode()


# Hypothesis runs the examples in one call of the test: the graph is emptied once, then they accumulate.
@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(content=contents, extension=st.sampled_from([".json", ".html", ".txt", ".eml", ".xml"]))
@example(content=SURROGATE_THREAD, extension=".json")
@example(content=b"\x00\x01\x02binary" * 40, extension=".eml")
def test_any_file_is_ingested_whole_or_fails_cleanly(  # type: ignore[no-untyped-def]
    empty_graph, pipeline_context, tmp_path_factory: pytest.TempPathFactory, content: bytes, extension: str
) -> None:
    from workers.pipeline import ingest_refs

    path = tmp_path_factory.mktemp("random") / f"source-{uuid.uuid4().hex[:8]}{extension}"
    path.write_bytes(content)
    before = empty_graph.counts()
    results = ingest_refs([str(path)], pipeline_context)
    assert results
    for result in results:
        assert result.status in ("ingested", "unchanged", "failed"), result
        if result.status == "failed":
            assert result.error_type in SOURCE_ERRORS, result
            # "unexpected ..." is what the stage boundaries' safety nets say about a bug in a reader.
            assert result.error and not result.error.startswith("unexpected"), result.error
    if all(result.status == "failed" for result in results):
        assert empty_graph.counts() == before
    assert claims_with_wrong_counts(empty_graph) == []
    assert dangling_nodes(empty_graph) == NO_DANGLING


# --- API jobs never read local files -------------------------------------------------


def test_the_worker_reads_no_local_file_for_an_api_job(local_stack, graph, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """What POST /api/v1/ingest enqueues: a local path in it fails in the worker, unread."""
    from service.app import create_app
    from workers.jobs import JobStore
    from workers.tasks import ingest_refs_task

    secret = tmp_path / "notes.md"
    secret.write_text("# Private notes\n\nSparse attention matches dense attention on long documents while "
                      "using far less memory, according to these private notes.\n")
    create_app({"SETTINGS": local_stack})  # configures the Celery app the task is sent through
    before = graph.counts()
    job_uid = "job:test-no-files-" + uuid.uuid4().hex[:8]
    jobs = JobStore.from_url(local_stack.redis_url)
    try:
        jobs.update(job_uid, {"status": "queued", "refs": [str(secret), f"file://{secret}"]})
        results = ingest_refs_task.delay([str(secret), f"file://{secret}"], job_uid).get(timeout=120)
        assert [r["status"] for r in results] == ["failed", "failed"]
        assert "local files are not accepted" in results[0]["error"]
        assert "only http and https" in results[1]["error"]
        job = jobs.get(job_uid)
    finally:
        jobs.close()
    assert job is not None and job["status"] == "failed" and job["n_failed"] == 2
    assert graph.counts() == before
