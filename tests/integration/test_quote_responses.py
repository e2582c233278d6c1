"""A blogger's response to a quoted abstract, through the real Neo4j, the trace and the REST API."""

from __future__ import annotations

import pytest

from workers.documents import Document, Post, Quotation, SourceKind

pytestmark = [pytest.mark.integration, pytest.mark.models]

CLAIM = "With chain of thought, constant-depth transformers can solve any problem in P."
RESPONSE = "This is wrong: the result only holds for toy problems with unbounded precision."


def _blog() -> Document:
    text = f"A new paper on reasoning came out this week.\n\nFrom the abstract: \u201c{CLAIM}\u201d\n\n{RESPONSE}"
    start = text.index(CLAIM)
    post = Post("body", text, author="Ann Blogger", url="https://blog.example/cot",
                quotations=(Quotation(start, start + len(CLAIM), "the abstract"),))
    return Document(kind=SourceKind.BLOG, title="On CoT depth", posts=(post,), url="https://blog.example/cot",
                    author="Ann Blogger")


def test_a_quote_response_is_its_own_statement_in_the_graph_trace_and_api(  # type: ignore[no-untyped-def]
    local_stack, empty_graph, pipeline_context
) -> None:
    from service.app import create_app
    from workers.claims import QUOTE_RESPONSE_EXTRACTOR
    from workers.pipeline import ingest_document

    assert ingest_document(_blog(), pipeline_context, ref="blog:cot").status == "ingested"
    counts = empty_graph.counts()
    records, _, _ = empty_graph.driver.execute_query(
        "MATCH (st:Statement)-[r:SUPPORTS|DISPUTES]->(c:Claim) "
        "RETURN st.text AS text, st.quoted AS quoted, st.attributed_to AS attributed_to, st.via_quote AS via_quote, "
        "st.quote_source AS quote_source, type(r) AS stance, r.extractor AS extractor, c.uid AS claim_uid"
    )
    rows = [record.data() for record in records]
    (quoted,) = [row for row in rows if row["quoted"]]
    assert quoted["attributed_to"] == "the abstract" and quoted["stance"] == "SUPPORTS"
    (response,) = [row for row in rows if row["via_quote"]]
    assert (response["text"], response["stance"], response["claim_uid"]) == (RESPONSE, "DISPUTES", quoted["claim_uid"])
    assert response["extractor"] == QUOTE_RESPONSE_EXTRACTOR and response["quote_source"] == "the abstract"
    assert not response["quoted"] and response["attributed_to"] is None

    app = create_app({"TESTING": True, "SETTINGS": local_stack,
                      "SERVICES": {"graph": pipeline_context.graph, "encoder": pipeline_context.encoder}})
    body = app.test_client().get("/api/v1/trace", query_string={"q": CLAIM}).get_json()
    assert body["claim"]["uid"] == quoted["claim_uid"]
    (item,) = [s for s in body["disputes"] if s["extractor"] == QUOTE_RESPONSE_EXTRACTOR]
    assert item["text"] == RESPONSE and item["author"] == "Ann Blogger" and not item["quoted"]
    # What the response answers is the quoted passage, and who it is from.
    assert item["reply_to"] == {"author": "the abstract", "text": CLAIM, "url": None}
    assert any(s["attributed_to"] == "the abstract" and s["quoted"] for s in body["supports"])

    # Forced re-extraction rewrites the same rows.
    assert ingest_document(_blog(), pipeline_context, ref="blog:cot", force=True).status == "ingested"
    assert empty_graph.counts() == counts


REVIEW_POINT = "The results of the paper do not give major insights into how to train GANs."
REBUTTAL_ANSWER = "[A] We respectfully disagree: the paper shows that spectral normalization helps on every dataset."


def _review_thread() -> Document:
    review = Post("r1", f"This paper compares GAN losses on many datasets. {REVIEW_POINT}", author="AnonReviewer2")
    rebuttal = Post("a1", f"Thank you for the review.\n\n[Q] {REVIEW_POINT}\n\n{REBUTTAL_ANSWER}",
                    parent_id="r1", author="Authors")
    return Document(kind=SourceKind.HN_THREAD, title="The GAN Landscape", posts=(review, rebuttal))


def test_a_rebuttal_answering_a_restated_review_point_disputes_it(  # type: ignore[no-untyped-def]
    local_stack, empty_graph, pipeline_context
) -> None:
    """The "[Q]" line repeats the review, so it is the reviewer's; the "[A]" answer disputes it."""
    from workers.pipeline import ingest_document
    from workers.trace import trace_claim

    assert ingest_document(_review_thread(), pipeline_context, ref="thread:gan").status == "ingested"
    result = trace_claim(REVIEW_POINT, pipeline_context.trace_services())
    supporters = [(s["author"], s["text"]) for s in result["supports"]]
    assert any(author == "AnonReviewer2" and REVIEW_POINT in text for author, text in supporters)
    assert all(author != "Authors" for author, _ in supporters)
    (answer,) = [s for s in result["disputes"] if s["via_quote"]]
    assert answer["author"] == "Authors" and answer["text"].startswith("[A] We respectfully disagree")
    assert answer["reply_to"]["author"] == "AnonReviewer2"


UNDERFIT_POINT = "The experiments suggest that the flow models underfit the training distribution."
UNDERFIT_ANSWER = ("We do not believe our flow models underfit. In fact, Glow tends to overfit without weight decay. "
                   "We therefore tuned the weight decay on held-out data.")


def test_a_rebuttals_whole_answer_disputes_the_point_it_quotes_and_holds_its_sentences(  # type: ignore[no-untyped-def]
    local_stack, empty_graph, pipeline_context
) -> None:
    """Authors quote a review point and deny it: the trace shows their whole answer as one
    dispute, and none of its sentences again on its own."""
    from workers.pipeline import ingest_document
    from workers.trace import trace_claim

    review = Post("r1", f"The paper is clearly written. {UNDERFIT_POINT}", author="AnonReviewer2")
    rebuttal = Post("a1", f"Thank you for the review.\n\n1. \u201c{UNDERFIT_POINT}\u201d\n\n{UNDERFIT_ANSWER}",
                    parent_id="r1", author="Authors")
    document = Document(kind=SourceKind.HN_THREAD, title="Flow models", posts=(review, rebuttal))
    assert ingest_document(document, pipeline_context, ref="thread:flows").status == "ingested"

    result = trace_claim("flow models underfit the training distribution", pipeline_context.trace_services())
    assert any(s["author"] == "AnonReviewer2" and UNDERFIT_POINT in s["text"] for s in result["supports"])
    (answer,) = [s for s in result["disputes"] if s["via_quote"]]
    assert (answer["text"], answer["author"]) == (UNDERFIT_ANSWER, "Authors")
    assert answer["reply_to"]["author"] == "AnonReviewer2"
    shown_alone = [s["text"] for s in result["supports"] + result["disputes"] if not s["via_quote"]]
    assert not [text for text in shown_alone if text in UNDERFIT_ANSWER]


NOVELTY_POINT = "The work has limited novelty: the policy update closely follows earlier work on value gradients."
NOVELTY_ANSWER = ("Dreamer is a novel algorithm that belongs to the family of actor critic methods. "
                  "It learns long-horizon behaviors purely from imagined latent trajectories.")
NOVELTY_THANKS = "Thank you, we now discuss the earlier work on value gradients in the related work section."


def _novelty_thread(answer_author: str, answer: str) -> Document:
    review = Post("r1", f"This paper proposes Dreamer, an agent that learns from latent imagination. {NOVELTY_POINT}",
                  author="AnonReviewer1")
    reply = Post("a1", f"Thank you for your review!\n\n> {NOVELTY_POINT}\n\n{answer}", parent_id="r1",
                 author=answer_author)
    return Document(kind=SourceKind.HN_THREAD, title="Dream to Control", posts=(review, reply))


@pytest.mark.parametrize(("answer_author", "answer", "rebuts"), [
    ("Authors", NOVELTY_ANSWER, True),
    ("AnonReviewer3", NOVELTY_ANSWER, False),  # a fellow reviewer's unmarked answer takes no side
    ("Authors", NOVELTY_THANKS, False),  # the authors concede
])
def test_the_papers_authors_answering_a_quoted_critique_without_conceding_dispute_it(  # type: ignore[no-untyped-def]
    local_stack, empty_graph, pipeline_context, answer_author: str, answer: str, rebuts: bool
) -> None:
    """No words of agreement or disagreement: who answers decides whether the answer rebuts."""
    from workers.claims import QUOTE_RESPONSE_EXTRACTOR, REBUTTAL_CONFIDENCE
    from workers.pipeline import ingest_document

    document = _novelty_thread(answer_author, answer)
    assert ingest_document(document, pipeline_context, ref="thread:dreamer").status == "ingested"
    records, _, _ = empty_graph.driver.execute_query(
        "MATCH (st:Statement {via_quote: true})-[r:SUPPORTS|DISPUTES]->(c:Claim) "
        "RETURN st.text AS text, st.quote_agreement AS agreement, st.quote_source AS source, type(r) AS stance, "
        "r.confidence AS confidence, r.extractor AS extractor, c.text AS claim"
    )
    responses = [record.data() for record in records]
    if not rebuts:
        assert responses == []
        return
    (response,) = responses
    assert response["text"] == answer and NOVELTY_POINT in response["claim"]
    assert (response["stance"], response["agreement"], response["source"]) == ("DISPUTES", "disagrees", "AnonReviewer1")
    assert (response["extractor"], response["confidence"]) == (QUOTE_RESPONSE_EXTRACTOR, REBUTTAL_CONFIDENCE)

    # Each sentence of the answer knows what it answers, for the trace to read it through the quote.
    records, _, _ = empty_graph.driver.execute_query(
        "MATCH (st:Statement {via_quote: false})-[:FROM]->(:Post)<-[:WROTE]-(:Person {name: 'Authors'}) "
        "RETURN st.uid AS uid, st.text AS text")
    sentences = {record["uid"]: record["text"] for record in records}
    answers = empty_graph.answers_holding(list(sentences))
    held = {sentences[uid] for uid in answers}
    assert "Dreamer is a novel algorithm that belongs to the family of actor critic methods." in held
    assert {(row["quote_text"], row["quote_source"], row["agreement"]) for row in answers.values()} == {
        (NOVELTY_POINT, "AnonReviewer1", "disagrees")}
