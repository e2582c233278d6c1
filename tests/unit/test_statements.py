"""Candidate statements from real spaCy parses."""

import pytest

from workers.documents import Document, Post, Quotation, SourceKind
from workers.nlp import load_nlp
from workers.parse.text import normalise_text
from workers.statements import extract_statements

pytestmark = pytest.mark.models


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_nlp()


def _doc(*posts: Post) -> Document:
    return Document(kind=SourceKind.HN_THREAD, title="t", posts=posts)


def test_questions_thanks_and_links_are_not_statements(nlp) -> None:  # type: ignore[no-untyped-def]
    post = Post("c1", "Is it worth reading without a math background? Thanks! https://mml-book.github.io/ "
                      "Depth is more important than breadth for making transformers smarter.")
    texts = [s.text for s in extract_statements(_doc(post), nlp)]
    assert texts == ["Depth is more important than breadth for making transformers smarter."]


def test_an_anaphoric_sentence_is_joined_to_its_antecedent(nlp) -> None:  # type: ignore[no-untyped-def]
    post = Post("c1", "A year ago, there was a lot of talk about the Mamba SSM architecture replacing transformers. "
                      "Apparently that didn't happen so far.")
    texts = [s.text for s in extract_statements(_doc(post), nlp)]
    assert any(t.endswith("Apparently that didn't happen so far.") and t.startswith("A year ago") for t in texts)


def test_quotations_keep_their_attribution(nlp) -> None:  # type: ignore[no-untyped-def]
    text = 'From the abstract: "With T steps of CoT, constant-depth transformers can solve any problem in P."'
    start = text.index('"')
    post = Post("body", text, quotations=(Quotation(start, len(text), "the paper"),))
    statements = extract_statements(_doc(post), nlp)
    quoted = [s for s in statements if s.quoted]
    assert quoted and quoted[0].attributed_to == "the paper"


def test_a_reply_quoting_its_parent_does_not_repeat_the_parent(nlp) -> None:  # type: ignore[no-untyped-def]
    parent = Post("c1", "Most of the math in ML papers is smoke and mirrors.")
    reply = Post("c2", "Most of the math in ML papers is smoke and mirrors. I strongly disagree with this view.",
                 parent_id="c1")
    texts = [(s.post_local_id, s.text) for s in extract_statements(_doc(parent, reply), nlp)]
    assert ("c2", "Most of the math in ML papers is smoke and mirrors.") not in texts
    assert ("c1", "Most of the math in ML papers is smoke and mirrors.") in texts


def test_a_rebuttal_listing_the_reviews_points_in_quotes_is_credited_only_with_its_answers(nlp) -> None:  # type: ignore[no-untyped-def]
    review = Post("r1", "The paper studies spectral normalization. However, it is not clear to me that these are "
                        "novel results that can help adversarial training. How much of this is specific to images? "
                        "It would be interesting to test modalities other than images.")
    rebuttal = Post("a1", "2. \u201cIt is not clear to me that these are novel results that can help adversarial "
                          "training\u201d\n\nOur main contribution is a generalization bound for adversarial training.\n\n"
                          "3. \u201cHow much of this is specific to images? It would be interesting to test modalities "
                          "other than images.\u201d\n\nWe have not tested non-image data yet.", parent_id="r1")
    texts = [s.text for s in extract_statements(_doc(review, rebuttal), nlp) if s.post_local_id == "a1"]
    assert texts == ["Our main contribution is a generalization bound for adversarial training.",
                     "We have not tested non-image data yet."]


def test_deleted_posts_produce_nothing(nlp) -> None:  # type: ignore[no-untyped-def]
    assert extract_statements(_doc(Post("c1", "", deleted=True)), nlp) == []


def test_normalise_text_folds_quotes_case_and_space() -> None:
    assert normalise_text("It\u2019s  \u201cGood\u201d\n") == "it's \"good\""


def test_a_blank_line_ends_a_sentence_and_is_never_joined_over(nlp) -> None:  # type: ignore[no-untyped-def]
    post = Post("c1", "the picture involved is one about doing symbolic manipulation, like a conception Gary Marcus might have"
                      "\n\nSSMs for example, are very not expressive, and this is a point in their favor.")
    texts = [s.text for s in extract_statements(_doc(post), nlp)]
    assert "SSMs for example, are very not expressive, and this is a point in their favor." in texts
    assert not any("Marcus" in t and "SSMs" in t for t in texts)


def test_an_interjection_led_exclamation_without_a_verb_is_a_reaction(nlp) -> None:  # type: ignore[no-untyped-def]
    post = Post("c1", "Wow, finally something that is not a transformer! Oh, this is a great paper for long contexts!")
    texts = [s.text for s in extract_statements(_doc(post), nlp)]
    assert texts == ["Oh, this is a great paper for long contexts!"]


def test_the_writers_telling_what_they_change_in_their_document_is_not_a_statement(nlp) -> None:  # type: ignore[no-untyped-def]
    edits = ("We will include more details on the encoder in the final version. We have fixed the typos in the "
             "latest draft. I moved the proof to the appendix.")
    claims = ("We have shown that random features work as well as learned ones in the appendix. "
              "Stating lower is better is a good idea, we will add this to the captions. "
              "We added noise to every input and the model still converged. "
              "The authors will add the missing baselines to the paper.")
    texts = [s.text for s in extract_statements(_doc(Post("c1", f"{edits} {claims}")), nlp)]
    assert texts == [
        "We have shown that random features work as well as learned ones in the appendix.",
        "Stating lower is better is a good idea, we will add this to the captions.",
        "We added noise to every input and the model still converged.",
        "The authors will add the missing baselines to the paper.",
    ]


def test_the_work_telling_what_it_is_about_is_a_summary_not_a_statement(nlp) -> None:  # type: ignore[no-untyped-def]
    summaries = ("The paper proposes Dreamer, a model-based RL method for high-dimensional inputs such as images. "
                 "The paper studies several different techniques for training GANs: the architecture chosen and the loss. "
                 "The authors investigate the role of spectral normalization in adversarial training.")
    claims = ("The authors propose a novel method for spectral normalization. "
              "The paper proposes a method that outperforms PlaNet on most tasks. "
              "The paper studies the landscape of GAN training at a larger scale than before. "
              "The paper does not study discrete actions. "
              "We propose a fix that makes Dreamer work on discrete actions.")
    texts = [s.text for s in extract_statements(_doc(Post("r1", f"{summaries} {claims}")), nlp)]
    assert texts == [
        "The authors propose a novel method for spectral normalization.",  # judges the work
        "The paper proposes a method that outperforms PlaNet on most tasks.",  # reports a result
        "The paper studies the landscape of GAN training at a larger scale than before.",  # compares
        "The paper does not study discrete actions.",  # a negation is a point against the work
        "We propose a fix that makes Dreamer work on discrete actions.",  # the writers' own proposal
    ]


def test_an_exclamation_after_a_heading_is_still_a_reaction(nlp) -> None:  # type: ignore[no-untyped-def]
    post = Post("body", "4. Long Range Dependencies Without Transformers - S4\n\n"
                        "Wow, finally something that is not a transformer! You might be questioning how this ties in.")
    texts = [s.text for s in extract_statements(_doc(post), nlp)]
    assert not any(t.startswith("Wow") for t in texts)


def test_scholarly_abbreviations_and_citation_brackets_do_not_end_a_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    post = Post("c1", "The hypothesis in Ilyas et. al. is a special case of a more general principle. "
                      "Random features are a novel contribution since prior works relied on learned features "
                      "[Pathak et. al. ICML17]. The gain is large, cf. Sec. 4 and Fig. 2 of the paper. "
                      "The effect was first shown by Smith et al. Later work confirmed the effect on larger models. "
                      "The training run took 5 sec. Then the server crashed under load.")
    texts = [s.text for s in extract_statements(_doc(post), nlp)]
    assert texts == [
        "The hypothesis in Ilyas et. al. is a special case of a more general principle.",
        "Random features are a novel contribution since prior works relied on learned features "
        "[Pathak et. al. ICML17].",
        "The gain is large, cf. Sec. 4 and Fig. 2 of the paper.",
        "The effect was first shown by Smith et al.",
        "Later work confirmed the effect on larger models.",
        "The training run took 5 sec.",
        "Then the server crashed under load.",
    ]


def test_a_sentence_led_by_they_is_joined_to_its_antecedent(nlp) -> None:  # type: ignore[no-untyped-def]
    post = Post("c1", "We discover that adversarially trained models are actually not robust. "
                      "They are instead biased towards different kinds of superficial statistics.")
    texts = [s.text for s in extract_statements(_doc(post), nlp)]
    assert post.text in texts
    assert not any(t.startswith("They") for t in texts)


def test_a_review_forms_labelled_list_is_split_into_items_that_need_no_verb(nlp) -> None:  # type: ignore[no-untyped-def]
    post = Post("r1", "This paper shows that density models prefer SVHN.\n\n"
                      "Pros: - Interesting observation of a modelling failure - Clear presentation\n\n"
                      "Cons: - Lack of a strong explanation for the results - Lack of an extensive exploration of datasets")
    statements = extract_statements(_doc(post), nlp)
    by_text = {s.text: s for s in statements}
    assert set(by_text) == {
        "This paper shows that density models prefer SVHN.",
        "Interesting observation of a modelling failure",  # "Clear presentation" is too short to carry a claim
        "Lack of a strong explanation for the results",
        "Lack of an extensive exploration of datasets",
    }
    for statement in statements:
        assert post.text[statement.start : statement.end].strip() == statement.text
    assert by_text["Lack of an extensive exploration of datasets"].frame == "critique"
    assert by_text["Interesting observation of a modelling failure"].frame is None
    assert by_text["This paper shows that density models prefer SVHN."].frame == "finding"


def test_a_list_a_sentence_introduces_with_a_colon_is_split_into_its_items(nlp) -> None:  # type: ignore[no-untyped-def]
    denial = "I don't think the volume term pushes the flow towards sensitivity"
    second = "the appendix derivation is missing a factor of two."
    post = Post("r1", f"Some smaller disagreements I have with the paper: - {denial} - {second} "
                      "The meeting ran from 10:30 - 11:00 and the talk was clear.")
    statements = extract_statements(_doc(post), nlp)
    # Each item speaks for itself (a later quote of it matches it); a colon not followed by a
    # bullet introduces nothing.
    assert [s.text for s in statements] == [denial, second, "The meeting ran from 10:30 - 11:00 and the talk was clear."]
    for statement in statements:
        assert post.text[statement.start : statement.end] == statement.text
    # The items of a list of results are findings, as their introduction says.
    summary = Post("s1", "Key results indicate that: 1) exponent bits matter more than mantissa bits; "
                         "2) a critical data size exists beyond which performance degrades.")
    assert [(s.text, s.frame) for s in extract_statements(_doc(summary), nlp)] == [
        ("exponent bits matter more than mantissa bits;", "finding"),
        ("a critical data size exists beyond which performance degrades.", "finding"),
    ]


def test_critiques_and_findings_are_read_from_the_parse(nlp) -> None:  # type: ignore[no-untyped-def]
    post = Post("s1", "Results demonstrate that the merged model matches both parents on perplexity. "
                      "The core assertion is that merging avoids catastrophic forgetting. "
                      "Potential critiques include the reliance on synthetic data. "
                      "Furthermore, the method merges only two models. "
                      "I suggest reading the appendix first.\n\n"
                      "Furthermore, the code is available online.")
    frames = {s.text: s.frame for s in extract_statements(_doc(post), nlp)}
    assert frames == {
        "Results demonstrate that the merged model matches both parents on perplexity.": "finding",
        "The core assertion is that merging avoids catastrophic forgetting.": "finding",
        "Potential critiques include the reliance on synthetic data.": "critique",
        "Furthermore, the method merges only two models.": "critique",  # continues the critique
        "I suggest reading the appendix first.": None,  # the writer's advice, not a reported finding
        "Furthermore, the code is available online.": None,  # a new paragraph ends the critique
    }


def test_a_label_frames_the_rest_of_its_paragraph(nlp) -> None:  # type: ignore[no-untyped-def]
    post = Post("r1", "Cons: Each update is still very expensive compared to standard SGD. "
                      "This means that the solver may not be worth its cost.\n\n"
                      "The writing is clear and the figures are helpful.")
    frames = {s.text: s.frame for s in extract_statements(_doc(post), nlp)}
    assert frames["Cons: Each update is still very expensive compared to standard SGD."] == "critique"
    assert frames["The writing is clear and the figures are helpful."] is None
    assert [f for t, f in frames.items() if t.endswith("worth its cost.")] == ["critique"]


def test_a_statement_carries_the_sentences_of_its_paragraph_before_it(nlp) -> None:  # type: ignore[no-untyped-def]
    opening = "Useful non-robust features exist in image classifiers."
    follow_up = "As Ilyas et al. observe, they arise even in the humblest of models, the linear one."
    aside = "The authors thank the reviewers of the workshop for their comments."
    fresh = "Depth is more important than breadth for making these transformers smarter."
    post = Post("c1", f"{opening} {follow_up} {aside}\n\n{fresh}")
    context_of = {s.text: s.context for s in extract_statements(_doc(post), nlp)}
    # Only a sentence that refers back has context; a paragraph's first sentence has none.
    assert context_of == {opening: "", follow_up: opening, aside: "", fresh: ""}


def test_a_statements_context_is_whole_sentences_and_short(nlp) -> None:  # type: ignore[no-untyped-def]
    from workers.statements import CONTEXT_CHARS

    sentences = [f"Experiment {n} trains a small recurrent model on the copying task for ten epochs." for n in range(8)]
    last = "Such models fail to generalise to longer sequences than they saw in training."
    post = Post("c1", " ".join(sentences + [last]))
    context = next(s.context for s in extract_statements(_doc(post), nlp) if s.text == last)
    assert context and len(context) <= CONTEXT_CHARS
    assert context in " ".join(sentences) and context.startswith("Experiment ") and context.endswith(".")
