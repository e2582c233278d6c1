"""Train the stance model shipped as `workers/data/stance_model.npz`.

    python -m workers.train_stance --datasets ../shared/datasets/stance --out workers/data/stance_model.npz

Reads only the train splits of the public stance datasets (Perspectrum, IBM Claim
Stance); the dev split chooses the number of epochs; test splits are scored by
`workers.stance.eval_stance`, never here.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StanceExample:
    claim: str
    statement: str
    label: int  # 1 supports, 0 disputes


def load_perspectrum(datasets_dir: Path, split: str) -> list[StanceExample]:
    path = datasets_dir / "perspectrum" / "derived_claim_perspective_stance_pairs.jsonl"
    examples = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["split"] != split or row["stance_label_3"] not in ("SUPPORT", "UNDERMINE"):
                continue
            examples.append(
                StanceExample(row["claim"].strip(), row["perspective"].strip(), int(row["stance_label_3"] == "SUPPORT"))
            )
    return examples


_DEBATE_PREFIX = re.compile(r"^this house (believes that |would )?", re.IGNORECASE)


def load_ibm_claim_stance(datasets_dir: Path, split: str) -> list[StanceExample]:
    """Topic (a debate motion, its "This house ..." preamble dropped) and claim, PRO -> supports."""
    path = datasets_dir / "ibm_claim_stance" / "claim_stance_dataset_v1.repaired.csv"
    examples = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["split"] != split:
                continue
            topic = _DEBATE_PREFIX.sub("", row["topicText"].strip())
            topic = topic[:1].upper() + topic[1:]
            claim = " ".join(row["claims.claimCorrectedText"].split())
            examples.append(StanceExample(topic, claim, int(row["claims.stance"] == "PRO")))
    return examples


def load_argkp(datasets_dir: Path, split: str) -> list[StanceExample]:
    """ArgKP arguments against their debate topic; stance 1 -> supports, -1 -> disputes (train/dev only)."""
    folder = datasets_dir / "ibm_argkp2021" / ("test_data" if split == "test" else "kpm_data")
    examples = []
    with (folder / f"arguments_{split}.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            argument = " ".join(row["argument"].split()).lstrip("`'\" ")
            examples.append(StanceExample(row["topic"].strip(), argument, int(int(row["stance"]) > 0)))
    return examples
