"""The paper's authors answering their critics in a review thread's reply, through the real
Neo4j, models and trace."""

from __future__ import annotations

import pytest

from workers.documents import Document, Post, SourceKind

pytestmark = [pytest.mark.integration, pytest.mark.models]

HORIZON_POINT = "Dreamer is less effective with very long imagination horizons, since the value estimates become unreliable."
HORIZON_ANSWER = "Figure 4 shows that longer horizons do not hurt Dreamer, thanks to the value estimates."


def horizon_thread(answer_author: str) -> Document:
    review = Post("r1", f"The paper proposes Dreamer, an agent that learns behaviours from latent imagination. "
                        f"{HORIZON_POINT}", author="AnonReviewer4")
    reply = Post("a1", f"Thank you for the review.\n\n{HORIZON_ANSWER}", parent_id="r1", author=answer_author)
    return Document(kind=SourceKind.HN_THREAD, title="Dream to Control", posts=(review, reply))


@pytest.mark.parametrize(("answer_author", "rebuts"), [
    ("Authors", True),
    ("AnonReviewer3", False),  # a fellow reviewer's same words are read as they stand
])
def test_the_papers_authors_answering_a_critic_in_prose_argue_against_the_critics_point(  # type: ignore[no-untyped-def]
    local_stack, empty_graph, pipeline_context, answer_author: str, rebuts: bool
) -> None:
    """No quotation and no word of disagreement: the authors' answer to the reviewer who made
    the point is read without the general lean toward support, so the model's reading (the
    answer disputes the point) stands, and the authors do not agree that Dreamer fails on long
    horizons. A fellow reviewer's same words are read with that lean, as any statement is."""
    from workers.pipeline import ingest_document
    from workers.trace import REBUTTAL_EXTRACTOR, trace_claim

    assert ingest_document(horizon_thread(answer_author), pipeline_context, ref="thread:horizon").status == "ingested"
    records, _, _ = empty_graph.driver.execute_query(
        "MATCH (p:Post)<-[:WROTE]-(a:Person) RETURN a.name AS name, p.speaks_for_paper AS speaks")
    assert {record["name"]: record["speaks"] for record in records} == {
        "AnonReviewer4": False, answer_author: answer_author == "Authors"}

    result = trace_claim("Dreamer is less effective with very long horizons", pipeline_context.trace_services())
    assert any(s["author"] == "AnonReviewer4" and HORIZON_POINT in s["text"] for s in result["supports"])
    (answer,) = [s for s in result["supports"] + result["disputes"] if HORIZON_ANSWER in s["text"]]
    assert answer["author"] == answer_author
    if rebuts:
        assert answer in result["disputes"] and answer["extractor"] == REBUTTAL_EXTRACTOR
        assert answer["reply_to"]["author"] == "AnonReviewer4"
    else:
        assert answer in result["supports"] and answer["extractor"] != REBUTTAL_EXTRACTOR
