"""A sentence that only makes sense after the one before it is found through that context:
real Neo4j, models and trace."""

from __future__ import annotations

import pytest

from workers.documents import Document, Post, SourceKind

pytestmark = [pytest.mark.integration, pytest.mark.models]

DEFINITION = "Useful non-robust features are patterns that predict the label yet flip under imperceptible perturbations."
QUESTION = "Can such patterns be written down by hand?"
FOLLOW_UP = "Fortunately, we can construct such patterns by combining elements of this basis."
UNRELATED = "The training run took three days on eight GPUs and used a cosine learning rate schedule."
QUERY = "useful non-robust features can be constructed"


def blog_document() -> Document:
    # The question keeps the two statements apart (no passage joins them) and is context too.
    post = Post("b1", f"{DEFINITION} {QUESTION} {FOLLOW_UP}\n\n{UNRELATED}", author="distill-commenter")
    return Document(kind=SourceKind.BLOG, title="Two examples of useful, non-robust features", posts=(post,))


def test_a_statement_is_found_through_the_sentences_before_it(  # type: ignore[no-untyped-def]
    local_stack, empty_graph, pipeline_context
) -> None:
    from workers.pipeline import ingest_document
    from workers.trace import trace_claim

    assert ingest_document(blog_document(), pipeline_context, ref="blog:non-robust").status == "ingested"
    services = pipeline_context.trace_services()
    result = trace_claim(QUERY, services)
    returned = {item["text"]: item for label in ("supports", "disputes") for item in result[label]}
    follow_up = returned[FOLLOW_UP]
    # On its own words the follow-up is far from the query; read after the definition it is not.
    assert follow_up["similarity"] < services.settings.trace_min_score <= follow_up["relevance"]
    assert follow_up["context"] == f"{DEFINITION} {QUESTION}"
    # It goes on in the stance of the definition, which states the claim the query means.
    assert result["claim"]["text"] == DEFINITION and DEFINITION in {item["text"] for item in result["supports"]}
    assert follow_up in result["supports"] and follow_up["extractor"] == "stance.continuation.v1"
    assert not any(UNRELATED in text for text in returned)
