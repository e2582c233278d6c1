"""A statement written with an acronym its document defines is embedded with the acronym
spelled out, so a query in full words finds it: real Neo4j, models and trace."""

from __future__ import annotations

import pytest

from workers.documents import Document, Post, SourceKind

pytestmark = [pytest.mark.integration, pytest.mark.models]

DEFINITION = "This paper regularises adversarial training with spectral normalization (SN) of every layer."
USES_ACRONYM = "Across our runs, SN improves robust test accuracy by twelve points over plain adversarial training."
QUERY = "spectral normalization improves robust accuracy"


def review_document() -> Document:
    posts = (Post("r1", DEFINITION, author="reviewer"), Post("r2", USES_ACRONYM, author="Authors", parent_id="r1"))
    return Document(kind=SourceKind.HN_THREAD, title="Spectral normalization for adversarial training", posts=posts)


def test_a_statement_using_its_documents_acronym_meets_the_spelled_out_query(  # type: ignore[no-untyped-def]
    local_stack, empty_graph, pipeline_context
) -> None:
    from workers.pipeline import ingest_document
    from workers.trace import trace_claim

    assert ingest_document(review_document(), pipeline_context, ref="thread:sn").status == "ingested"
    services = pipeline_context.trace_services()
    expanded = services.encoder.encode([services.methods.normalise_aliases(QUERY)])[0]
    as_written = services.encoder.encode([USES_ACRONYM])[0]
    result = trace_claim(QUERY, services)
    returned = {item["text"]: item for label in ("supports", "disputes") for item in result[label]}
    # Stored with "SN" spelled out, the statement is closer to the query than its bare words are.
    assert returned[USES_ACRONYM]["similarity"] > float(as_written @ expanded) + 0.1


def test_a_query_using_the_acronym_a_document_defined_is_spelled_out_as_its_statements_were(  # type: ignore[no-untyped-def]
    local_stack, empty_graph, pipeline_context
) -> None:
    from workers.pipeline import ingest_document
    from workers.trace import search, trace_claim

    assert ingest_document(review_document(), pipeline_context, ref="thread:sn").status == "ingested"
    services = pipeline_context.trace_services()
    result = trace_claim("SN improves robust accuracy", services)
    assert result["normalised_query"] == "spectral normalization improves robust accuracy"
    returned = {item["text"] for label in ("supports", "disputes") for item in result[label]}
    assert USES_ACRONYM in returned
    assert search("SN improves robust accuracy", services)["normalised_query"] == result["normalised_query"]
