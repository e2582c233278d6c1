"""Method catalogue and mentions: catalogue validity, matching rules, acronyms,
introduced methods, alias normalisation, and recall on the seed gold."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from workers.documents import Post
from workers.methods import (
    COMPONENT_NAME,
    KINDS,
    MethodCatalog,
    _is_case_sensitive,
    define_acronyms,
    expand_used_acronyms,
    introduced_methods,
    named_methods,
    one_edit_apart,
    normalise_aliases,
)

GOLD_PATH = Path("/work/shared/eval/seeds.gold.yaml")


@pytest.fixture(scope="module")
def nlp():
    from workers.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="module")
def catalog(nlp) -> MethodCatalog:
    return MethodCatalog.load(nlp)


def names(catalog: MethodCatalog, text: str, **kwargs) -> list[str]:
    return [m.name for m in catalog.find(text, **kwargs)]


# ---------------------------------------------------------------------------- the catalogue

def test_catalogue_size_kinds_and_unique_aliases() -> None:
    entries, cased = MethodCatalog.read_entries()
    assert len(entries) >= 700
    assert all(entry.kind in KINDS for entry in entries)
    assert len({entry.name for entry in entries}) == len(entries)
    owner: dict[str, str] = {}
    for entry in entries:
        for form in {entry.name, *entry.aliases}:
            key = form if _is_case_sensitive(form, cased[entry.name]) else form.lower()
            assert owner.setdefault(key, entry.name) == entry.name, f"{form!r}: {owner[key]} and {entry.name}"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("SAC, TD3, DDPG and D4PG on the DeepMind Control Suite",
         ["SAC", "TD3", "DDPG", "D4PG", "DeepMind Control Suite"]),
        ("Dreamer and PlaNet; MVE or STEVE; SVG(1) and SVG(∞)",
         ["Dreamer", "PlaNet", "model-based value expansion", "STEVE", "stochastic value gradient",
          "stochastic value gradient"]),
        ("DQN and Q-learning, MuZero and AlphaZero", ["DQN", "Q-learning", "MuZero", "AlphaZero"]),
        ("curiosity-driven exploration as intrinsic motivation", ["curiosity-driven exploration", "intrinsic motivation"]),
        ("WGAN-GP adds a gradient penalty, SNGAN uses spectral normalization, NS-GAN the non-saturating loss",
         ["WGAN-GP", "gradient penalty", "SNGAN", "spectral normalization", "non-saturating GAN loss",
          "non-saturating GAN loss"]),
        ("FID and Inception Score on CelebA-HQ, LSUN, Fashion-MNIST and MNIST",
         ["FID", "Inception Score", "CelebA-HQ", "LSUN", "Fashion-MNIST", "MNIST"]),
        ("Glow, RealNVP and β-VAE", ["Glow", "RealNVP", "beta-VAE"]),
        ("PGD and FGSM attacks, adversarial training and non-robust features",
         ["projected gradient descent", "FGSM", "adversarial training", "non-robust features"]),
        ("full-matrix AdaGrad, K-FAC, natural gradient descent and learning rate warmup",
         ["full-matrix AdaGrad", "K-FAC", "natural gradient", "learning rate warmup"]),
    ],
)
def test_catalogue_coverage(catalog, text: str, expected: list[str]) -> None:
    assert names(catalog, text) == expected


def test_names_that_are_english_words_match_only_capitalised(catalog) -> None:
    assert names(catalog, "a dreamer saw a rainbow glow in the lookahead") == []
    assert names(catalog, "Rainbow and Lookahead") == ["Rainbow", "Lookahead"]
    assert names(catalog, "we focus on policy and off policy costs") == []
    assert names(catalog, "On-policy and off-policy methods") == ["on-policy learning", "off-policy learning"]


def test_catalogue_is_loaded_once(nlp) -> None:
    assert MethodCatalog.load(nlp) is MethodCatalog.load(nlp)


# ---------------------------------------------------------------------------- matching rules

def test_case_sensitive_acronyms(catalog) -> None:
    assert names(catalog, "CoT adds depth") == ["chain of thought"]
    assert names(catalog, "the cot by the bed") == []
    assert names(catalog, "a sparse MoE layer") == ["mixture of experts"]
    assert names(catalog, "moe is a name") == []


def test_capitalised_names_only_when_capitalised(catalog) -> None:
    assert names(catalog, "everyone uses Adam") == ["Adam"]
    assert names(catalog, "adam and eve") == []
    assert names(catalog, "the Mamba paper") == ["Mamba"]
    assert names(catalog, "a black mamba") == []


def test_plurals_and_hyphen_variants(catalog) -> None:
    assert names(catalog, "SSMs and GANs and VAEs") == [
        "state space model", "generative adversarial network", "variational autoencoder"]
    assert names(catalog, "xLSTMs are recurrent") == ["xLSTM"]
    assert names(catalog, "Mixture-of-Experts models") == ["mixture of experts"]
    assert names(catalog, "a chain-of-thought prompt") == ["chain of thought"]
    assert names(catalog, "self attention or self-attention") == ["self-attention", "self-attention"]
    assert names(catalog, "normie chat models too RLHF-ed to oblivion") == ["RLHF"]


def test_longest_match_wins_and_offsets(catalog) -> None:
    text = "the Mamba SSM architecture replacing decoder-only transformers"
    mentions = catalog.find(text)
    assert [m.name for m in mentions] == ["Mamba", "decoder-only transformer"]
    assert [text[m.start_char:m.end_char] for m in mentions] == ["Mamba SSM", "decoder-only transformers"]


def test_spacy_component(nlp) -> None:
    import spacy

    pipeline = spacy.blank("en")
    pipeline.add_pipe(COMPONENT_NAME)
    doc = pipeline("LoRA and GRPO")
    assert [m.name for m in doc._.methods] == ["LoRA", "GRPO"]


# ---------------------------------------------------------------------------- acronyms

def test_define_acronyms() -> None:
    text = ("Chunk-Distilled Language Modeling (CD-LM) is introduced. We use Tensor Product Attention (TPA) "
            "and Variational Autoencoders (VAEs). It introduces Over-Encoding (OE). The cat (Felix) sat.")
    assert define_acronyms(text) == {
        "CD-LM": "Chunk-Distilled Language Modeling",
        "TPA": "Tensor Product Attention",
        "VAEs": "Variational Autoencoders",
        "VAE": "Variational Autoencoders",
        "OE": "Over-Encoding",
    }


def test_acronym_letters_must_come_from_the_long_form() -> None:
    assert define_acronyms("we saw a big improvement (XYZ) today") == {}


def test_find_with_extra_aliases(catalog) -> None:
    extra = define_acronyms("Tensor Product Attention (TPA) and Mixture-of-Experts (MoEx) layers")
    found = catalog.find("TPA beats MHA", extra_aliases=extra)
    assert [(m.name, m.alias) for m in found] == [("Tensor Product Attention", "TPA"), ("multi-head attention", "MHA")]


# ---------------------------------------------------------------------------- introduced methods

@pytest.mark.parametrize(
    "title, text, expected",
    [
        ("Titans - Learning to Memorize at Test Time", "A new memory module.", "Titans"),
        ("FSMoE - A Flexible and Scalable Training System", "The paper presents FSMoE, a flexible system.", "FSMoE"),
        ("Over-Tokenized Transformer - Vocabulary is Generally Worth Scaling",
         "It introduces Over-Encoding (OE) with n-grams. OE models scale.", "Over-Encoding"),
        ("Chunk-Distilled Language Modeling",
         "Chunk-Distilled Language Modeling (CD-LM) is introduced as a novel approach. CD-LM is fast.",
         "Chunk-Distilled Language Modeling"),
        (None, "We propose HyperZoom, a novel optimizer.", "HyperZoom"),
    ],
)
def test_introduced_methods(catalog, title, text, expected) -> None:
    found = [m.name for m in introduced_methods(Post("s1", text, title=title), catalog)]
    assert expected in found


@pytest.mark.parametrize("name", ["Dreamer", "Wayfarer"])
def test_introduced_single_word_name_that_recurs_capitalised(catalog, name: str) -> None:
    text = (f"The paper proposes {name}, a model-based RL agent that learns behaviours by latent imagination. "
            f"On the control suite, {name} beats model-free agents, and the authors argue that {name} scales.")
    assert [m.name for m in introduced_methods(Post("s1", text), catalog)] == [name]


def test_introduced_single_word_must_recur_in_mid_sentence(catalog) -> None:
    # "Two" comes back only at the start of sentences, "Dreamer" in mid-sentence: only Dreamer is a name
    text = ("We propose Two changes to the loss. Two of them are cheap.\n\nTwo more are in the appendix. "
            "The paper proposes Dreamer, an agent. With both changes, Dreamer trains faster, so Dreamer is stable.")
    assert [m.name for m in introduced_methods(Post("s1", text), catalog)] == ["Dreamer"]


def test_introduced_single_word_ignores_possessives_and_document_parts(catalog) -> None:
    text = ("It presents Google's agent, which Google trains and Google ships. "
            "We present Table 2, as in Table 1 and Table 3.")
    assert introduced_methods(Post("s1", text), catalog) == []


def test_introduced_methods_ignore_descriptive_titles(catalog) -> None:
    post = Post("s1", "The paper presents an enhancement to training.",
                title="Reasoning Language Models - A Blueprint")
    assert introduced_methods(post, catalog) == []


# ---------------------------------------------------------------------------- normalisation

def test_normalise_aliases(catalog) -> None:
    assert normalise_aliases("CoT adds depth", catalog) == "chain of thought adds depth"
    assert normalise_aliases("SSMs beat transformers?", catalog) == "state space model beat transformer?"
    assert normalise_aliases("nothing to see here", catalog) == "nothing to see here"


def test_a_documents_own_acronyms_are_spelled_out_when_normalising(catalog) -> None:
    text = "This paper proposes spectral normalization (SN) for adversarial training. Using SN can improve the test error."
    acronyms = define_acronyms(text)
    assert catalog.normalise_aliases("Using SN can improve the test error.", acronyms) == (
        "Using spectral normalization can improve the test error.")
    # another document's SN (or none) is left as written
    assert catalog.normalise_aliases("Using SN can improve the test error.") == "Using SN can improve the test error."


def test_normalise_aliases_is_fast(catalog) -> None:
    import time

    text = "Chain-of-thought lets decoder-only transformers with RoPE and GQA do more. " * 20
    start = time.perf_counter()
    for _ in range(50):
        catalog.normalise_aliases(text)
    assert (time.perf_counter() - start) / 50 < 0.02


# ---------------------------------------------------------------------------- recall on the seeds

@pytest.mark.skipif(not GOLD_PATH.exists(), reason="seed gold not available")
@pytest.mark.parametrize("mode", ["local", "parse"])
def test_seed_methods_recall(catalog, mode: str) -> None:
    from tests.unit.test_papers import load_seed_documents
    from workers import parse

    if mode == "parse" and not hasattr(parse, "parse_bytes"):
        pytest.skip("workers.parse.parse_bytes not available yet")

    gold = yaml.safe_load(GOLD_PATH.read_text(encoding="utf-8"))
    nodes: dict[str, set[str]] = {}  # Method node name -> its name and aliases, lower case
    for documents in load_seed_documents(mode).values():
        for document in documents:
            full_text = "\n".join(post.text for post in document.posts)
            extra = define_acronyms(full_text)
            for post in document.posts:
                for mention in [*catalog.find(post.text, extra_aliases=extra), *introduced_methods(post, catalog)]:
                    entry = catalog.entry(mention.name)
                    forms = nodes.setdefault(mention.name, {mention.name.lower()})
                    forms.add(mention.alias.lower())
                    if entry:
                        forms.update(a.lower() for a in entry.aliases)
    all_forms = set().union(*nodes.values())
    missed = [m["name"] for m in gold["methods"]
              if not ({m["name"].lower(), *(a.lower() for a in m.get("aliases") or [])} & all_forms)]
    recall = 1 - len(missed) / len(gold["methods"])
    print(f"methods ({mode}) recall={recall:.3f} nodes={len(nodes)} missed={missed}")
    assert recall >= 0.90, missed


def test_acronyms_used_but_never_defined_are_read_from_the_text(catalog, nlp) -> None:
    # A review abbreviates what the paper and the other reviews name in full.
    text = ("The authors compare pixels, a VAE and inverse dynamics\n  features with random features.\n\n"
            "While the paper shows that VAEs are not as good as the RFs or IDFs, the RFs are cheap and the "
            "IDFs generalise. A lab would define nodal connectivities before it trains a DNC, and the DNC "
            "is slow. SGD is fine; SGD is everywhere and some good discussion follows.")
    found = expand_used_acronyms(text, define_acronyms(text), catalog, nlp)
    assert found["RFs"] == "random features" and found["IDFs"] == "inverse dynamics features"
    assert "DNC" not in found  # "define nodal connectivities" is a verb phrase
    assert "SGD" not in found  # known to the catalogue
    mentions = introduced_methods(Post("r1", text.split("\n\n")[1]), catalog, found)
    assert {(m.name, m.alias) for m in mentions} >= {("random features", "RFs"), ("inverse dynamics features", "IDFs")}


def test_an_acronym_two_phrases_could_spell_stays_unread(catalog, nlp) -> None:
    text = "We used reward functions and replay filters. The RF matters; the RF is tuned."
    assert expand_used_acronyms(text, {}, catalog, nlp) == {}


# ---------------------------------------------------------------------------- names read beside known ones


def _named(catalog, *texts: str) -> dict[str, str]:
    return {m.name: m.kind for _, m in named_methods(list(texts), catalog)}


def test_a_coined_name_before_a_noun_that_says_what_it_is(catalog) -> None:
    found = _named(catalog, "We used the DiCE estimator (Foerster et al. 2018) and the D_det dataset.")
    assert found == {"DiCE": "technique", "D_det": "dataset"}


def test_all_capitals_and_makers_before_a_kind_noun_are_not_names(catalog) -> None:
    # an abbreviation is as often a field or a device; before "model" often the maker
    assert _named(catalog, "The OOD dataset is small, the GPU algorithm is slow and the OpenAI model is big.") == {}


def test_a_prefix_on_a_catalogue_name_makes_a_variant_of_its_kind(catalog) -> None:
    found = _named(catalog, "Swapping Resnet with SNDCGAN changes little; NotMNIST is harder. ConvLSTM too.")
    assert found == {"SNDCGAN": "architecture", "NotMNIST": "dataset", "ConvLSTM": "architecture"}


def test_plurals_and_catalogue_names_are_not_variants(catalog) -> None:
    assert _named(catalog, "GANs and VAEs and LSTMs train on MNIST and FashionMNIST.") == {}


def test_names_listed_with_a_known_benchmark_are_benchmarks(catalog) -> None:
    found = _named(
        catalog,
        "Policies learn simple games (e.g., Atari, Super Mario, Pong) from curiosity alone.",
        "Other testbeds (Super Mario, Juggling, Ant Robot) would say more.",  # vouched for by the first list
    )
    assert found == {name: "benchmark" for name in ["Super Mario", "Pong", "Juggling", "Ant Robot"]}


def test_lists_without_a_known_name_or_of_document_parts_name_nothing(catalog) -> None:
    text = ("However, Google, Meta and Microsoft agree. Hinton, LeCun and Bengio wrote it. "
            "See Table 2, Figure 3 and Atari.")
    assert _named(catalog, text) == {}


def test_one_edit_apart() -> None:
    assert one_edit_apart("lipshitz", "lipschitz") and one_edit_apart("gumble", "gumbel")
    assert one_edit_apart("variable", "variables") and one_edit_apart("guassian", "gaussian")
    assert not one_edit_apart("gumbel", "gumbel") and not one_edit_apart("lipsitz", "lipschitz")


def test_a_misspelt_word_in_a_longer_form_is_read_as_the_catalogue_form(catalog) -> None:
    found = {m.alias: m.name for m in catalog.find("The Lipshitz constant, a Guassian Process and Gumble-softmax.")}
    assert found == {"Lipshitz constant": "Lipschitz continuity", "Guassian Process": "Gaussian process",
                     "Gumble-softmax": "Gumbel-softmax"}


def test_short_words_and_single_word_forms_are_not_read_as_misspelt(catalog) -> None:
    # "delay" is one edit from "decay" but short; "Mamaba" is one edit from a one-word form
    assert catalog.find("The weight delay of Mamaba models.") == []
