"""The pieces of a trace that need no graph: propositions, word overlap, passages, stance prior."""

from __future__ import annotations

import numpy as np
import pytest

from workers.nlp import load_nlp
from workers.stance import StancePrediction, reweight_to_prior
from workers.trace import (
    ANSWER_EXTRACTOR,
    REBUTTAL_EXTRACTOR,
    _continue_stances,
    _merge_consecutive,
    _without_parts_of_passages,
    asks_yes_no,
    classify_against,
    content_stems,
    is_proposition,
    lucene_any,
    normalise_query,
    read_rebuttals,
    stem_coverage,
)


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("CoT adds depth", True),
        ("Mamba will replace transformers", True),
        ("depth beats width in transformers", True),
        ("standardized paper format is bad", True),
        ("is o1 reasoning", False),
        ("does depth matter?", False),
        ("test-time compute scaling", False),
        ("skip the math when reading papers", False),
    ],
)
def test_is_proposition_tells_assertions_from_topics_and_questions(nlp, query: str, expected: bool) -> None:
    assert is_proposition(query, nlp) is expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("is o1 reasoning", True),
        ("Are the proofs sound?", True),
        ("can Mamba replace transformers", True),
        ("how does CoT help", False),
        ("is it?", False),
        ("CoT adds depth", False),
        ("test-time compute scaling", False),
    ],
)
def test_asks_yes_no_recognises_questions_about_a_proposition(query: str, expected: bool) -> None:
    assert asks_yes_no(query) is expected


def test_word_overlap_uses_stems_and_ignores_stop_words() -> None:
    stems = content_stems("S4 random initialization performs badly")
    assert stems == {"s4", "random", "initi", "perform", "bad"}
    text = "Simply training the matrices with random initialization performs badly."
    assert stem_coverage(stems, text) == pytest.approx(0.8)
    assert stem_coverage(stems, "Nothing in common here.") == 0.0
    assert stem_coverage(set(), text) == 0.0


def test_lucene_query_is_built_from_plain_stems_only() -> None:
    assert lucene_any({"random", "bad", "s4"}) == "bad* OR random* OR s4*"
    # Anything that is not a plain word (Lucene syntax) is left out.
    assert lucene_any({"a:b", "x)"}) == ""


def _row(uid: str, post: str, start: int, end: int, text: str, stance: str = "SUPPORTS") -> dict:
    return {"statement_uid": uid, "post_uid": post, "start": start, "end": end, "text": text,
            "stance": stance, "via_reply": False}


def test_consecutive_sentences_of_one_post_with_one_stance_become_one_passage() -> None:
    rows = {
        "a": _row("a", "p1", 0, 30, "A nice trick is to skip the middle."),
        "b": _row("b", "p1", 31, 60, "Just don't read the math."),
        "c": _row("c", "p1", 200, 230, "Far away in the same post."),
        "d": _row("d", "p2", 61, 80, "Another post entirely."),
        "e": _row("e", "p1", 61, 90, "Next sentence, other stance.", stance="DISPUTES"),
    }
    merged = _merge_consecutive(rows, {"a": 0.5, "b": 0.7})
    assert set(merged) == {"b", "c", "d", "e"}
    assert merged["b"]["text"] == "A nice trick is to skip the middle. Just don't read the math."
    assert (merged["b"]["start"], merged["b"]["end"]) == (0, 60)


def test_a_sentence_held_by_a_longer_returned_passage_of_its_post_is_shown_only_there() -> None:
    first = "A year ago, there was a lot of talk about Mamba replacing transformers."
    rows = {
        "alone": _row("alone", "p1", 0, 72, first),
        "joined": _row("joined", "p1", 0, 110, first + " Apparently that didn't happen so far.", stance="DISPUTES"),
        "other_post": _row("other_post", "p2", 0, 72, first),
        "after": _row("after", "p1", 111, 140, "Something else entirely."),
        "reply": dict(_row("reply", "p1", 0, 140, "The whole reply."), via_reply=True),
    }
    kept = _without_parts_of_passages(rows)
    # A reply's own stance row does not hide the sentences it is made of.
    assert set(kept) == {"joined", "other_post", "after", "reply"}
    same_span = {"a": _row("a", "p1", 0, 72, first), "b": _row("b", "p1", 0, 72, first)}
    assert set(_without_parts_of_passages(same_span)) == {"a", "b"}


def test_prior_reweighting_moves_the_decision_boundary() -> None:
    p = np.array([0.5, 0.2, 0.1, 0.9])
    assert np.allclose(reweight_to_prior(p, 0.5), p, atol=1e-6)
    shifted = reweight_to_prior(p, 0.2)
    assert shifted[0] == pytest.approx(0.8, abs=1e-6)  # an even model call leans to supports
    assert shifted[1] == pytest.approx(0.5, abs=1e-6)  # P(supports) 0.2 is the new boundary
    assert shifted[2] < 0.5 and shifted[3] > p[3]
    with pytest.raises(ValueError):
        reweight_to_prior(p, 0.0)


def test_a_statement_found_through_its_context_goes_on_in_the_stance_before_it() -> None:
    def row(uid: str, start: int, end: int, text: str, stance: str, post: str = "p1") -> dict:
        return dict(_row(uid, post, start, end, text, stance), via_quote=False, confidence=0.9, extractor="x")

    rows = {
        "claim": row("claim", 0, 40, "Non-robust features are useful.", "DISPUTES"),
        "goes_on": row("goes_on", 100, 140, "We can construct such features.", "SUPPORTS"),
        "turns": row("turns", 141, 180, "But they are rare in practice.", "SUPPORTS"),
        "far": row("far", 900, 940, "Such features are everywhere.", "SUPPORTS"),
        "alone": row("alone", 50, 90, "They arise in linear models.", "SUPPORTS", post="p2"),
    }
    _continue_stances(rows, ["goes_on", "turns", "far", "alone"])
    assert {uid: r["stance"] for uid, r in rows.items()} == {
        "claim": "DISPUTES", "goes_on": "DISPUTES", "turns": "SUPPORTS", "far": "SUPPORTS", "alone": "SUPPORTS"}
    assert rows["goes_on"]["extractor"] == "stance.continuation.v1" and rows["turns"]["extractor"] == "x"


class _SharedWordsStance:
    """A stand-in for the stance model that reads shared words as support, as MiniLM tends to;
    it records the pairs it was asked about."""

    def __init__(self) -> None:
        self.pairs: list[tuple[str, str]] = []

    def predict(self, pairs, dispute_prior=0.5):  # type: ignore[no-untyped-def]
        self.pairs.extend(pairs)
        return [StancePrediction("supports" if "novel" in statement else "disputes", 0.8, "model")
                for _, statement in pairs]


def test_a_sentence_of_an_answer_to_a_quotation_is_read_through_the_quoted_passage() -> None:
    rows = {uid: _row(uid, "p1", start, start + 40, text) for uid, start, text in [
        ("rebuts", 0, "Dreamer is a novel algorithm."),
        ("echoes", 100, "Indeed the environments are simple."),
        ("alone", 200, "Dreamer is a novel algorithm with many uses."),
    ]}
    answers = {
        "rebuts": {"quote_text": "The work has limited novelty.", "quote_source": "AnonReviewer1",
                   "agreement": "disagrees"},
        "echoes": {"quote_text": "The novelty lies in the value model.", "agreement": "agrees"},
    }
    stance = _SharedWordsStance()
    classify_against("Dreamer has limited novelty", ["rebuts", "echoes", "alone"], rows, answers, stance, 0.2)
    # The model reads each quoted passage against the query, and the sentence outside any answer itself.
    assert [statement for _, statement in stance.pairs] == [
        "The work has limited novelty.", "The novelty lies in the value model.",
        "Dreamer is a novel algorithm with many uses."]
    assert {uid: (r["stance"], r["extractor"]) for uid, r in rows.items()} == {
        "rebuts": ("DISPUTES", ANSWER_EXTRACTOR),  # the passage supports; the answer disagrees with it
        "echoes": ("SUPPORTS", ANSWER_EXTRACTOR),  # the answer agrees with a supporting passage
        "alone": ("SUPPORTS", "model"),
    }
    # What such a sentence replies to is the passage it answers, not the whole post.
    assert (rows["rebuts"]["parent_text"], rows["rebuts"]["parent_author"]) == (
        "The work has limited novelty.", "AnonReviewer1")
    assert "parent_text" not in rows["alone"]


class _FixedProbabilityStance:
    """A stand-in for the stance model with a fixed P(supports) per sentence, re-weighted to the
    prior it is given as the real model is; it records the pairs it was asked about."""

    def __init__(self, p_supports: dict[str, float]) -> None:
        self.p_supports = p_supports
        self.pairs: list[tuple[str, str]] = []

    def predict(self, pairs, dispute_prior=0.5):  # type: ignore[no-untyped-def]
        self.pairs.extend(pairs)
        p = reweight_to_prior(np.array([self.p_supports[statement] for _, statement in pairs]), dispute_prior)
        return [StancePrediction("supports", float(x), "model") if x >= 0.5 else
                StancePrediction("disputes", float(1 - x), "model") for x in p]


def _thread_row(uid: str, post: str, text: str, stance: str = "SUPPORTS", *, by_authors: bool = False,
                parent: str | None = None, parent_by_authors: bool = False, **extra: object) -> dict:
    row = _row(uid, post, 0, len(text), text, stance)
    row.update({"_on_chosen": False, "via_quote": False, "extractor": "claims.founding.v1",
                "by_paper_authors": by_authors, "parent_uid": parent, "parent_by_paper_authors": parent_by_authors,
                **extra})
    return row


def test_the_papers_authors_answering_a_critic_who_holds_the_query_are_read_without_a_lean_toward_support() -> None:
    rows = {row["statement_uid"]: row for row in [
        # Reviewer 1's best point supports the query; a weaker one of theirs disputes it.
        _thread_row("critique", "review1", "Dreamer is less effective with long horizons."),
        _thread_row("aside", "review1", "The horizon plots are clear.", "DISPUTES"),
        # Reviewer 2's best point disputes the query.
        _thread_row("praise", "review2", "Dreamer copes well with long horizons.", "DISPUTES"),
        # The authors answer reviewer 1 ...
        _thread_row("answer", "reply1", "Figure 4 shows robustness to the horizon.", by_authors=True, parent="review1"),
        _thread_row("plain", "reply1", "Dreamer loses accuracy past 45 steps.", by_authors=True, parent="review1"),
        _thread_row("thanks", "reply1", "Thank you, the horizon matters.", by_authors=True, parent="review1"),
        _thread_row("quoted", "reply1", "R1: Dreamer is weak on horizons.", by_authors=True, parent="review1",
                    quoted=True),
        _thread_row("via_quote", "reply1", "We disagree.", "DISPUTES", by_authors=True, parent="review1",
                    via_quote=True, _on_chosen=True),
        # ... and reviewer 2; a fellow reviewer answers reviewer 1; the authors answer themselves.
        _thread_row("to_praise", "reply2", "Figure 4 shows robustness to the horizon, too.", by_authors=True,
                    parent="review2"),
        _thread_row("fellow", "review3", "Figure 4 shows robustness to the horizon again.", parent="review1"),
        _thread_row("own", "reply3", "Figure 4 shows robustness to the horizon at last.", by_authors=True,
                    parent="reply1", parent_by_authors=True),
    ]}
    relevance = {"critique": 0.8, "aside": 0.5, "praise": 0.8}
    stance = _FixedProbabilityStance({"Figure 4 shows robustness to the horizon.": 0.3,
                                      "Dreamer loses accuracy past 45 steps.": 0.6})
    read_rebuttals("Dreamer is less effective with long horizons", rows, relevance, stance)
    # Only the authors' own sentences answering reviewer 1 are read again, with no lean toward support.
    assert [statement for _, statement in stance.pairs] == [
        "Figure 4 shows robustness to the horizon.", "Dreamer loses accuracy past 45 steps."]
    assert {uid: (row["stance"], row["extractor"]) for uid, row in rows.items()
            if row["extractor"] == REBUTTAL_EXTRACTOR} == {
        # P(supports) 0.3 disputes; under the general lean toward support it would have supported
        "answer": ("DISPUTES", REBUTTAL_EXTRACTOR),
        "plain": ("SUPPORTS", REBUTTAL_EXTRACTOR),  # 0.6 supports: the authors concede in their own words
    }
    assert rows["thanks"]["stance"] == rows["quoted"]["stance"] == rows["to_praise"]["stance"] == "SUPPORTS"
    assert rows["fellow"]["stance"] == rows["own"]["stance"] == "SUPPORTS"
    assert rows["via_quote"]["stance"] == "DISPUTES" and rows["via_quote"]["extractor"] == "claims.founding.v1"


class _AliasGraph:
    """The one graph read `normalise_query` makes: which methods a form is an alias of."""

    def __init__(self, aliases: dict[str, list[str]]) -> None:
        self.aliases = aliases
        self.asked: list[list[str]] = []

    def methods_by_alias(self, forms: list[str]) -> dict[str, list[str]]:
        self.asked.append(list(forms))
        return {form: self.aliases[form] for form in forms if form in self.aliases}


def test_a_query_spells_out_an_acronym_an_ingested_document_defined(nlp) -> None:
    from types import SimpleNamespace

    from workers.methods import MethodCatalog

    catalog = MethodCatalog.load(nlp)
    graph = _AliasGraph({"SN": ["spectral normalization"], "RS": ["randomized smoothing", "rejection sampling"]})
    services = SimpleNamespace(methods=catalog, graph=graph)
    assert normalise_query("SN closes the generalization gap", services) == (
        "spectral normalization closes the generalization gap")
    # an acronym two methods share stays as written; a catalogue alias is not asked about
    assert normalise_query("RS gives robust models", services) == "RS gives robust models"
    assert normalise_query("CoT adds depth", services) == catalog.normalise_aliases("CoT adds depth")
    assert ["CoT"] not in graph.asked


def test_readings_against_a_claim_that_denies_the_query_are_turned_round() -> None:
    rows = {uid: _row(uid, "p1", start, start + 40, text) for uid, start, text in [
        ("rebuts", 0, "Dreamer is a novel algorithm."),
        ("alone", 200, "Dreamer is a novel algorithm with many uses."),
        ("other", 300, "The environments are simple."),
    ]}
    answers = {"rebuts": {"quote_text": "The novelty lies in the value model.", "agreement": "disagrees"}}
    classify_against("However, the novelty is limited.", ["rebuts", "alone", "other"], rows, answers,
                     _SharedWordsStance(), 0.2, reference_denies=True)
    # Each reading against the claim is turned round to the query's side, answers included: the
    # passage supports the claim, so it disputes the query, and the answer disagrees with the passage.
    assert {uid: r["stance"] for uid, r in rows.items()} == {
        "rebuts": "SUPPORTS", "alone": "DISPUTES", "other": "SUPPORTS"}


def test_the_papers_authors_read_against_a_claim_that_denies_the_query_are_turned_round() -> None:
    rows = {row["statement_uid"]: row for row in [
        _thread_row("critique", "review1", "However, Dreamer is still weak on long horizons."),
        _thread_row("answer", "reply1", "Figure 4 shows robustness to the horizon.", by_authors=True, parent="review1"),
    ]}
    stance = _FixedProbabilityStance({"Figure 4 shows robustness to the horizon.": 0.3})
    read_rebuttals("However, Dreamer is still weak on long horizons.", rows, {"critique": 0.8}, stance,
                   reference_denies=True)
    # The model reads the answer as disputing the claim shown, which denies the query: it supports the query.
    assert (rows["answer"]["stance"], rows["answer"]["extractor"]) == ("SUPPORTS", REBUTTAL_EXTRACTOR)


def test_the_lean_toward_support_stays_the_querys_when_reading_against_a_claim_that_denies_it() -> None:
    rows = {"point": _row("point", "p1", 0, 40, "The cache makes decoding cost constant.")}
    stance = _FixedProbabilityStance({"The cache makes decoding cost constant.": 0.6})
    classify_against("However, the cache memory still grows.", ["point"], rows, {}, stance, 0.15)
    assert rows["point"]["stance"] == "SUPPORTS"  # read against the claim as it stands: a weak support
    classify_against("However, the cache memory still grows.", ["point"], rows, {}, stance, 0.15,
                     reference_denies=True)
    # Against a claim that denies the query, the reading leans toward disputing the claim, which is
    # supporting the query: the weak support of the claim does not become a dispute of the query.
    assert rows["point"]["stance"] == "SUPPORTS"
