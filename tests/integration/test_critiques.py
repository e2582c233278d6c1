"""A newsletter's "Potential critiques" qualify the findings it summarised: real Neo4j, models, trace and API."""

from __future__ import annotations

import pytest

from workers.documents import Document, Post, SourceKind

pytestmark = [pytest.mark.integration, pytest.mark.models]

FINDING = "Results demonstrate that over-encoding with multi-gram input tokens improves language model performance."
CRITIQUE = "Potential critiques include the reliance on synthetic data and the small number of model sizes tested."
ASIDE = "The authors thank the reviewers for their comments."
SECOND_CRITIQUE = "Additionally, the larger input vocabulary needs far more embedding memory."


def _newsletter() -> Document:
    section = Post("s1", f"{FINDING} {ASIDE}\n\n{CRITIQUE} {SECOND_CRITIQUE}", author=None,
                   url="https://news.example/issue-3#s1")
    return Document(kind=SourceKind.NEWSLETTER, title="Papers this week", posts=(section,),
                    url="https://news.example/issue-3")


def test_a_critique_disputes_the_finding_its_section_reported(  # type: ignore[no-untyped-def]
    local_stack, empty_graph, pipeline_context
) -> None:
    from service.app import create_app
    from workers.claims import CRITIQUE_EXTRACTOR
    from workers.pipeline import ingest_document

    assert ingest_document(_newsletter(), pipeline_context, ref="news:3").status == "ingested"
    records, _, _ = empty_graph.driver.execute_query(
        "MATCH (st:Statement)-[r:SUPPORTS|DISPUTES]->(c:Claim) "
        "RETURN st.text AS text, type(r) AS stance, r.extractor AS extractor, c.text AS claim"
    )
    rows = [record.data() for record in records]
    qualified = [row for row in rows if row["extractor"] == CRITIQUE_EXTRACTOR]
    # Each critique disputes the finding's claim, and only that: the thanks report no finding.
    assert sorted((row["text"], row["stance"], row["claim"]) for row in qualified) == [
        (SECOND_CRITIQUE, "DISPUTES", FINDING), (CRITIQUE, "DISPUTES", FINDING)]
    # It still supports the claim it founded itself.
    assert {(row["stance"], row["claim"]) for row in rows if row["text"] == CRITIQUE} == {
        ("SUPPORTS", CRITIQUE), ("DISPUTES", FINDING)}

    app = create_app({"TESTING": True, "SETTINGS": local_stack,
                      "SERVICES": {"graph": pipeline_context.graph, "encoder": pipeline_context.encoder}})
    body = app.test_client().get("/api/v1/trace", query_string={"q": "over-encoding improves language models"}).get_json()
    assert body["claim"]["text"] == FINDING
    assert [s["text"] for s in body["supports"]] == [FINDING]
    # The two critiques follow one another in the section: one passage, disputing the finding.
    (item,) = body["disputes"]
    assert (item["text"], item["extractor"]) == (f"{CRITIQUE} {SECOND_CRITIQUE}", CRITIQUE_EXTRACTOR)
