"""Trace a claim: query text in, the statements that support or dispute it out.

The one code path behind the REST API, the UI, the CLI and `claimgraph eval`:

1. the query is alias-normalised and embedded;
2. the nearest canonical claims (vector index) above a floor, and close to the best
   one, are the claims the query means; the best is reported as `claim`;
3. their statements, plus statements that are themselves close to the query, are
   candidates; a statement is kept when its own similarity to the query clears
   `settings.trace_min_score`, or when it reached the claim through its thread
   (an "Agreed." reply);
4. a statement's stance is its stored edge to one of the chosen claims; a statement
   found only by its own similarity is classified against the reported claim;
5. the same post text is returned once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from graph_schema import GraphRepository
from workers.settings import Settings
from workers.statements import normalise_text

CLAIM_CANDIDATES = 20
STATEMENT_CANDIDATES = 100
# A claim is "meant" by the query when it is this close in absolute terms...
CLAIM_FLOOR = 0.5
# ...and not much further than the best claim.
CLAIM_MARGIN = 0.12


@dataclass
class TraceServices:
    """What a trace needs; built once per process by the web app, the CLI or eval."""

    settings: Settings
    graph: GraphRepository
    encoder: Any
    methods: Any
    stance: Any

    @classmethod
    def create(cls, settings: Settings, graph: GraphRepository, encoder: Any | None = None) -> "TraceServices":
        """Load the models a trace needs (once per process: each loader caches)."""
        from workers.embed import create_encoder
        from workers.methods import MethodCatalog
        from workers.nlp import load_nlp
        from workers.stance import StanceModel

        encoder = encoder or create_encoder(settings.encoder)
        nlp = load_nlp()
        return cls(settings=settings, graph=graph, encoder=encoder,
                   methods=MethodCatalog.load(nlp), stance=StanceModel.load(encoder, nlp))


def trace_claim(query: str, services: TraceServices, *, limit: int = 50) -> dict[str, Any]:
    normalised_query = services.methods.normalise_aliases(query)
    query_vector = services.encoder.encode([normalised_query])[0]
    claims = services.graph.nearest_claims(query_vector.tolist(), CLAIM_CANDIDATES)
    best = claims[0] if claims and claims[0]["similarity"] >= CLAIM_FLOOR else None
    chosen = [c for c in claims if best and c["similarity"] >= max(CLAIM_FLOOR, best["similarity"] - CLAIM_MARGIN)]
    chosen_rank = {c["uid"]: rank for rank, c in enumerate(chosen)}

    min_score = services.settings.trace_min_score
    similarity: dict[str, float] = {}
    for hit in services.graph.nearest_statements(query_vector.tolist(), STATEMENT_CANDIDATES):
        similarity[hit["uid"]] = hit["similarity"]
    for row in services.graph.statements_of_claims(list(chosen_rank)):
        if row["uid"] not in similarity and row["embedding"]:
            similarity[row["uid"]] = float(np.asarray(row["embedding"], dtype=np.float32) @ query_vector)

    details = services.graph.statement_details(list(similarity))
    by_statement: dict[str, dict[str, Any]] = {}
    for row in details:
        uid = row["statement_uid"]
        on_chosen = row["claim_uid"] in chosen_rank
        keep = similarity.get(uid, -1.0) >= min_score or (on_chosen and row["via_reply"])
        if not keep:
            continue
        current = by_statement.get(uid)
        rank = chosen_rank.get(row["claim_uid"], len(chosen_rank) + 1)
        if current is None or rank < current["_rank"]:
            by_statement[uid] = dict(row, _rank=rank, _on_chosen=on_chosen)

    # Statements whose own claim is not one the query means: classify against the claim shown.
    reference = best["text"] if best else normalised_query
    off_claim = [uid for uid, row in by_statement.items() if not row["_on_chosen"] and not row["via_reply"]]
    predictions = services.stance.predict([(reference, by_statement[uid]["text"]) for uid in off_claim])
    for uid, prediction in zip(off_claim, predictions):
        by_statement[uid]["stance"] = "SUPPORTS" if prediction.label == "supports" else "DISPUTES"
        by_statement[uid]["confidence"] = prediction.confidence
    by_statement = {uid: row for uid, row in by_statement.items() if row["_on_chosen"] or not row["via_reply"]}

    # The same words reached through two copies of a thread are shown once, from the
    # copy that names its author.
    best_copy: dict[str, dict[str, Any]] = {}
    for row in by_statement.values():
        key = normalise_text(row["text"])
        current = best_copy.get(key)
        if current is None or (bool(row.get("author")), similarity.get(row["statement_uid"], 0.0)) > (
            bool(current.get("author")), similarity.get(current["statement_uid"], 0.0)
        ):
            best_copy[key] = row
    results = sorted(best_copy.values(), key=lambda r: (-similarity.get(r["statement_uid"], 0.0), r["text"]))
    supports: list[dict[str, Any]] = []
    disputes: list[dict[str, Any]] = []
    for row in results:
        item = _statement_json(row, similarity.get(row["statement_uid"], 0.0))
        (supports if row["stance"] == "SUPPORTS" else disputes).append(item)
    claim_json = None
    if best:
        claim_json = {"uid": best["uid"], "text": best["text"], "similarity": round(best["similarity"], 4),
                      "n_supports": best["n_supports"], "n_disputes": best["n_disputes"],
                      "related_claims": [{"uid": c["uid"], "text": c["text"], "similarity": round(c["similarity"], 4)}
                                         for c in chosen[1:]]}
    return {"query": query, "normalised_query": normalised_query, "claim": claim_json,
            "supports": supports[:limit], "disputes": disputes[:limit]}


def _statement_json(row: dict[str, Any], similarity: float) -> dict[str, Any]:
    reply_to = None
    if row.get("parent_text"):
        reply_to = {"author": row.get("parent_author"), "text": _clip(row["parent_text"], 400),
                    "url": row.get("parent_url")}
    return {
        "text": row["text"],
        "author": row.get("author"),
        "source_title": row.get("source_title"),
        "source_url": row.get("source_url"),
        "source_kind": row.get("source_kind"),
        "post_url": row.get("post_url"),
        "posted_at": row.get("posted_at"),
        "confidence": round(float(row.get("confidence") or 0.0), 4),
        "similarity": round(similarity, 4),
        "quoted": bool(row.get("quoted")),
        "attributed_to": row.get("attributed_to"),
        "via_reply": bool(row.get("via_reply")),
        "reply_to": reply_to,
        "statement_uid": row["statement_uid"],
        "claim_uid": row["claim_uid"],
        "extractor": row.get("extractor"),
    }


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def search(query: str, services: TraceServices, *, k: int = 10) -> dict[str, Any]:
    """Claims nearest a query: the entry point of the search box."""
    normalised_query = services.methods.normalise_aliases(query)
    vector = services.encoder.encode([normalised_query])[0]
    claims = services.graph.nearest_claims(vector.tolist(), k)
    return {"query": query, "normalised_query": normalised_query,
            "claims": [{"uid": c["uid"], "text": c["text"], "similarity": round(c["similarity"], 4),
                        "n_supports": c["n_supports"], "n_disputes": c["n_disputes"]} for c in claims]}
