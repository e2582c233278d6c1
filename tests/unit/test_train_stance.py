"""The stance trainer: which SNLI pairs it reads, how it labels them, the negated variants of debate pairs,
its command line, and averaging runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from workers.stance import EXTRACTOR, negate_main_clause
from workers.train_stance import (
    StanceExample,
    _parser,
    average_models,
    load_model,
    load_snli,
    main,
    negation_variants,
    parse_args,
    save_model,
)


def _write_snli(path: Path, rows: list[tuple[str, str, str]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for premise, hypothesis, label in rows:
            out.write(json.dumps({"sentence1": premise, "sentence2": hypothesis, "gold_label": label}) + "\n")


def test_snli_pairs_are_entailment_or_contradiction_half_each(tmp_path: Path) -> None:
    rows = [(f"A man plays guitar {i}.", f"A man makes music {i}.", "entailment") for i in range(6)]
    rows += [(f"A dog runs {i}.", f"A dog sleeps {i}.", "contradiction") for i in range(3)]
    rows += [("A woman reads.", "A woman reads a novel.", "neutral"), ("A kid jumps.", "A kid plays.", "-")]
    path = tmp_path / "snli.jsonl"
    _write_snli(path, rows)

    examples = load_snli(path, limit=4, seed=0)

    assert len(examples) == 4
    assert sum(e.label for e in examples) == 2
    for example in examples:
        assert isinstance(example, StanceExample)
        expected = 1 if "music" in example.statement else 0
        assert example.label == expected
        assert "reads" not in example.claim and "jumps" not in example.claim
    assert load_snli(path, limit=4, seed=0) == examples


def test_snli_limit_larger_than_the_data_takes_every_labelled_pair(tmp_path: Path) -> None:
    path = tmp_path / "snli.jsonl"
    _write_snli(path, [("A.", "B.", "entailment"), ("C.", "D.", "contradiction"), ("E.", "F.", "neutral")])

    examples = load_snli(path, limit=100, seed=0)

    assert sorted((e.claim, e.label) for e in examples) == [("A.", 1), ("C.", 0)]


def test_the_command_line_gives_one_training_run_per_seed() -> None:
    _, configs = parse_args(["--datasets", "d", "--nli", "snli.jsonl", "--nli-examples", "500", "--seeds", "0,3"])

    assert [(c.seed, c.nli_examples) for c in configs] == [(0, 500), (3, 500)]


def test_without_nli_data_no_nli_pairs_are_drawn_and_one_run_uses_seed_zero() -> None:
    _, configs = parse_args(["--datasets", "d", "--nli-examples", "500"])

    assert [(c.seed, c.nli_examples) for c in configs] == [(0, 0)]


def test_how_many_top_layers_are_trained_is_asked_for() -> None:
    _, default = parse_args(["--datasets", "d"])
    _, all_six = parse_args(["--datasets", "d", "--top-layers", "6", "--seeds", "0,1"])

    assert [c.top_layers for c in default] == [3]
    assert [c.top_layers for c in all_six] == [6, 6]
    with pytest.raises(SystemExit):
        parse_args(["--datasets", "d", "--top-layers", "0"])


def test_seeds_that_are_not_integers_are_refused() -> None:
    with pytest.raises(SystemExit):
        parse_args(["--datasets", "d", "--seeds", "0,one"])


def _model(rng: np.random.Generator, seed: int) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    arrays: dict[str, np.ndarray] = {
        "layer0.q_b": rng.normal(size=4).astype(np.float32),
        "layer0.q_w.a": rng.normal(size=(2, 4)).astype(np.float16),
        "layer0.q_w.b": rng.normal(size=(4, 2)).astype(np.float16),
        "head_w": rng.normal(size=8).astype(np.float32),
        "head_b": rng.normal(size=1).astype(np.float32),
    }
    meta: dict[str, Any] = {
        "extractor": "stance.test",
        "config": {"top_layers": 1, "rank": 2, "seed": seed},
        "best_epoch": 2,
        "perspectrum_dev_macro_f1": 0.7,
        "history": [],
        "train_seconds": 10,
    }
    return arrays, meta


def _low_rank_update(arrays: dict[str, np.ndarray]) -> np.ndarray:
    return arrays["layer0.q_w.b"].astype(np.float32) @ arrays["layer0.q_w.a"].astype(np.float32)


def test_an_averaged_model_holds_the_mean_of_every_weight_and_of_every_low_rank_update() -> None:
    rng = np.random.default_rng(0)
    models = [_model(rng, 0), _model(rng, 1)]

    arrays, meta = average_models(models)

    expected_update = (_low_rank_update(models[0][0]) + _low_rank_update(models[1][0])) / 2
    np.testing.assert_allclose(_low_rank_update(arrays), expected_update, atol=1e-3)
    for key in ("layer0.q_b", "head_w", "head_b"):
        np.testing.assert_allclose(arrays[key], (models[0][0][key] + models[1][0][key]) / 2, rtol=1e-6)
        assert arrays[key].dtype == np.float32
    assert arrays["layer0.q_w.a"].shape == (4, 4) and arrays["layer0.q_w.a"].dtype == np.float16
    assert meta["seeds"] == [0, 1] and "seed" not in meta["config"] and meta["config"]["top_layers"] == 1
    assert [m["seed"] for m in meta["members"]] == [0, 1] and meta["train_seconds"] == 20


def test_models_trained_apart_are_averaged_from_their_files(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    models = [_model(rng, 0), _model(rng, 1)]
    paths = [tmp_path / "seed0.npz", tmp_path / "seed1.npz"]
    for (arrays, meta), path in zip(models, paths):
        save_model(arrays, meta, path)

    assert main(["--average", ",".join(map(str, paths)), "--out", str(tmp_path / "soup.npz")]) == 0

    arrays, meta = load_model(tmp_path / "soup.npz")
    expected, _ = average_models(models)
    assert sorted(arrays) == sorted(expected)
    for key in expected:
        np.testing.assert_array_equal(arrays[key], expected[key])
    assert meta["seeds"] == [0, 1] and meta["extractor"] == EXTRACTOR


def test_an_average_joins_a_further_run_as_its_runs_so_every_run_weighs_the_same(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    runs = [_model(rng, 0), _model(rng, 1), _model(rng, 2)]
    runs[2][1]["config"] = runs[2][1]["config"] | {"negation_variants": True}
    save_model(*average_models(runs[:2]), tmp_path / "soup.npz")
    save_model(*runs[2], tmp_path / "seed2.npz")

    assert main(["--average", f"{tmp_path}/soup.npz,{tmp_path}/seed2.npz", "--out", f"{tmp_path}/x.npz"]) == 0

    arrays, meta = load_model(tmp_path / "x.npz")
    expected, _ = average_models(runs)
    for key in ("layer0.q_b", "head_w", "head_b"):
        np.testing.assert_allclose(arrays[key], expected[key], rtol=1e-5)

    np.testing.assert_allclose(_low_rank_update(arrays), sum(_low_rank_update(r[0]) for r in runs) / 3, atol=2e-3)
    assert meta["seeds"] == [0, 1, 2] and meta["train_seconds"] == 30
    # What the runs do not share is kept with each run, not claimed for the whole.
    assert "negation_variants" not in meta["config"] and meta["config"]["top_layers"] == 1
    assert [m["config"].get("negation_variants", False) for m in meta["members"]] == [False, False, True]


def test_variants_weigh_what_the_command_line_says() -> None:
    _, default = parse_args(["--datasets", "d", "--negation-variants"])
    _, lighter = parse_args(["--datasets", "d", "--negation-variants", "--variant-weight", "0.4", "--seeds", "0,1"])

    assert [c.variant_weight for c in default] == [1.0]
    assert [c.variant_weight for c in lighter] == [0.4, 0.4]
    for weight in ("0", "1.5"):
        with pytest.raises(SystemExit):
            parse_args(["--datasets", "d", "--variant-weight", weight])


def test_negation_variants_are_asked_for() -> None:
    _, plain = parse_args(["--datasets", "d"])
    _, negated = parse_args(["--datasets", "d", "--negation-variants", "--seeds", "0,1"])

    assert [c.negation_variants for c in plain] == [False]
    assert [c.negation_variants for c in negated] == [True, True]


def test_training_needs_the_datasets_folder() -> None:
    with pytest.raises(SystemExit):
        parse_args(["--seeds", "0"])


def test_averaging_needs_a_model() -> None:
    with pytest.raises(ValueError):
        average_models([])


@pytest.mark.parametrize(
    ("sentence", "negated"),
    [
        ("Social media should be banned.", "Social media should not be banned."),
        ("Social media harms teens.", "Social media does not harm teens."),
        ("Athletes deserve more pay", "Athletes do not deserve more pay"),
        ("The results were replicated by others.", "The results were not replicated by others."),
        ("Homework is harmful.", "Homework is not harmful."),
        ("Homework isn't harmful.", "Homework is harmful."),
        ("We can't ban it.", "We can ban it."),
        ("Nuclear energy cannot be trusted.", "Nuclear energy can be trusted."),
        ("Harms teens and kids.", "Does not harm teens and kids."),
    ],
)
def test_the_main_clause_is_negated_or_its_negation_removed(sentence: str, negated: str) -> None:
    assert negate_main_clause(_parser()(sentence)) == negated


@pytest.mark.parametrize(
    "sentence",
    [
        "Is homework harmful?",
        "It is never acceptable.",
        "No school should ban phones.",
        "Gambling leads to addiction and should be banned.",
        "Phones distract. Schools should ban them.",
    ],
)
def test_sentences_one_main_clause_negation_cannot_turn_round_are_left_out(sentence: str) -> None:
    assert negate_main_clause(_parser()(sentence)) is None


def test_negating_one_side_turns_the_label_round_and_negating_both_keeps_it() -> None:
    examples = [
        StanceExample("Social media should be banned.", "Social media harms teens.", 1),
        StanceExample("Homework is harmful.", "Homework builds discipline.", 0),
        StanceExample("Is homework harmful?", "It is never acceptable.", 1),  # neither side can be negated
    ] * 20

    variants = negation_variants(examples, _parser(), seed=0)

    assert len(variants) == 40
    originals = {(e.claim, e.statement): e.label for e in examples}
    kinds = set()
    for variant in variants:
        claim_negated = " not " in variant.claim
        statement_negated = " not " in variant.statement
        assert claim_negated or statement_negated
        kinds.add((claim_negated, statement_negated))
        original = next(label for (claim, _), label in originals.items() if claim[:6] == variant.claim[:6])
        assert variant.label == (original if claim_negated and statement_negated else 1 - original)
    assert kinds == {(True, False), (False, True), (True, True)}
    assert negation_variants(examples, _parser(), seed=0) == variants
