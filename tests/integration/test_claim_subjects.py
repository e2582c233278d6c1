"""What a reviewer calls "the work" is found by the name of the method the paper introduces:
real Neo4j, models and trace."""

from __future__ import annotations

import pytest

from workers.documents import Document, Post, SourceKind

pytestmark = [pytest.mark.integration, pytest.mark.models]

NOVELTY = "The work has limited novelty: the learning of the world model closely follows the prior work of PlaNet."


def _review_thread(introduction: str) -> Document:
    summary = Post("r1", f"{introduction} On the control suite, Dreamer learns long-horizon behaviours from images, "
                         "and the results of Dreamer are strong.", author="AnonReviewer4")
    critique = Post("r2", f"The experiments are thorough. {NOVELTY}", author="AnonReviewer1")
    # the thread is about a paper: its story links the paper's OpenReview page
    return Document(kind=SourceKind.HN_THREAD, title="Dream to Control", posts=(summary, critique),
                    primary_link="https://openreview.net/forum?id=S1lOTC4tDS")


@pytest.mark.parametrize(("introduction", "found"), [
    ("The paper proposes Dreamer, an agent that learns behaviours by latent imagination.", True),
    # no method named: "the work" stays what it is, and the query's name does not meet it
    ("The paper proposes an agent that learns behaviours by latent imagination.", False),
])
def test_the_work_a_reviewer_criticises_is_found_by_the_name_of_the_method_it_introduces(  # type: ignore[no-untyped-def]
    local_stack, empty_graph, pipeline_context, introduction: str, found: bool
) -> None:
    from workers.pipeline import ingest_document
    from workers.trace import trace_claim

    assert ingest_document(_review_thread(introduction), pipeline_context, ref="thread:dreamer").status == "ingested"
    result = trace_claim("Dreamer has limited novelty", pipeline_context.trace_services())
    returned = [s for s in result["supports"] + result["disputes"] if NOVELTY in s["text"]]
    assert bool(returned) is found
    if found:
        assert returned[0] in result["supports"] and returned[0]["author"] == "AnonReviewer1"
        assert returned[0]["text"].startswith("The work has limited novelty")  # its own words are shown
