"""A claim that denies in its author's own voice is the opposite of what a query asserts:
real Neo4j, models and trace."""

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
