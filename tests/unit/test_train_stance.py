"""The stance trainer's auxiliary NLI data: which SNLI pairs it reads and how it labels them."""

from __future__ import annotations

import json
from pathlib import Path

from workers.train_stance import StanceExample, load_snli


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
