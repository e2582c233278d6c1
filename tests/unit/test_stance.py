"""Stance classifier, reply agreement and stance propagation, with the real MiniLM encoder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workers.embed import HashingEncoder, MiniLMEncoder
from workers.stance import (
    CUE_EXTRACTOR,
    DEFAULT_MODEL_PATH,
    EXTRACTOR,
    ReplyAgreement,
    StanceModel,
    StancePrediction,
    eval_stance,
    propagate_reply_stance,
)

DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "stance"


@pytest.fixture(scope="module")
def model() -> StanceModel:
    return StanceModel.load(MiniLMEncoder())


def test_model_file_is_small_and_records_its_training() -> None:
    assert DEFAULT_MODEL_PATH.stat().st_size < 5 * 1024 * 1024
    import numpy as np

    with np.load(DEFAULT_MODEL_PATH) as archive:
        meta = json.loads(str(archive["meta"]))
    assert meta["extractor"] == EXTRACTOR
    assert meta["encoder"] == "all-MiniLM-L6-v2"


@pytest.mark.models
def test_load_is_once_per_encoder(model: StanceModel) -> None:
    assert StanceModel.load(model._encoder) is model


@pytest.mark.models
def test_predicts_clear_support_and_negated_dispute(model: StanceModel) -> None:
    claim = "Chain of thought gives transformers extra effective depth."
    predictions = model.predict(
        [
            (claim, "Chain of thought really does give transformers extra effective depth."),
            (claim, "Chain of thought does not add any depth; the model's computation is unchanged."),
            (
                "Standardized paper formats are a good thing.",
                "Standardized formats are bad and make papers dull.",
            ),
        ]
    )
    assert [p.label for p in predictions] == ["supports", "disputes", "disputes"]
    for p in predictions:
        assert isinstance(p, StancePrediction)
        assert 0.5 <= p.confidence <= 1.0
        assert p.extractor == EXTRACTOR
    assert model.predict([]) == []


@pytest.mark.models
def test_reads_the_statement_against_the_claim_not_its_own_polarity(model: StanceModel) -> None:
    # Negative-sounding statements that agree with a negative claim support it; the
    # positive-sounding ones dispute it.
    predictions = model.predict(
        [
            ("The method does not scale to large graphs.",
             "It runs out of memory on anything beyond a few thousand nodes."),
            ("The method does not scale to large graphs.",
             "It handles graphs with billions of edges on a single machine."),
            ("The benchmark results are unreliable.", "The benchmark is contaminated, so its scores mean little."),
            ("The benchmark results are unreliable.", "The benchmark scores closely track real-world performance."),
        ],
        dispute_prior=0.2,
    )
    assert [p.label for p in predictions] == ["supports", "disputes", "supports", "disputes"]


@pytest.mark.parametrize(
    ("reply", "label"),
    [
        ("Agreed, idiosyncratic voice is so life-affirming in papers.", "agrees"),
        ("Good advice.", "agrees"),
        ("Exactly. That is the whole point.", "agrees"),
        ("This.", "agrees"),
        ("This is an accurate summary. We would like to highlight two additional points.", "agrees"),
        ("You raise a valid concern, and we have added the baseline.", "agrees"),
        ("That's a fair assessment of the method.", "agrees"),
        ("This is an interesting question that we leave for future work.", "neutral"),
        ("A good summary of the results would help the reader.", "neutral"),
        ("I don't think so.", "disagrees"),
        ("This is wrong: the result only holds for toy problems.", "disagrees"),
        ("Not really, most of them are fine.", "disagrees"),
        ("No, that's not how it works.", "disagrees"),
        ("Thanks for sharing!", "neutral"),
        ("Exactly how would you measure that?", "neutral"),
        ("Agreed, but the real problem is elsewhere.", "neutral"),
        ("[A] We again respectfully disagree: both datasets are new here.", "disagrees"),
        ("Response: we agree, and have added this baseline.", "agrees"),
        ("We would like to thank the reviewer.", "neutral"),
    ],
)
@pytest.mark.models
def test_reply_agreement_on_discourse_markers(model: StanceModel, reply: str, label: str) -> None:
    result = model.classify_reply(
        "Skipping the math on a first read is the best way to read ML papers.", reply
    )
    assert isinstance(result, ReplyAgreement)
    assert result.label == label
    assert 0.0 <= result.confidence <= 1.0


@pytest.mark.models
def test_reply_that_contradicts_the_parent_disagrees(model: StanceModel) -> None:
    parent = "Mamba will replace transformers within a year."
    reply = "Mamba will not replace transformers; it has been out for years and nobody switched."
    assert model.classify_reply(parent, reply).label == "disagrees"


@pytest.fixture(scope="module")
def parsing_model() -> StanceModel:
    """The model as the pipeline loads it, with the spaCy parser."""
    from workers.nlp import load_nlp

    return StanceModel.load(MiniLMEncoder(), load_nlp())


UNDERFIT_POINT = (
    "For example, the results seem to say that generalising from the training images to the test images is hard, "
    "so the flow models underfit the real distribution, and the simpler dataset therefore gets the higher likelihood."
)


@pytest.mark.models
def test_a_first_person_denial_on_the_parents_topic_disagrees(parsing_model: StanceModel) -> None:
    """The reply's two sentences together drift from the point (the model alone leaves it
    neutral); its first sentence denies the point in the authors' own voice."""
    reply = ("We do not believe our models are necessarily underfit. In fact, we found that Glow tends to overfit, "
             "and one must carefully set its l2 penalty and scale parametrization to prevent it.")
    result = parsing_model.classify_reply(UNDERFIT_POINT, reply)
    assert result.label == "disagrees" and 0.5 < result.confidence < 0.9


@pytest.mark.models
def test_a_first_person_denial_off_the_parents_topic_is_neutral(parsing_model: StanceModel) -> None:
    reply = "We do not believe the camera-ready deadline can move. The workshop has a fixed date."
    assert parsing_model.classify_reply(UNDERFIT_POINT, reply).label == "neutral"


@pytest.mark.models
@pytest.mark.parametrize(
    "sentence, denies",
    [
        ("We do not believe our models are necessarily underfit.", True),
        ("I don't think chain of thought adds depth.", True),
        ("we don\u2019t see how you could say the means are very different.", True),
        ("We did not claim state-of-the-art results.", True),
        ("They do not believe it.", False),  # someone else's view, not the speaker's denial
        ("I did not find the code.", False),  # not a verb of thinking or saying
        ("I think it does not work.", False),  # the speaker asserts; the negation is in the clause
    ],
)
def test_first_person_denials_are_read_from_the_parse(sentence: str, denies: bool) -> None:
    from workers.nlp import load_nlp
    from workers.stance import denies_in_first_person

    assert denies_in_first_person(sentence, load_nlp()) is denies
    assert denies_in_first_person(sentence, None) is False


@pytest.mark.models
def test_an_unmarked_reply_on_the_same_topic_is_not_read_as_agreement(model: StanceModel) -> None:
    parent = "It's sad that papers in this area are so standardized in format though."
    reply = "The paper is a tool for conveying understanding. Standardized tools are a good thing."
    assert model.classify_reply(parent, reply).label != "agrees"


@pytest.mark.models
def test_question_reply_is_neutral(model: StanceModel) -> None:
    assert model.classify_reply("Depth beats width.", "Which paper is this from?").label == "neutral"


def test_propagation_through_three_levels() -> None:
    # A supports; B disagrees with A; C disagrees with B; D agrees with C.
    stance = "supports"
    chain = []
    for agreement in ("disagrees", "disagrees", "agrees"):
        next_stance = propagate_reply_stance(stance, agreement)
        assert next_stance is not None
        stance = next_stance
        chain.append(stance)
    assert chain == ["disputes", "supports", "supports"]
    assert propagate_reply_stance("disputes", "disagrees") == "supports"
    assert propagate_reply_stance("supports", "neutral") is None


def test_without_minilm_falls_back_to_negation_rule() -> None:
    fallback = StanceModel.load(HashingEncoder())
    supports, disputes = fallback.predict(
        [("X improves Y.", "X improves Y a lot."), ("X improves Y.", "X never improves Y.")]
    )
    assert (supports.label, disputes.label) == ("supports", "disputes")
    assert supports.extractor == CUE_EXTRACTOR


@pytest.mark.models
@pytest.mark.skipif(not DATASETS.is_dir(), reason="shared stance datasets are not beside the project")
def test_eval_stance_runs_on_a_slice() -> None:
    scores = eval_stance(MiniLMEncoder(), None, DATASETS, limit=20)
    assert set(scores) == {"perspectrum", "ibm_claim_stance"}
    for result in scores.values():
        assert result["n"] == 20
        assert 0.0 <= result["accuracy"] <= 1.0
        assert 0.0 <= result["macro_f1"] <= 1.0


class _FixedVectors:
    """An encoder that embeds each text as a given unit vector."""

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = vectors

    def encode(self, texts):  # type: ignore[no-untyped-def]
        import numpy as np

        return np.array([self.vectors[t] for t in texts], dtype=np.float32)


def test_a_close_paraphrase_leans_on_negation_and_a_distant_statement_on_the_model_alone() -> None:
    """From cosine 0.7 up, a statement negated as the claim is supports-leaning, one negated
    the other way disputes-leaning; below it, only the model's reading counts."""
    import math

    import numpy as np

    claim = "Such examples do not transfer to other models."
    near_same, near_flipped, far = ("These examples don't transfer.", "These examples transfer well.",
                                    "Transfer is a well studied topic.")

    def at(cosine: float) -> list[float]:
        return [cosine, math.sqrt(1 - cosine**2)]

    encoder = _FixedVectors({claim: [1.0, 0.0], near_same: at(0.75), near_flipped: at(0.75), far: at(0.65)})
    model = StanceModel.__new__(StanceModel)
    model._encoder, model._nlp = encoder, None
    pairs = [(claim, near_same), (claim, near_flipped), (claim, far)]
    p = model._apply_restatement_rule(pairs, np.array([0.1, 0.9, 0.1], dtype=np.float32))
    assert p[0] == pytest.approx((0.1 + 0.75) / 2, abs=1e-3)  # pulled up toward support
    assert p[1] == pytest.approx(1 - 0.75, abs=1e-3)  # pulled down toward dispute
    assert p[2] == pytest.approx(0.1)  # untouched


@pytest.mark.parametrize(
    "sentence, text_before, turns",
    [
        # a counter to the point just made
        ("However, the gains vanish on sequences longer than the training ones.",
         "The authors report that the method scales to long sequences.", True),
        ("But the memory cost still grows with the square of the context.",
         "Some context first. The cache is said to make decoding cheap at any length.", True),
        # after a critique, a contrast turns back to the work's side
        ("But overall, the proof technique is a real contribution.",
         "The main weakness is that the setting is simplified.", False),
        ("Still, the results are strong.", "Fine. A key limitation is the small number of seeds.", False),
        # no contrast, or nothing before it to turn against
        ("The gains vanish on long sequences.", "The authors report that the method scales.", False),
        ("However, the gains vanish on long sequences.", "   ", False),
    ],
)
def test_a_sentence_turning_against_the_point_before_it_is_read_from_its_opening_and_that_point(
    sentence: str, text_before: str, turns: bool
) -> None:
    from workers.nlp import load_nlp
    from workers.stance import last_sentence, turns_against

    nlp = load_nlp()
    assert turns_against(sentence, last_sentence(text_before, nlp), nlp) is turns
    assert turns_against(sentence, text_before, None) is False


@pytest.mark.parametrize(
    "sentence, turns",
    [
        ("But the gains vanish.", True),
        ("However, the gains vanish.", True),
        ("In contrast, if the attack leaked features, the model would learn them.", True),
        ("By contrast, the baseline converges.", True),
        ("Conversely, small models gain nothing.", True),
        ("That said, the proof is sound.", True),
        ("Even so, the results hold.", True),
        ("In context, the result is clear.", False),
        ("Contrastive losses help here.", False),
        ("The gains vanish in contrast to the baseline.", False),  # a contrast inside, not an opening
    ],
)
def test_a_sentence_opening_with_a_contrast_is_told_by_its_opening_words(sentence: str, turns: bool) -> None:
    from workers.stance import opens_with_contrast

    assert opens_with_contrast(sentence) is turns


@pytest.mark.parametrize(
    "text, affirmed",
    [
        ("Dreamer is not novel", "Dreamer is novel"),
        ("adversarial examples are not bugs", "adversarial examples are bugs"),
        ("Mamba can't replace transformers", "Mamba can replace transformers"),
        ("the definition of non-robust features is not vacuous", "the definition of non-robust features is vacuous"),
        # nothing to affirm: no negation, one inside a subordinate clause, or another negator
        ("CoT adds depth", None),
        ("the method that does not scale is bad", None),
        ("Dreamer never works", None),
        ("no model beats the baseline", None),
    ],
)
def test_a_negated_main_clause_is_affirmed_by_removing_its_not(text: str, affirmed: str | None) -> None:
    from workers.nlp import load_nlp
    from workers.stance import affirmed_main_clause

    assert affirmed_main_clause(text, load_nlp()) == affirmed
    assert affirmed_main_clause(text, None) is None


@pytest.mark.models
def test_a_negated_query_is_read_in_its_affirmed_form_and_the_readings_turned_round(
    parsing_model: StanceModel,
) -> None:
    from workers.nlp import load_nlp
    from workers.trace import classify_against, stance_reference

    query = "Dreamer is not novel"
    reference, denies = stance_reference(query, None, set(), load_nlp(), asserts=True)
    assert (reference, denies) == ("Dreamer is novel", True)
    texts = {
        "limited": "The work has limited novelty: the learning of the world model closely follows prior work.",
        "novel": "Dreamer is a novel algorithm.",
    }
    rows: dict[str, dict[str, object]] = {uid: {"statement_uid": uid, "text": text} for uid, text in texts.items()}
    classify_against(reference, list(rows), rows, {}, parsing_model, 0.15, reference_denies=denies)
    # Read against "Dreamer is not novel" itself, the model hears the critique's negative words as
    # a dispute; read against the affirmed form and turned round, the critique supports the query.
    assert {uid: row["stance"] for uid, row in rows.items()} == {"limited": "SUPPORTS", "novel": "DISPUTES"}
