"""A claim that denies in its author's own voice, or that turns against the point made before
it, is the opposite of what a query asserts: real Neo4j, models and trace."""

from __future__ import annotations

import pytest

from workers.documents import Document, Post, SourceKind

pytestmark = [pytest.mark.integration, pytest.mark.models]

DENIAL = "I don't think Glow is encouraged to increase its sensitivity to small input perturbations."


def review_document() -> Document:
    review = Post("r1", f"The writing is clear and the experiments are thorough. {DENIAL}", author="AnonReviewer3")
    return Document(kind=SourceKind.HN_THREAD, title="Flow models and likelihood", posts=(review,))


def test_a_first_person_denial_disputes_the_proposition_it_denies(  # type: ignore[no-untyped-def]
    local_stack, empty_graph, pipeline_context
) -> None:
    from workers.pipeline import ingest_document
    from workers.trace import trace_claim

    assert ingest_document(review_document(), pipeline_context, ref="thread:glow").status == "ingested"
    services = pipeline_context.trace_services()

    def labels(query: str) -> dict[str, list[str]]:
        result = trace_claim(query, services)
        assert result["claim"]["text"] == DENIAL  # the denial's own claim is the one meant
        assert result["claim"]["denies_query"] is ("not" not in query.split())
        return {label: [s["text"] for s in result[label] if s["author"] == "AnonReviewer3"]
                for label in ("supports", "disputes")}

    # The reviewer denies what this query asserts...
    assert labels("Glow is encouraged to increase sensitivity to input perturbations") == {
        "supports": [], "disputes": [DENIAL]}
    # ...and agrees with the query that denies it too.
    assert labels("Glow is not encouraged to increase sensitivity to input perturbations") == {
        "supports": [DENIAL], "disputes": []}


POINT = "The authors report that their key-value cache makes decoding cost independent of the context length."
COUNTER = "However, the memory of the cache still grows linearly with the context, so very long contexts remain out of reach."
CRITIQUE = "The main weakness is that the evaluation covers only two summarisation tasks."
TURN_BACK = "But overall, the sparse retrieval head is a real contribution to efficient reading of long documents."


def contrast_document() -> Document:
    counter = Post("r1", f"{POINT} {COUNTER}", author="AnonReviewer2")
    turn_back = Post("r2", f"{CRITIQUE} {TURN_BACK}", author="AnonReviewer4")
    return Document(kind=SourceKind.HN_THREAD, title="Long-context decoding", posts=(counter, turn_back))


def test_a_claim_turning_against_the_point_before_it_disputes_that_point(  # type: ignore[no-untyped-def]
    local_stack, empty_graph, pipeline_context
) -> None:
    from workers.pipeline import ingest_document
    from workers.trace import trace_claim

    assert ingest_document(contrast_document(), pipeline_context, ref="thread:cache").status == "ingested"
    services = pipeline_context.trace_services()

    def traced(query: str, claim_text: str) -> tuple[bool, dict[str, list[str]]]:
        result = trace_claim(query, services)
        assert result["claim"]["text"] == claim_text
        return result["claim"]["denies_query"], {
            label: [s["text"] for s in result[label] if s["text"] in (COUNTER, TURN_BACK)]
            for label in ("supports", "disputes")}

    # A topic names the point the reviewer counters: the counter disputes it.
    assert traced("cache memory for very long contexts", COUNTER) == (True, {"supports": [], "disputes": [COUNTER]})
    # A query that sides with the counter is supported by it.
    assert traced("the cache memory still grows linearly with the context", COUNTER) == (
        False, {"supports": [COUNTER], "disputes": []})
    # After a critique, "But overall, ..." turns back to the work's side: it supports the topic.
    assert traced("sparse retrieval head for efficient long document reading", TURN_BACK) == (
        False, {"supports": [TURN_BACK], "disputes": []})
