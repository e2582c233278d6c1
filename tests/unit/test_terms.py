"""Terms of art: recurring technical noun phrases, with the real spaCy and MiniLM models."""

from __future__ import annotations

import pytest

from workers.methods import MethodCatalog
from workers.terms import candidate_phrases, recurring_terms

pytestmark = pytest.mark.models


@pytest.fixture(scope="module")
def nlp():
    from workers.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="module")
def encoder():
    from workers.embed import create_encoder

    return create_encoder("minilm")


@pytest.fixture(scope="module")
def catalog(nlp) -> MethodCatalog:
    return MethodCatalog.load(nlp)


def keys(nlp, text: str) -> list[str]:
    return [key for key, _ in candidate_phrases(nlp(text))]


def test_a_phrase_is_keyed_in_lower_case_with_its_head_noun_singular(nlp) -> None:
    assert keys(nlp, "The robust features leak into the labels.") == ["robust feature"]
    assert keys(nlp, "We studied Gaussian data augmentation.") == ["gaussian data augmentation"]


@pytest.mark.parametrize("text", [
    "The features are useful.",  # one word is no term of art
    "We report better results.",  # a comparative rates
    "They propose a new dataset.",  # a rating or counting modifier
    "It gets 3 points.",
])
def test_phrases_that_rate_count_or_are_single_words_are_not_candidates(nlp, text: str) -> None:
    assert keys(nlp, text) == []


def test_recurring_technical_phrases_are_terms_and_the_rest_are_not(nlp, encoder, catalog) -> None:
    posts = [
        "Feature leakage explains the transfer. The coffee machine broke.",
        "I doubt that feature leakage is the whole story. The coffee machine was fixed.",
        "Adversarial training helps. Adversarial training is slow. Label smoothing regularisation once.",
    ]
    terms = {term.name: term for term in recurring_terms(posts, nlp, encoder, catalog)}
    assert "feature leakage" in terms
    assert terms["feature leakage"].post_indices == (0, 1)
    assert "feature leakages" in terms["feature leakage"].surfaces  # the plural is an alias
    assert "coffee machine" not in terms  # recurring, but far from every catalogue entry
    assert "adversarial training" not in terms  # the catalogue names it already
    assert not any("smoothing" in name for name in terms)  # used once


def test_the_similarity_floor_decides_what_is_technical(nlp, encoder, catalog) -> None:
    posts = ["The coffee machine broke.", "The coffee machine was fixed."]
    assert recurring_terms(posts, nlp, encoder, catalog) == []
    assert [t.name for t in recurring_terms(posts, nlp, encoder, catalog, min_similarity=-1.0)] == ["coffee machine"]


def test_a_plural_only_noun_keeps_its_s(nlp) -> None:
    assert keys(nlp, "The latent dynamics are learned.") == ["latent dynamics"]


def test_an_ordinal_that_names_an_order_is_a_modifier_of_a_term(nlp) -> None:
    # "second" in "the second experiment" counts; in "second order analysis" it names an order
    text = "The second order analysis holds. The second experiment fails."
    assert keys(nlp, text) == ["second order analysis"]
    assert keys(nlp, "We use a first-order method.") == ["first order method"]
