"""A quoting author's own stance toward what they quote, with the real spaCy, MiniLM and stance models."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from workers.claims import QUOTE_RESPONSE_EXTRACTOR, REPLY_EXTRACTOR
from workers.documents import Document, Post, Quotation, SourceKind
from workers.nlp import load_nlp
from workers.parse.quotes import find_quotations
from workers.pipeline import Extraction, PipelineContext, extract_document
from workers.quotations import quoted_passages
from workers.settings import Settings
from workers.statements import extract_statements

pytestmark = pytest.mark.models

CLAIM = "With chain of thought, constant-depth transformers can solve any problem in P."


class EmptyGraph:
    """A graph that holds nothing yet: every claim a document makes is new."""

    def nearest_claims_batch(self, vectors: Sequence[Sequence[float]], k: int) -> list[list[dict[str, Any]]]:
        return [[] for _ in vectors]

    def claims_of_statements(
        self, statement_uids: Sequence[str], derived_extractors: Sequence[str] = ()
    ) -> dict[str, dict[str, Any]]:
        return {}

    def claims_outliving_rewrite(
        self, claim_uids: Sequence[str], post_uids: Sequence[str], keep_uids: Sequence[str]
    ) -> set[str]:
        return set()

    def papers_by_title_key(self, title_keys: Sequence[str]) -> dict[str, str]:
        return {}


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_nlp()


@pytest.fixture(scope="module")
def ctx(nlp) -> PipelineContext:  # type: ignore[no-untyped-def]
    from workers.embed import create_encoder
    from workers.methods import MethodCatalog
    from workers.stance import StanceModel

    encoder = create_encoder("minilm")
    return PipelineContext(
        settings=Settings.from_env({}), graph=EmptyGraph(), encoder=encoder, nlp=nlp,  # type: ignore[arg-type]
        fetcher=None, methods=MethodCatalog.load(nlp), stance=StanceModel.load(encoder, nlp),
    )


def _blog(text: str, quoted: str, attributed_to: str | None = "the abstract") -> Document:
    start = text.index(quoted)
    quotation = Quotation(start, start + len(quoted), attributed_to)
    post = Post("body", text, author="Ann Blogger", quotations=(quotation,))
    return Document(kind=SourceKind.BLOG, title="A blog", posts=(post,), author="Ann Blogger")


def _extract(document: Document, ctx: PipelineContext) -> Extraction:
    return extract_document(document, ctx, source_uid="src:test",
                            post_uids={post.local_id: "post:" + post.local_id for post in document.posts})


def _stances(out: Extraction, **match: Any) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(stance, statement row, edge row) for statements whose row has the `match` values."""
    statements = {row["uid"]: row for row in out.statements}
    found = []
    for stance, rows in (("supports", out.supports), ("disputes", out.disputes)):
        for edge in rows:
            row = statements[edge["statement_uid"]]
            if all(row.get(key) == value for key, value in match.items()):
                found.append((stance, row, edge))
    return found


def _quoted_claim(out: Extraction) -> str:
    ((stance, _, edge),) = _stances(out, quoted=True)
    assert stance == "supports"
    return str(edge["claim_uid"])


# --- where the author's words are -------------------------------------------------------


def test_a_block_quote_has_its_introduction_and_response(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (f"I disagree with this claim:\n\n\u201c{CLAIM}\u201d\n\u2013 Some Author (2024)\n\n"
            "It only holds with unbounded precision. Real models round. Anyway, on to other news.")
    (passage,) = quoted_passages(_blog(text, CLAIM).posts[0], nlp)
    assert passage.text == CLAIM and passage.attributed_to == "the abstract"
    assert passage.introduction is not None and passage.introduction.text == "I disagree with this claim:"
    # The "– name" attribution line is not the author's response; two sentences are.
    assert passage.response is not None
    assert passage.response.text == "It only holds with unbounded precision. Real models round."
    assert text[passage.response.start : passage.response.end] == passage.response.text


def test_an_inline_quote_is_answered_within_its_paragraph(nlp) -> None:  # type: ignore[no-untyped-def]
    quoted = "depth matters more than width for reasoning"
    text = f'The authors say directly "{quoted}".\n\nSeparately, the code is on GitHub.'
    (passage,) = quoted_passages(_blog(text, quoted, None).posts[0], nlp)
    assert passage.response is None
    assert passage.introduction is not None and passage.introduction.text == "The authors say directly"


def test_a_response_that_finishes_the_quotes_sentence_gets_a_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    quoted = "Transformers will never learn to count reliably"
    text = f'"{quoted}" is simply wrong. Counting heads exist.'
    (passage,) = quoted_passages(_blog(text, quoted, None).posts[0], nlp)
    assert passage.finishes_sentence
    assert passage.response_as_sentence() == "This is simply wrong. Counting heads exist."


def test_adjacent_quotations_are_one_passage(nlp) -> None:  # type: ignore[no-untyped-def]
    first, second = "Depth beats width for reasoning.", "Width beats nothing at all."
    text = f"\u201c{first}\u201d\n\u2013 Alice\n\n\u201c{second}\u201d\n\u2013 Bob\n\nBoth of these are right."
    quotations = tuple(Quotation(text.index(q), text.index(q) + len(q), who) for q, who in ((first, "Alice"),
                                                                                          (second, "Bob")))
    (passage,) = quoted_passages(Post("body", text, quotations=quotations), nlp)
    assert (passage.text, passage.attributed_to) == (f"{first}\n{second}", "Alice")
    assert passage.response is not None and passage.response.text == "Both of these are right."


UNDERFIT_POINT = "The experiments suggest that the flow models underfit the training distribution."
UNDERFIT_ANSWER = ("We do not believe our flow models underfit. In fact, Glow tends to overfit without weight decay. "
                   "We therefore tuned the weight decay on held-out data.")


def test_the_answer_to_a_quote_runs_to_the_next_quoted_point(nlp) -> None:  # type: ignore[no-untyped-def]
    second = "The paper studies only one dataset pair."
    text = (f"Thank you for the review.\n\n1. \u201c{UNDERFIT_POINT}\u201d\n\n{UNDERFIT_ANSWER}\n\n"
            f"2. \u201c{second}\u201d\n\nSee the general response.")
    quotations = tuple(Quotation(text.index(q), text.index(q) + len(q), None) for q in (UNDERFIT_POINT, second))
    first_passage, second_passage = quoted_passages(Post("a1", text, quotations=quotations), nlp)
    # Two sentences say how the author takes the point; the answer is all they write back.
    assert first_passage.response is not None and first_passage.response.text == (
        "We do not believe our flow models underfit. In fact, Glow tends to overfit without weight decay.")
    assert first_passage.answer is not None and first_passage.answer.text == UNDERFIT_ANSWER
    assert text[first_passage.answer.start : first_passage.answer.end] == UNDERFIT_ANSWER
    assert second_passage.answer is not None and second_passage.answer.text == "See the general response."


def test_the_answer_goes_on_past_a_long_response(nlp) -> None:  # type: ignore[no-untyped-def]
    point = "Stochastic environments seem a potential fatal flaw of this method."
    answer = ("We agree that heavy stochasticity would break the method we used. It is an important issue for "
              "future work. Our demonstration of it in the maze has already inspired follow-up papers.")
    text = f"R2: \u201c{point}\u201d\n\n{answer}"
    (passage,) = quoted_passages(Post("a1", text, quotations=(Quotation(text.index(point), text.index(point)
                                                                        + len(point), None),)), nlp)
    assert passage.answer is not None and passage.answer.text == answer


def test_the_authors_anaphoric_answer_is_not_joined_to_the_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    text = f"From the abstract:\n\n\u201c{CLAIM}\u201d\n\nThis is simply not what happens in practice."
    statements = extract_statements(_blog(text, CLAIM), nlp)
    assert [(s.text, s.quoted) for s in statements] == [
        (f"\u201c{CLAIM}\u201d", True),
        ("This is simply not what happens in practice.", False),
    ]


# --- the author's stance ------------------------------------------------------------------


def test_a_blogger_who_calls_the_quote_wrong_disputes_its_claim(ctx) -> None:  # type: ignore[no-untyped-def]
    text = (f"A new paper on reasoning came out this week.\n\nFrom the abstract: \u201c{CLAIM}\u201d\n\n"
            "This is wrong: the result only holds for toy problems with unbounded precision.")
    out = _extract(_blog(text, CLAIM), ctx)
    claim_uid = _quoted_claim(out)

    # The quoted words stay the abstract's.
    ((_, quoted_row, _),) = _stances(out, quoted=True)
    assert quoted_row["attributed_to"] == "the abstract" and not quoted_row["via_quote"]

    # The blogger's own stance is a separate statement of the same post.
    ((stance, row, edge),) = _stances(out, via_quote=True)
    assert (stance, edge["claim_uid"]) == ("disputes", claim_uid)
    assert edge["extractor"] == QUOTE_RESPONSE_EXTRACTOR and 0.5 <= edge["confidence"] <= 1.0
    assert row["text"].startswith("This is wrong: the result only holds")
    assert row["quoted"] is False and row["attributed_to"] is None and row["via_reply"] is False
    assert row["quote_text"] == CLAIM and row["quote_source"] == "the abstract"
    assert row["post_uid"] == "post:body" and text[row["start"] : row["end"]] == row["text"]
    # The post's ordinary statements are still there, as before.
    assert any(r["text"] == row["text"] and not r["via_quote"] for r in out.statements)


def test_a_rebuttal_denying_a_quoted_review_point_disputes_it_with_its_whole_answer(ctx) -> None:  # type: ignore[no-untyped-def]
    review = Post("r1", f"The paper is clearly written. {UNDERFIT_POINT}", author="AnonReviewer2")
    rebuttal = Post("a1", f"Thank you for the review.\n\n1. \u201c{UNDERFIT_POINT}\u201d\n\n{UNDERFIT_ANSWER}",
                    parent_id="r1", author="Authors")
    out = _extract(Document(kind=SourceKind.HN_THREAD, title="Flows", posts=(review, rebuttal)), ctx)
    (point_claim,) = {edge["claim_uid"] for _, row, edge in _stances(out, post_uid="post:r1")
                      if row["text"] == UNDERFIT_POINT}
    answers = [(stance, row["text"], edge["claim_uid"]) for stance, row, edge in _stances(out, via_quote=True)]
    assert answers == [("disputes", UNDERFIT_ANSWER, point_claim)]


def test_a_blogger_who_endorses_the_quote_supports_its_claim(ctx) -> None:  # type: ignore[no-untyped-def]
    text = (f"My friend shared this:\n\n{CLAIM}\n\n"
            "Exactly, and this is why reasoning models keep getting better at long problems.")
    out = _extract(_blog(text, CLAIM, "my friend"), ctx)
    claim_uid = _quoted_claim(out)
    ((stance, row, edge),) = _stances(out, via_quote=True)
    assert (stance, edge["claim_uid"]) == ("supports", claim_uid)
    assert row["quote_source"] == "my friend"


def test_the_introduction_speaks_when_the_response_does_not(ctx) -> None:  # type: ignore[no-untyped-def]
    text = f"I disagree with this claim:\n\n{CLAIM}\n\nThe paper was posted to arXiv on Monday."
    out = _extract(_blog(text, CLAIM), ctx)
    claim_uid = _quoted_claim(out)
    ((stance, row, edge),) = _stances(out, via_quote=True)
    assert (stance, edge["claim_uid"], row["text"]) == ("disputes", claim_uid, "I disagree with this claim:")


@pytest.mark.parametrize("response", [
    "The paper was posted to arXiv on Monday by a team of four.",
    # A paraphrase explains the quote; it does not endorse it.
    "In other words, letting a transformer write out intermediate steps lets a shallow model solve any problem in P.",
])
def test_a_neutral_or_explaining_response_takes_no_stance(ctx, response: str) -> None:  # type: ignore[no-untyped-def]
    text = f"From the abstract:\n\n{CLAIM}\n\n{response}"
    out = _extract(_blog(text, CLAIM), ctx)
    _quoted_claim(out)
    assert _stances(out, via_quote=True) == []


def test_a_response_that_contradicts_the_quote_in_its_own_words_disputes_it_once(ctx) -> None:  # type: ignore[no-untyped-def]
    text = f"From the abstract:\n\n{CLAIM}\n\nConstant-depth transformers cannot solve problems outside TC0, " \
           "chain of thought or not."
    out = _extract(_blog(text, CLAIM), ctx)
    claim_uid = _quoted_claim(out)
    # The author's own statement already disputes the quoted claim: no second, derived stance.
    authors_stances = [(stance, edge["claim_uid"]) for stance, _, edge in _stances(out, quoted=False)]
    assert authors_stances == [("disputes", claim_uid)]


def test_a_comment_quoting_its_parent_answers_only_what_it_quotes(ctx) -> None:  # type: ignore[no-untyped-def]
    first = "Mamba will replace transformers within a year because it scales linearly."
    second = "Also attention is overrated for long documents."
    parent = Post("1", f"{first} {second}", author="alice")
    text = f"> {first}\n\nI doubt it.\n\n> {second}\n\nAgreed, long context is exactly where attention hurts."
    reply = Post("2", text, parent_id="1", author="carol", quotations=find_quotations(text, block_cues=False))
    thanks = Post("3", "Exactly, well said.", parent_id="2", author="dave")
    out = _extract(Document(kind=SourceKind.HN_THREAD, title="t", posts=(parent, reply, thanks)), ctx)

    claim_of = {row["text"]: edge["claim_uid"] for _, row, edge in _stances(out, post_uid="post:1")}
    by_quote = _stances(out, post_uid="post:2", via_quote=True)
    assert {(stance, edge["claim_uid"]) for stance, _, edge in by_quote} == {
        ("disputes", claim_of[first]), ("supports", claim_of[second])}
    assert {row["quote_source"] for _, row, _ in by_quote} == {"alice"}
    # The parent's words are not carol's statements, and she takes one stance per claim.
    assert not [row for _, row, _ in _stances(out, post_uid="post:2") if first in row["text"]]
    carol_claims = [edge["claim_uid"] for _, row, edge in _stances(out, post_uid="post:2")
                    if row["via_quote"] or row["via_reply"]]
    assert len(carol_claims) == len(set(carol_claims))
    # An "Exactly" reply to carol inherits her answers to the quotes.
    inherited = _stances(out, post_uid="post:3", via_reply=True)
    assert {("disputes", claim_of[first]), ("supports", claim_of[second])} <= {
        (stance, edge["claim_uid"]) for stance, _, edge in inherited}
    assert {edge["extractor"] for _, _, edge in inherited} == {REPLY_EXTRACTOR}


def test_a_replys_lines_repeating_its_parent_become_quotations_of_the_parent() -> None:
    from workers.documents import Document, SourceKind
    from workers.quotations import with_parent_quotations

    review = Post("r1", "The method is neat. However, it is not clear to me that these are novel results. "
                        "It'd be interesting to see how optimization of the actions would lead to better states.",
                  author="AnonReviewer1")
    text = ("Thank you for your review!\n\n2. \u201cIt is not clear to me that these are novel results\u201d\n\n"
            "Our main contribution is a new bound.\n\n> 3. [...] It'd be interesting to see how optimization of "
            "the actions would lead to better states.\n\nWe have run these experiments.\n\n[Q] The method is neat.")
    rebuttal = Post("a1", text, parent_id="r1", author="Authors")
    marked = with_parent_quotations(Document(kind=SourceKind.HN_THREAD, title="t", posts=(review, rebuttal)))
    quoted = [(text[q.start:q.end], q.attributed_to) for q in marked.posts[1].quotations]
    assert quoted == [
        ("It is not clear to me that these are novel results", "AnonReviewer1"),
        ("[...] It'd be interesting to see how optimization of the actions would lead to better states.", "AnonReviewer1"),
    ]
    assert marked.posts[0].quotations == ()


def test_a_question_and_answer_pair_on_one_line_quotes_only_the_question() -> None:
    from workers.documents import Document, SourceKind
    from workers.quotations import with_parent_quotations

    review = Post("r1", "Intro. The results do not give major insights into GANs. "
                        "But there is no attempt to generalize the findings (e.g. new datasets), sadly.", author="R2")
    text = ("[Q] The results do not give major insights into GANs. [A]  We respectfully disagree. It is new.\n\n"
            "[Q] But there is no attempt to generalize the findings (e.g. new datasets), [A] We again disagree.")
    rebuttal = Post("a1", text, parent_id="r1", author="Authors")
    marked = with_parent_quotations(Document(kind=SourceKind.HN_THREAD, title="t", posts=(review, rebuttal)))
    assert [text[q.start:q.end] for q in marked.posts[1].quotations] == [
        "The results do not give major insights into GANs.",
        "But there is no attempt to generalize the findings (e.g. new datasets),",
    ]


@pytest.mark.parametrize(
    "reply_line",
    [
        # two passages spliced with an ellipsis that ends a sentence, inside curly quotes
        "\u201cSection 4 is a series of empirical analyses, based on one dataset pair\u2026.However, only 1 dataset "
        "pair is tried -- there should be more to ensure the findings generalize.\u201d",
        # an ellipsis, a space, then the next passage's first word glued to a period
        "At least this limitation should be pointed out in the paper\u2026 .Section 5 is based on a 2nd order "
        "expansion of the density.",
    ],
)
def test_a_spliced_quote_of_the_parent_is_the_parents(reply_line: str) -> None:
    from workers.parse.text import normalise_text
    from workers.quotations import repeats

    review = ("Pros: clear. Cons: Section 4 is a series of empirical analyses, based on one dataset pair. In 3/4 of "
              "the pairs it is not there. At least this limitation should be pointed out in the paper. Some parts "
              "are long-winded. However, only 1 dataset pair is tried -- there should be more to ensure the findings "
              "generalize. Section 5 is based on a 2nd order expansion of the density.")
    assert repeats(reply_line, normalise_text(review))
    assert not repeats(reply_line.replace("one dataset pair", "two dataset pairs").replace("2nd", "3rd"),
                       normalise_text(review))
