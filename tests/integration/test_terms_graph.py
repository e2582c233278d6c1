"""A discussion's own terms of art become concept nodes its posts mention: real Neo4j and models."""

from __future__ import annotations

import pytest

from tests.support.graph_checks import method_mentions
from workers.documents import Document, Post, SourceKind

pytestmark = [pytest.mark.integration, pytest.mark.models]


def test_a_recurring_technical_phrase_becomes_a_concept_its_posts_mention(  # type: ignore[no-untyped-def]
    local_stack, empty_graph, pipeline_context
) -> None:
    from workers.pipeline import ingest_document

    posts = (
        Post("a", "We think feature leakage explains the transfer results.", author="alice"),
        Post("b", "Feature leakage cannot explain the targeted case.", author="bob", parent_id="a"),
        Post("c", "Thanks, the coffee machine is fixed. The coffee machine works.", author="carol", parent_id="a"),
    )
    document = Document(kind=SourceKind.HN_THREAD, title="Robust features", posts=posts)
    assert ingest_document(document, pipeline_context, ref="thread:terms").status == "ingested"

    mentions = method_mentions(empty_graph)
    leakage = [m for m in mentions if m["name"] == "feature leakage"]
    assert len(leakage) == 2  # both posts that use it
    assert {m["extractor"] for m in leakage} == {"methods.term.v1"}
    assert leakage[0]["kind"] == "concept" and "feature leakages" in leakage[0]["aliases"]
    assert not [m for m in mentions if "coffee" in m["name"]]


def test_names_read_from_the_names_around_them_become_method_nodes(  # type: ignore[no-untyped-def]
    local_stack, empty_graph, pipeline_context
) -> None:
    from workers.pipeline import ingest_document

    posts = (
        Post("a", "Curiosity alone learns simple games (e.g., Atari, Super Mario, Pong).", author="alice"),
        Post("b", "They swap ResNet for SNDCGAN and use the DiCE estimator. The Lipshitz constant is huge.",
             author="bob", parent_id="a"),
    )
    document = Document(kind=SourceKind.HN_THREAD, title="Curiosity", posts=posts)
    assert ingest_document(document, pipeline_context, ref="thread:named").status == "ingested"

    by_name = {m["name"]: m for m in method_mentions(empty_graph)}
    assert {by_name[name]["kind"] for name in ("Super Mario", "Pong")} == {"benchmark"}
    assert by_name["SNDCGAN"]["kind"] == "architecture" and by_name["DiCE"]["kind"] == "technique"
    assert {by_name[name]["extractor"] for name in ("Super Mario", "SNDCGAN", "DiCE")} == {"methods.named.v1"}
    assert "Lipshitz constant" in by_name["Lipschitz continuity"]["aliases"]
