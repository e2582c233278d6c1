"""`claimgraph eval`: score extraction and trace against a gold file.

Implements ../shared/eval/FORMAT.md: ingest the gold file's documents, in order, into
an empty graph (by default a throwaway local Neo4j, so the user's graph is untouched),
then score papers, methods, trace recall, stance, negatives, attribution, noise and
duplicates, using the same `trace_claim` that the API and UI use. Works for any gold
file in that format.
"""

from __future__ import annotations

import re
import socket
import tempfile
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable

import yaml

from workers.settings import Settings

_WS = re.compile(r"\s+")
_GOPHER_PREFIX = re.compile(r"^\|[ \t]?", re.MULTILINE)
_SPLIT_HYPHEN = re.compile(r"(\w)- (\w)")
_ARXIV_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?(?:export\.)?(?:arxiv\.org/)?(?:abs/|pdf/|html/)?", re.I)
_ASCII = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u201c": '"', "\u201d": '"',
                        "\u201e": '"', "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2026": "..."})


def normalise_for_match(text: str) -> str:
    """FORMAT.md's normalisation, applied to gold quotes and returned statements alike."""
    text = unicodedata.normalize("NFKC", text).translate(_ASCII)
    text = _GOPHER_PREFIX.sub("", text)
    text = _WS.sub(" ", text)
    text = _SPLIT_HYPHEN.sub(r"\1-\2", text)
    return text.strip().lower()


def quote_matches(quote: str, statement: str) -> bool:
    q, s = normalise_for_match(quote), normalise_for_match(statement)
    if not q or not s:
        return False
    return q in s or (s in q and len(s) >= 0.6 * len(q))


def normalise_arxiv(value: str) -> str:
    value = _ARXIV_PREFIX.sub("", value.strip()).removeprefix("arXiv:").removeprefix("arxiv:")
    value = re.sub(r"\.pdf$", "", value)
    return re.sub(r"v\d+$", "", value).lower()


def _title_key(title: str) -> str:
    return _WS.sub(" ", re.sub(r"[^\w\s]", " ", title.lower())).strip()


def _paper_matches(predicted: dict[str, Any], gold: dict[str, Any]) -> bool:
    """FORMAT.md: by arXiv id, else DOI, else URL, else title. The first identifier both
    sides carry decides (two different arXiv ids never match, whatever the titles); a
    paper the text names only by title matches the gold paper of that title even when
    the gold entry also knows its arXiv id."""
    from rapidfuzz import fuzz

    if predicted.get("arxiv_id") and gold.get("arxiv"):
        return normalise_arxiv(predicted["arxiv_id"]) == normalise_arxiv(str(gold["arxiv"]))
    if predicted.get("doi") and gold.get("doi"):
        return predicted["doi"].lower() == str(gold["doi"]).lower()
    if predicted.get("url") and gold.get("url"):
        if predicted["url"].rstrip("/").lower() == str(gold["url"]).rstrip("/").lower():
            return True
    if gold.get("title") and predicted.get("title"):
        return fuzz.ratio(_title_key(predicted["title"]), _title_key(str(gold["title"]))) >= 90
    return False


def score_papers(predicted: list[dict[str, Any]], gold: list[dict[str, Any]]) -> dict[str, Any]:
    """Precision over Paper nodes, recall over gold entries.

    Gold lists a paper once per document that identifies it, while the graph merges those
    mentions into one node (the canonical key): one node may therefore match several gold
    entries, and each entry it matches is found.
    """
    matches = [[_paper_matches(paper, entry) for entry in gold] for paper in predicted]
    unmatched = [i for i, row in enumerate(matches) if not any(row)]
    matched_gold = sum(1 for j in range(len(gold)) if any(row[j] for row in matches))
    precision = (len(predicted) - len(unmatched)) / len(predicted) if predicted else 0.0
    recall = matched_gold / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "n_predicted": len(predicted), "n_gold": len(gold),
            "unmatched_predicted": [predicted[i].get("title") or predicted[i].get("uid") for i in unmatched][:50]}


def score_methods(predicted: list[dict[str, Any]], gold: list[dict[str, Any]]) -> dict[str, Any]:
    surface = set()
    for method in predicted:
        surface.add((method.get("name") or "").lower())
        surface.update(alias.lower() for alias in method.get("aliases") or [])
    found, missing = 0, []
    for entry in gold:
        forms = {str(entry["name"]).lower(), *(str(a).lower() for a in entry.get("aliases") or [])}
        if forms & surface:
            found += 1
        else:
            missing.append(entry["name"])
    return {"recall": round(found / len(gold), 4) if gold else 0.0, "n_nodes": len(predicted), "missing": missing}


def _macro_f1(pairs: Iterable[tuple[str, str]]) -> tuple[float, float]:
    pairs = list(pairs)
    if not pairs:
        return 0.0, 0.0
    accuracy = sum(g == p for g, p in pairs) / len(pairs)
    f1s = []
    for label in ("supports", "disputes"):
        tp = sum(g == label and p == label for g, p in pairs)
        fp = sum(g != label and p == label for g, p in pairs)
        fn = sum(g == label and p != label for g, p in pairs)
        if tp + fp + fn == 0:
            continue
        f1s.append(2 * tp / (2 * tp + fp + fn))
    return accuracy, sum(f1s) / len(f1s) if f1s else 0.0


def score_trace(gold: dict[str, Any], trace: Any) -> dict[str, Any]:
    """`trace(query) -> {"supports": [...], "disputes": [...]}`, the API's trace."""
    claims = gold.get("claims") or []
    negatives = gold.get("negatives") or []
    per_claim_recall: list[float] = []
    stance_pairs: list[tuple[str, str]] = []
    attribution: list[bool] = []
    returned_counts: list[int] = []
    duplicates = 0
    results_by_claim: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    misses: list[dict[str, Any]] = []
    misread: list[dict[str, Any]] = []

    for claim in claims:
        returned: list[tuple[str, dict[str, Any]]] = []
        for query in claim.get("queries") or [claim["text"]]:
            result = trace(query)
            items = [("supports", item) for item in result["supports"]] + [("disputes", item) for item in result["disputes"]]
            returned_counts.append(len(items))
            texts = [normalise_for_match(item["text"]) for _, item in items]
            duplicates += len(texts) - len(set(texts))
            returned.extend(items)
        results_by_claim[claim["id"]] = returned
        statements = claim.get("statements") or []
        hits = 0
        for statement in statements:
            match = next(((label, item) for label, item in returned if quote_matches(statement["quote"], item["text"])), None)
            if match is None:
                misses.append({"claim": claim["id"], "quote": statement["quote"]})
                continue
            hits += 1
            stance_pairs.append((statement["stance"], match[0]))
            if match[0] != statement["stance"]:
                misread.append({"claim": claim["id"], "quote": statement["quote"], "gold": statement["stance"],
                                "returned_as": match[0], "extractor": match[1].get("extractor")})
            if statement.get("author"):
                attribution.append((match[1].get("author") or "").lower() == str(statement["author"]).lower())
        per_claim_recall.append(hits / len(statements) if statements else 0.0)

    negatives_found: list[dict[str, Any]] = []
    for negative in negatives:
        returned = results_by_claim.get(negative["claim"], [])
        label = next((label for label, item in returned if quote_matches(negative["quote"], item["text"])), None)
        if label is not None:
            negatives_found.append({"claim": negative["claim"], "quote": negative["quote"], "returned_as": label})
    accuracy, macro_f1 = _macro_f1(stance_pairs)
    return {
        "recall": round(sum(per_claim_recall) / len(per_claim_recall), 4) if per_claim_recall else 0.0,
        "stance_accuracy": round(accuracy, 4),
        "stance_macro_f1": round(macro_f1, 4),
        "negatives_returned": len(negatives_found),
        "attribution_accuracy": round(sum(attribution) / len(attribution), 4) if attribution else 0.0,
        "mean_returned": round(sum(returned_counts) / len(returned_counts), 2) if returned_counts else 0.0,
        "duplicates": duplicates,
        "missed": misses,
        "misread": misread,
        "negatives_found": negatives_found,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_eval(gold_path: Path, settings: Settings, *, use_configured_graph: bool = False) -> dict[str, Any]:
    from graph_schema import GraphRepository, create_driver
    from service.local_services import LocalServices
    from workers.pipeline import PipelineContext, ingest_refs
    from workers.trace import trace_claim

    gold = yaml.safe_load(gold_path.read_text())
    refs = [str((gold_path.parent / doc["path"]).resolve()) for doc in gold.get("documents") or []]
    services = None
    driver = None
    with tempfile.TemporaryDirectory(prefix="claimgraph-eval-") as state_dir:
        try:
            if not use_configured_graph:
                settings = replace(settings, state_dir=Path(state_dir), neo4j_port=_free_port(),
                                   neo4j_uri="", external_neo4j=False)
                settings = replace(settings, neo4j_uri=f"bolt://127.0.0.1:{settings.neo4j_port}")
                services = LocalServices(settings)
                services.start_neo4j()
            driver = create_driver(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password)
            graph = GraphRepository(driver, settings.neo4j_database)
            graph.delete_everything()
            graph.apply_schema()
            context = PipelineContext.create(settings, graph)
            ingested = [r.as_dict() for r in ingest_refs(refs, context)]
            context.close()
            trace_services = context.trace_services()
            trace_scores = score_trace(gold, lambda q: trace_claim(q, trace_services))
            return {
                "corpus": gold.get("corpus"),
                "papers": score_papers(graph.list_papers(limit=100000), gold.get("papers") or []),
                "methods": score_methods(graph.list_methods(limit=100000), gold.get("methods") or []),
                "trace": {k: v for k, v in trace_scores.items() if k != "duplicates"},
                "duplicates": trace_scores["duplicates"],
                "ingest": [{"ref": Path(r["ref"]).name, "status": r["status"], "error": r["error"]} for r in ingested],
                "counts": graph.counts(),
            }
        finally:
            # Also when starting failed or the run was interrupted: no Neo4j of ours outlives it.
            if driver is not None:
                driver.close()
            if services is not None:
                services.stop("neo4j")
