"""Canonical claims: statements that assert the same proposition attach to one Claim.

Each statement is embedded (alias-normalised text) and compared with the claims already
in the graph (vector index) and those created earlier in the same document. At or above
`settings.claim_link_threshold` it joins the nearest claim, and the stance model says
whether it supports or disputes it; below, it founds a new claim whose text is the
statement itself. Replies that agree or disagree with their parent inherit the parent's
claims with the stance kept or flipped, through as many levels as the thread has.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from workers.documents import Document
from workers.statements import StatementCandidate, normalise_text, reply_lead

if TYPE_CHECKING:
    from workers.pipeline import Extraction, PipelineContext

GRAPH_NEIGHBOURS = 10


@dataclass(frozen=True)
class ClaimLink:
    claim_uid: str
    stance: str  # supports | disputes
    confidence: float


def claim_uid_for(text: str) -> str:
    return "claim:" + hashlib.sha256(normalise_text(text).encode()).hexdigest()[:32]


def _stance_row(statement_uid: str, link: ClaimLink, similarity: float, extractor: str) -> dict[str, Any]:
    return {"statement_uid": statement_uid, "claim_uid": link.claim_uid, "confidence": round(link.confidence, 4),
            "extractor": extractor, "similarity": round(similarity, 4)}


def _add_stance(out: "Extraction", statement_uid: str, link: ClaimLink, similarity: float, extractor: str) -> None:
    row = _stance_row(statement_uid, link, similarity, extractor)
    (out.supports if link.stance == "supports" else out.disputes).append(row)


def link_statements(
    document: Document,
    candidates: Sequence[StatementCandidate],
    ctx: "PipelineContext",
    out: "Extraction",
    post_uids: dict[str, str],
) -> dict[str, list[ClaimLink]]:
    """Write statement, claim and stance rows into `out`; return each post's claim links."""
    from workers.pipeline import embed_texts, statement_uid

    post_claims: dict[str, list[ClaimLink]] = {}
    if not candidates:
        return post_claims
    vectors = embed_texts([c.text for c in candidates], ctx)
    graph_hits = ctx.graph.nearest_claims_batch([v.tolist() for v in vectors], GRAPH_NEIGHBOURS)
    uids_of_candidates = [statement_uid(post_uids[c.post_local_id], c) for c in candidates]
    # A statement extracted again keeps the claim it was linked to (the index is approximate).
    previous_links = ctx.graph.claims_of_statements(uids_of_candidates)
    threshold = ctx.settings.claim_link_threshold

    local_uids: list[str] = []
    local_texts: list[str] = []
    local_vectors: list[np.ndarray] = []
    pending: list[tuple[int, str, str, float]] = []  # candidate index, claim uid, claim text, similarity
    founded: dict[int, str] = {}
    new_claim_uids: set[str] = set()
    statement_uids: list[str] = []
    paper_of_post = _paper_of_post(out)

    for index, (candidate, vector) in enumerate(zip(candidates, vectors)):
        uid = uids_of_candidates[index]
        statement_uids.append(uid)
        out.statements.append({
            "uid": uid, "text": candidate.text, "start": candidate.start, "end": candidate.end,
            "embedding": [float(x) for x in vector], "quoted": candidate.quoted,
            "attributed_to": candidate.attributed_to, "via_reply": False,
            "post_uid": post_uids[candidate.post_local_id],
        })
        previous = previous_links.get(uid)
        if previous is not None:
            if normalise_text(previous["claim_text"]) == normalise_text(candidate.text):
                founded[index] = previous["claim_uid"]
            else:
                pending.append((index, previous["claim_uid"], previous["claim_text"], previous["similarity"] or 1.0))
            local_uids.append(previous["claim_uid"])
            local_texts.append(previous["claim_text"])
            local_vectors.append(vector)
            continue
        best_uid, best_text, best_similarity = None, None, -1.0
        for hit in graph_hits[index]:
            if hit["similarity"] > best_similarity:
                best_uid, best_text, best_similarity = hit["uid"], hit["text"], hit["similarity"]
        if local_vectors:
            similarities = np.stack(local_vectors) @ vector
            j = int(np.argmax(similarities))
            if float(similarities[j]) > best_similarity:
                best_uid, best_text, best_similarity = local_uids[j], local_texts[j], float(similarities[j])
        if best_uid is not None and best_similarity >= threshold:
            pending.append((index, best_uid, best_text or "", best_similarity))
            continue
        claim_uid = claim_uid_for(candidate.text)
        if claim_uid not in new_claim_uids:
            new_claim_uids.add(claim_uid)
            out.claims.append({"uid": claim_uid, "text": candidate.text, "embedding": [float(x) for x in vector],
                               "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
            _link_claim_about(candidate, claim_uid, ctx, out, paper_of_post.get(post_uids[candidate.post_local_id]))
        local_uids.append(claim_uid)
        local_texts.append(candidate.text)
        local_vectors.append(vector)
        founded[index] = claim_uid

    for index, claim_uid in founded.items():
        link = ClaimLink(claim_uid, "supports", 1.0)
        _add_stance(out, statement_uids[index], link, 1.0, "claims.founding.v1")
        post_claims.setdefault(candidates[index].post_local_id, []).append(link)

    # Statements that restate their claim's own text support it; the others ask the model.
    to_predict = [(i, uid, text, sim) for i, uid, text, sim in pending
                  if normalise_text(text) != normalise_text(candidates[i].text)]
    predictions = ctx.stance.predict([(text, candidates[i].text) for i, _, text, _ in to_predict])
    predicted = {i: p for (i, *_), p in zip(to_predict, predictions)}
    for index, claim_uid, _, similarity in pending:
        prediction = predicted.get(index)
        if prediction is None:
            link, extractor = ClaimLink(claim_uid, "supports", 1.0), "claims.restated.v1"
        else:
            link, extractor = ClaimLink(claim_uid, prediction.label, prediction.confidence), prediction.extractor
        _add_stance(out, statement_uids[index], link, similarity, extractor)
        post_claims.setdefault(candidates[index].post_local_id, []).append(link)
    return post_claims


def _paper_of_post(out: "Extraction") -> dict[str, str]:
    """Each post's own paper (a newsletter section's), else the document's; computed once per document."""
    document_paper = next((row["paper_uid"] for row in out.source_papers), None)
    result: dict[str, str] = {}
    for row in out.paper_mentions:
        if row["role"] == "primary":
            result.setdefault(row["post_uid"], row["paper_uid"])
    if document_paper:
        for row in out.posts:
            result.setdefault(row["uid"], document_paper)
    return result


def _link_claim_about(
    candidate: StatementCandidate, claim_uid: str, ctx: "PipelineContext", out: "Extraction",
    paper_uid: str | None,
) -> None:
    for mention in ctx.methods.find(candidate.text):
        out.about_methods.append({"claim_uid": claim_uid, "target_uid": "method:" + normalise_text(mention.name)})
    if paper_uid:
        out.about_papers.append({"claim_uid": claim_uid, "target_uid": paper_uid})


def link_replies(
    document: Document,
    ctx: "PipelineContext",
    out: "Extraction",
    post_uids: dict[str, str],
    post_claims: dict[str, list[ClaimLink]],
) -> None:
    """Reply agreement edges, and the stance a reply takes through the post it answers."""
    from workers.pipeline import embed_texts
    from workers.stance import propagate_reply_stance

    posts = document.post_by_id()
    replies = [p for p in document.posts if p.parent_id in posts and not p.deleted and p.text.strip()]
    if not replies:
        return
    agreements = [ctx.stance.classify_reply(posts[p.parent_id].text, p.text) for p in replies]  # type: ignore[index]
    via_reply: list[tuple[str, str, list[ClaimLink]]] = []
    for reply, agreement in zip(replies, agreements):
        parent_id = reply.parent_id or ""
        row = {"child_uid": post_uids[reply.local_id], "parent_uid": post_uids[parent_id],
               "confidence": round(agreement.confidence, 4), "extractor": "stance.reply.v1"}
        if agreement.label == "agrees":
            out.agrees.append(row)
        elif agreement.label == "disagrees":
            out.disagrees.append(row)
        else:
            continue
        inherited: list[ClaimLink] = []
        for parent_link in post_claims.get(parent_id, []):
            stance = propagate_reply_stance(parent_link.stance, agreement.label)
            if stance:
                confidence = min(parent_link.confidence, agreement.confidence)
                inherited.append(ClaimLink(parent_link.claim_uid, stance, confidence))
        if inherited:
            lead = reply_lead(reply.text, ctx.nlp)
            via_reply.append((reply.local_id, lead, inherited))
            # Grandchildren propagate through this reply's inherited stance too.
            post_claims.setdefault(reply.local_id, []).extend(inherited)
    if not via_reply:
        return
    vectors = embed_texts([lead for _, lead, _ in via_reply], ctx)
    for (local_id, lead, links), vector in zip(via_reply, vectors):
        post_uid = post_uids[local_id]
        uid = "st:" + hashlib.sha256(f"{post_uid}\x00reply\x00{lead}".encode()).hexdigest()[:32]
        out.statements.append({
            "uid": uid, "text": lead, "start": 0, "end": len(lead), "embedding": [float(x) for x in vector],
            "quoted": False, "attributed_to": None, "via_reply": True, "post_uid": post_uid,
        })
        for link in _dedupe_links(links):
            _add_stance(out, uid, link, 0.0, "claims.reply.v1")


def _dedupe_links(links: Sequence[ClaimLink]) -> list[ClaimLink]:
    best: dict[str, ClaimLink] = {}
    for link in links:
        if link.claim_uid not in best or link.confidence > best[link.claim_uid].confidence:
            best[link.claim_uid] = link
    return list(best.values())
