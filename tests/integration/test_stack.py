"""End to end on the real stack: embedded Neo4j over Bolt, redis-server, a Celery worker.

These tests share one graph and run in file order: the demo corpus is ingested once
through the worker, then traced, re-ingested and queried over the REST API.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DEMO_CORPUS

pytestmark = [pytest.mark.integration, pytest.mark.models]

DEMO_REFS = sorted(str(p) for p in DEMO_CORPUS.glob("*.txt"))
SVACHALEK_QUOTE = "The thought chains effectively act as additional layers"


def test_the_stack_is_real(local_stack, graph) -> None:  # type: ignore[no-untyped-def]
    from service.local_services import LocalServices

    states = {s.name: s.state for s in LocalServices(local_stack).status()}
    assert states["neo4j"] == states["redis"] == states["worker"] == "running"
    records, _, _ = graph.driver.execute_query("CALL dbms.components() YIELD name, versions, edition RETURN *")
    component = records[0].data()
    assert component["versions"][0].startswith("5.26.")
    assert component["edition"] == "community"


def test_demo_corpus_through_the_worker(local_stack, empty_graph) -> None:  # type: ignore[no-untyped-def]
    from service.cli import ingest_via_worker

    results = ingest_via_worker(DEMO_REFS, local_stack, timeout=900)
    assert [r["status"] for r in results] == ["ingested"] * len(DEMO_REFS), results
    counts = empty_graph.counts()
    # The same demo through the worker again: skipped by content hash, nothing added.
    again = ingest_via_worker(DEMO_REFS, local_stack, timeout=900)
    assert [r["status"] for r in again] == ["unchanged"] * len(DEMO_REFS)
    assert empty_graph.counts() == counts
    assert counts["Source"] == len(DEMO_REFS)
    assert counts["Paper"] >= 40 and counts["Claim"] > 100 and counts["Person"] >= 15


def test_trace_finds_svachalek_supporting_cot_depth(pipeline_context) -> None:  # type: ignore[no-untyped-def]
    from workers.trace import trace_claim

    result = trace_claim("CoT adds depth", pipeline_context.trace_services())
    assert set(result) >= {"query", "claim", "supports", "disputes"}
    hits = [s for s in result["supports"] if SVACHALEK_QUOTE.lower() in s["text"].lower()]
    assert hits, [s["text"] for s in result["supports"]]
    assert hits[0]["author"] == "svachalek"
    assert hits[0]["post_url"] or hits[0]["source_title"]
    for item in result["supports"] + result["disputes"]:
        assert set(item) >= {"text", "author", "source_title", "source_url", "post_url", "confidence"}
    texts = [s["text"] for s in result["supports"] + result["disputes"]]
    assert len(texts) == len(set(texts))


def test_trace_returns_only_statements_near_the_best_match(pipeline_context) -> None:  # type: ignore[no-untyped-def]
    """Every statement found by relevance is within the margin of the best one; with the margin
    opened up, more statements (all above the minimum score) come back."""
    from dataclasses import replace

    from workers.trace import trace_claim

    services = pipeline_context.trace_services()
    margin = services.settings.trace_relevance_margin
    narrow = trace_claim("The thought chains effectively act as additional layers", services)
    items = narrow["supports"] + narrow["disputes"]
    found = [i["relevance"] for i in items if not (i.get("via_reply") or i.get("via_quote"))]
    assert found and min(found) >= max(found) - margin - 1e-3

    services.settings = replace(services.settings, trace_relevance_margin=1.0)
    wide = trace_claim("The thought chains effectively act as additional layers", services)
    wide_items = wide["supports"] + wide["disputes"]
    assert len(wide_items) > len(items)
    assert min(i["relevance"] for i in wide_items if not (i["via_reply"] or i["via_quote"])) >= (
        services.settings.trace_min_score - 1e-3)


def test_reingesting_changes_no_counts(graph, pipeline_context) -> None:  # type: ignore[no-untyped-def]
    from workers.pipeline import ingest_refs

    before = graph.counts()
    unchanged = ingest_refs(DEMO_REFS, pipeline_context)
    assert {r.status for r in unchanged} == {"unchanged"}
    assert graph.counts() == before
    # Forced re-extraction rewrites every row: MERGE on content keys must not add any.
    forced = ingest_refs(DEMO_REFS, pipeline_context, force=True)
    assert {r.status for r in forced} == {"ingested"}
    assert graph.counts() == before


def test_a_broken_source_fails_alone(graph, pipeline_context, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from workers.jobs import JobStore
    from workers.pipeline import ingest_refs

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.json"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    good = tmp_path / "post.md"
    good.write_text("# Sparse attention is enough\n\nSparse attention matches dense attention on long documents "
                    "while using far less memory, according to the benchmarks in this paper.\n")
    before = graph.counts()
    jobs = JobStore.from_url(pipeline_context.settings.redis_url)
    results = ingest_refs([str(empty), str(tmp_path / "missing.txt"), str(binary), str(good)], pipeline_context,
                          job_uid="job:test-broken", jobs=jobs)
    status = {Path(r.ref).name: r for r in results}
    assert status["post.md"].status == "ingested"
    for name in ("empty.txt", "missing.txt", "blob.json"):
        assert status[name].status == "failed" and status[name].error
    assert "empty" in status["empty.txt"].error
    assert graph.counts()["Source"] == before["Source"] + 1
    job = jobs.get("job:test-broken")
    assert job["n_failed"] == 3 and job["n_ingested"] == 1
    assert any("missing.txt" in line for line in job["errors"])


def test_rest_trace_matches_the_pipeline(local_stack, pipeline_context) -> None:  # type: ignore[no-untyped-def]
    from service.app import create_app

    app = create_app({"TESTING": True, "SETTINGS": local_stack,
                      "SERVICES": {"graph": pipeline_context.graph, "encoder": pipeline_context.encoder}})
    client = app.test_client()
    response = client.get("/api/v1/trace?q=CoT+adds+depth")
    assert response.status_code == 200
    body = response.get_json()
    assert any(SVACHALEK_QUOTE.lower() in s["text"].lower() and s["author"] == "svachalek" for s in body["supports"])
    search = client.get("/api/v1/search?q=Mamba+will+replace+transformers").get_json()
    assert search["claims"] and all(-1.0 <= c["similarity"] <= 1.0 for c in search["claims"])
    claim_uid = search["claims"][0]["uid"]
    assert client.get(f"/api/v1/claims/{claim_uid}").get_json()["uid"] == claim_uid
    assert client.get("/api/v1/claims/claim:nope").status_code == 404
    papers = client.get("/api/v1/papers").get_json()["papers"]
    assert any(p.get("arxiv_id") == "2501.12948" for p in papers)


def test_listings(graph) -> None:  # type: ignore[no-untyped-def]
    papers = graph.list_papers(limit=1000)
    assert papers and all("uid" in p and "n_posts" in p for p in papers)
    methods = graph.list_methods(limit=1000)
    assert any(m["name"] == "chain of thought" for m in methods)
    sources = graph.list_sources()
    assert len(sources) >= 5 and all(s["n_posts"] >= 1 for s in sources)


@pytest.mark.parametrize("order", ["flat-first", "gopher-first"])
def test_a_flattened_copy_adds_no_posts(graph, pipeline_context, order: str) -> None:  # type: ignore[no-untyped-def]
    """Sample 000 is sample 001's thread flattened: together they are 001's posts, with authors."""
    from workers.pipeline import ingest_refs

    flat, gopher = (str(p) for p in sorted(DEMO_CORPUS.glob("00[01]_*.txt")))
    graph.delete_everything()
    ingest_refs([gopher], pipeline_context)
    alone = graph.counts()["Post"]
    graph.delete_everything()
    refs = [flat, gopher] if order == "flat-first" else [gopher, flat]
    assert {r.status for r in ingest_refs(refs, pipeline_context)} == {"ingested"}
    assert graph.counts()["Post"] == alone
    records, _, _ = graph.driver.execute_query(
        "MATCH (p:Post)-[:IN]->(s:Source) WHERE s.title IS NULL RETURN count(p) AS n"
    )
    row = records[0].data()
    assert row["n"] > 10
    rows, _, _ = graph.driver.execute_query(
        "MATCH (p:Post)-[:IN]->(s:Source) WHERE s.title IS NULL AND NOT EXISTS { (p)<-[:WROTE]-(:Person) } "
        "RETURN count(p) AS orphans"
    )
    assert rows[0]["orphans"] == 0


def test_ingest_over_the_api_records_a_refused_url(local_stack) -> None:  # type: ignore[no-untyped-def]
    """POST /ingest -> Redis -> worker -> job record: a loopback URL is refused by the SSRF guard."""
    import time

    from service.app import create_app

    client = create_app({"TESTING": True, "SETTINGS": local_stack}).test_client()
    response = client.post("/api/v1/ingest", json={"refs": ["http://127.0.0.1:9/paper.html"]})
    assert response.status_code == 202
    job_uid = response.get_json()["job"]
    deadline = time.monotonic() + 120
    job = client.get(f"/api/v1/jobs/{job_uid}").get_json()
    while job.get("status") in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.5)
        job = client.get(f"/api/v1/jobs/{job_uid}").get_json()
    assert job["status"] == "failed"
    assert job["n_failed"] == 1 and "127.0.0.1" in job["errors"][0]
    assert client.get("/api/v1/jobs/job:nope").status_code == 404
