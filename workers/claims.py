"""Canonical claims: statements that assert the same proposition attach to one Claim.

Each statement is embedded (alias-normalised text) and compared with the claims already
in the graph (vector index) and those created earlier in the same document. At or above
`settings.claim_link_threshold` it joins the nearest claim, and the stance model says
whether it supports or disputes it; below, it founds a new claim whose text is the
statement itself. A statement is embedded with a head that refers to the discussed work
("The work has limited novelty", "However, the proposed method ...") naming the one method
its paper introduces ("Dreamer has limited novelty"): in a review thread every reviewer
says "the paper", and the query names it. Replies that agree or disagree with their
parent inherit the parent's claims with the stance kept or flipped, through as many
levels as the thread has.

A post that quotes someone takes a stance of its own the same way: its author's
response to a quoted passage (`workers.quotations`) agrees or disagrees with the
passage, and so supports or disputes the claims the quoted statements were linked to.
When the quoting post is by the paper's own authors (`workers.roles`) and answers
another writer's words without thanks or agreement, the answer is a rebuttal and
disagrees. These derived stances hang off Statements of their own (`via_reply` /
`via_quote`, text: the reply's lead or the author's response; a `via_quote` one records
its `quote_agreement`), beside the post's ordinary ones.

A critique qualifies what its writer reported: in one post, a statement framed as a
critique ("Potential critiques include ...", an item under "Cons:") disputes the claims
of the findings the post reported before it ("Results demonstrate ..."), with the
stance of each finding flipped; the edge hangs off the critique's own statement.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

from workers.documents import Document
from workers.methods import method_uid
from workers.parse.text import normalise_text
from workers.quotations import AuthorText, QuotedPassage, quoted_passages, repeats, unframed
from workers.roles import speaks_for_paper
from workers.stance import opposite_stance
from workers.statements import StatementCandidate, reply_lead

if TYPE_CHECKING:
    from workers.pipeline import Extraction, PipelineContext
    from workers.stance import ReplyAgreement, StanceModel

GRAPH_NEIGHBOURS = 10
REPLY_EXTRACTOR = "claims.reply.v1"
QUOTE_RESPONSE_EXTRACTOR = "claims.quote_response.v1"
CRITIQUE_EXTRACTOR = "claims.critique.v1"
DERIVED_EXTRACTORS = (REPLY_EXTRACTOR, QUOTE_RESPONSE_EXTRACTOR, CRITIQUE_EXTRACTOR)
# A critique qualifies a finding rather than refuting it: its stance is at most this confident.
CRITIQUE_CONFIDENCE = 0.7
# Words quoted from another post must be at least this long to be matched to its statements.
MIN_MATCHED_QUOTE_CHARS = 20
# The paper's authors answering a critic disagree unless they concede; the answer's own
# words do not say so, so the stance is less sure than an explicit "I disagree".
REBUTTAL_CONFIDENCE = 0.6
MAX_QUOTE_TEXT_CHARS = 600


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
    deleted_post_uids: Sequence[str] = (),
) -> dict[str, list[ClaimLink]]:
    """Write statement, claim and stance rows into `out`; return each post's claim links.

    `deleted_post_uids`: posts the same write removes (gone from a re-ingested source)."""
    from workers.pipeline import embed_texts, statement_uid

    post_claims: dict[str, list[ClaimLink]] = {}
    if not candidates:
        return post_claims
    paper_of_post = _paper_of_post(out)
    subject_of_post = _subject_of_post(out, paper_of_post)
    # Embedded with "the paper" / "this work" at its head read as the method the paper introduces.
    vectors = embed_texts([about_subject(c.text, subject_of_post.get(post_uids[c.post_local_id]))
                           for c in candidates], ctx, out.acronyms)
    in_context = [index for index, c in enumerate(candidates) if c.context]
    context_vectors = dict(zip(in_context, embed_texts(
        [f"{candidates[index].context} {candidates[index].text}" for index in in_context], ctx, out.acronyms)))
    graph_hits = ctx.graph.nearest_claims_batch([v.tolist() for v in vectors], GRAPH_NEIGHBOURS)
    uids_of_candidates = [statement_uid(post_uids[c.post_local_id], c) for c in candidates]
    # Old statements of re-extracted and removed posts are deleted in the same write: a claim
    # only they state is no place for a new statement (an edited comment would revive its old words).
    rewritten = [row["uid"] for row in out.posts] + list(deleted_post_uids)
    alive = ctx.graph.claims_outliving_rewrite(
        [hit["uid"] for hits in graph_hits for hit in hits], rewritten, uids_of_candidates)
    graph_hits = [[hit for hit in hits if hit["uid"] in alive] for hits in graph_hits]
    # A statement extracted again keeps the claim it was linked to (the index is approximate).
    previous_links = ctx.graph.claims_of_statements(uids_of_candidates, DERIVED_EXTRACTORS)
    threshold = ctx.settings.claim_link_threshold

    local_uids: list[str] = []
    local_texts: list[str] = []
    local_vectors: list[np.ndarray] = []
    pending: list[tuple[int, str, str, float]] = []  # candidate index, claim uid, claim text, similarity
    founded: dict[int, str] = {}
    new_claim_uids: set[str] = set()
    statement_uids: list[str] = []

    for index, (candidate, vector) in enumerate(zip(candidates, vectors)):
        uid = uids_of_candidates[index]
        statement_uids.append(uid)
        out.statements.append({
            "uid": uid, "text": candidate.text, "start": candidate.start, "end": candidate.end,
            "embedding": [float(x) for x in vector], "quoted": candidate.quoted,
            "context": candidate.context or None,
            "context_embedding": [float(x) for x in context_vectors[index]] if index in context_vectors else None,
            "attributed_to": candidate.attributed_to, "via_reply": False, "via_quote": False,
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
    predictions = ctx.stance.predict([(text, candidates[i].text) for i, _, text, _ in to_predict],
                                     dispute_prior=ctx.settings.stance_dispute_prior)
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


def link_critiques(
    candidates: Sequence[StatementCandidate], out: "Extraction", post_uids: dict[str, str],
) -> None:
    """Each critique disputes the claims of the findings its post reported before it.

    Runs after `link_statements`. A claim the critique is itself linked to keeps that
    link alone; replies do not inherit these edges (the post also reported the finding).
    """
    from workers.pipeline import statement_uid

    links_of = _links_by_statement(out)
    findings: dict[str, list[str]] = {}  # post -> uids of its findings so far
    for candidate in sorted(candidates, key=lambda c: (c.post_local_id, c.start)):
        uid = statement_uid(post_uids[candidate.post_local_id], candidate)
        if candidate.frame == "finding":
            findings.setdefault(candidate.post_local_id, []).append(uid)
            continue
        if candidate.frame != "critique":
            continue
        own = {link.claim_uid for link in links_of.get(uid, [])}
        qualified: list[ClaimLink] = []
        for finding_uid in findings.get(candidate.post_local_id, []):
            for link in links_of.get(finding_uid, []):
                if link.claim_uid not in own:
                    qualified.append(ClaimLink(link.claim_uid, opposite_stance(link.stance),
                                               min(link.confidence, CRITIQUE_CONFIDENCE)))
        for link in _dedupe_links(qualified):
            _add_stance(out, uid, link, 0.0, CRITIQUE_EXTRACTOR)


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


# What follows a mention of a work that is another's: "the paper by Pathak et al.", "the method of Miyato".
_NOT_ANOTHER_WORKS = r"(?!\s+(?:of|by|from|in|on)\b)"
# "The work has limited novelty", "However, the proposed method ...": a sentence whose head is
# the discussed work itself, not another paper's ("the paper by Pathak et al.").
_DOCUMENT_REFERENCE = re.compile(
    r"^((?:[A-Z][a-z]+,\s+)?)(?:the|this|our)\s+(?:proposed\s+|presented\s+|new\s+)?"
    r"(?:paper|work|submission|manuscript|method|approach|model|algorithm|agent|framework|architecture)\b"
    + _NOT_ANOTHER_WORKS,
    re.IGNORECASE,
)


def _subject_of_post(out: "Extraction", paper_of_post: Mapping[str, str]) -> dict[str, str]:
    """For each post with a paper, what "the paper", "this work" and "the proposed method" in it
    stand for: the one named method the paper introduces ("The paper proposes Dreamer"), else the
    paper's title ("Generalizable Adversarial Training via Spectral Normalization").
    A generic technique the paper uses or studies ("large language model", "spectral
    normalization": lower case, as the catalogue writes what is not a proper name) is not its
    name, and of two named methods which one "the paper" means is not known: the title stands."""
    names = {row["uid"]: row["name"] for row in out.methods if row["name"][:1].isupper()}
    introduced: dict[str, set[str]] = {}
    for row in out.introduces:
        if row["method_uid"] in names:
            introduced.setdefault(row["paper_uid"], set()).add(names[row["method_uid"]])
    titles = {row["uid"]: row["title"] for row in out.papers if row.get("title")}
    subjects: dict[str, str] = {}
    for post_uid, paper_uid in paper_of_post.items():
        named = introduced.get(paper_uid, set())
        subject = next(iter(named)) if len(named) == 1 else titles.get(paper_uid)
        if subject:
            subjects[post_uid] = subject
    return subjects


# "the proposed method", "our approach", "the authors' algorithm" anywhere in a sentence ("we show
# that our method is not slower than ...") is the discussed work too; "our model" is not (a
# response's writers train models of their own), nor "the method of Miyato et al.".
_PROPOSED_METHOD = re.compile(
    r"\b(?:(?:the|our|this)\s+(?:proposed|presented|new)|our|the\s+authors['’]?)\s+"
    r"(?:method|approach|technique|algorithm|framework|scheme)\b" + _NOT_ANOTHER_WORKS,
    re.IGNORECASE,
)


def about_subject(text: str, subject: str | None) -> str:
    """The text with a head that refers to the discussed work ("The work has limited novelty"),
    or a mention of its method anywhere ("... that our method is not slower"), naming it instead
    ("Dreamer has limited novelty"), so that it meets a query naming it; unchanged without a
    subject or such words."""
    if not subject:
        return text
    text = _DOCUMENT_REFERENCE.sub(lambda match: match.group(1) + subject, text, count=1)
    return _PROPOSED_METHOD.sub(subject, text)


def _link_claim_about(
    candidate: StatementCandidate, claim_uid: str, ctx: "PipelineContext", out: "Extraction",
    paper_uid: str | None,
) -> None:
    for mention in ctx.methods.find(candidate.text):
        out.about_methods.append({"claim_uid": claim_uid, "target_uid": method_uid(mention.name)})
    if paper_uid:
        out.about_papers.append({"claim_uid": claim_uid, "target_uid": paper_uid})


def link_replies(
    document: Document,
    ctx: "PipelineContext",
    out: "Extraction",
    post_uids: dict[str, str],
    post_claims: dict[str, list[ClaimLink]],
    settled_by_quotes: Mapping[str, set[str]] | None = None,
) -> None:
    """Reply agreement edges, and the stance a reply takes through the post it answers.

    `settled_by_quotes` (from `link_quote_responses`): claims a reply already took a
    stance on by answering a quotation of them; its response to the quote, being more
    specific than its agreement with the whole parent, stands alone for those.
    """
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
        settled = (settled_by_quotes or {}).get(reply.local_id, set())
        for parent_link in post_claims.get(parent_id, []):
            if parent_link.claim_uid in settled:
                continue
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
    vectors = embed_texts([lead for _, lead, _ in via_reply], ctx, out.acronyms)
    for (local_id, lead, links), vector in zip(via_reply, vectors):
        post_uid = post_uids[local_id]
        uid = "st:" + hashlib.sha256(f"{post_uid}\x00reply\x00{lead}".encode()).hexdigest()[:32]
        out.statements.append({
            "uid": uid, "text": lead, "start": 0, "end": len(lead), "embedding": [float(x) for x in vector],
            "quoted": False, "attributed_to": None, "via_reply": True, "via_quote": False, "post_uid": post_uid,
        })
        for link in _dedupe_links(links):
            _add_stance(out, uid, link, 0.0, REPLY_EXTRACTOR)


@dataclass(frozen=True)
class _QuoteResponse:
    post_local_id: str
    words: AuthorText
    quote_text: str
    quote_source: str | None
    agreement: str
    links: tuple[ClaimLink, ...]


def link_quote_responses(
    document: Document,
    candidates: Sequence[StatementCandidate],
    ctx: "PipelineContext",
    out: "Extraction",
    post_uids: dict[str, str],
    post_claims: dict[str, list[ClaimLink]],
) -> dict[str, set[str]]:
    """The quoting author's own stance on what each passage they quote claims.

    A passage's claims are those its statements were linked to: the statements
    extracted inside it (quoted, attributed to the quoted source) or, for words quoted
    from another post of the document (which `workers.statements` leaves to that post),
    that post's statements. The author's response to the passage, or else the words
    introducing it, is classified like a reply to it; agreeing keeps each claim's
    stance, disagreeing flips it. Where that reading decides nothing (no side, or both),
    the paper's authors answering another writer's words without thanks or agreement
    rebut them (`REBUTTAL_CONFIDENCE`). A post takes at most one such stance per claim (the most
    confident), and none where its own words already take that stance.

    Each passage that yields a stance becomes a Statement of the quoting post
    (`via_quote`; text: the author's whole answer to the passage, or the introduction
    when that decided; `quote_text`/`quote_source`: the passage and who said it;
    `quote_agreement`: agrees or disagrees);
    replies to the post inherit these stances. Runs after
    `link_statements` and before `link_replies`; returns, per post, the claims it took
    a stance on this way.
    """
    from workers.pipeline import embed_texts, statement_uid
    from workers.stance import propagate_reply_stance

    posts = [p for p in document.posts if p.quotations and not p.deleted and p.text.strip()]
    if not posts:
        return {}
    links_of = _links_by_statement(out)
    by_post: dict[str, list[tuple[StatementCandidate, str]]] = {}
    for candidate in candidates:
        uid = statement_uid(post_uids[candidate.post_local_id], candidate)
        by_post.setdefault(candidate.post_local_id, []).append((candidate, uid))
    authors = {p.local_id: p.author for p in document.posts}
    # Statements another post could quote, for those with claims: (post, their words without
    # frame and normalised, their whole text normalised, uid).
    quotable = [(c.post_local_id, normalise_text(unframed(c.text)), normalise_text(c.text), uid)
                for statements in by_post.values()
                for c, uid in statements if links_of.get(uid) and len(c.text) >= MIN_MATCHED_QUOTE_CHARS]

    responses: list[_QuoteResponse] = []
    for post in posts:
        own = by_post.get(post.local_id, [])
        rebutting = speaks_for_paper(post)
        own_stances = {(link.claim_uid, link.stance)
                       for candidate, uid in own if not candidate.quoted for link in links_of.get(uid, [])}
        found: list[tuple[QuotedPassage, AuthorText, str | None, str, list[ClaimLink]]] = []
        for passage in quoted_passages(post, ctx.nlp):
            quoted_links, source = _quoted_links(passage, own, quotable, links_of, authors)
            if not quoted_links:
                continue
            decided = _response_agreement(passage, ctx.stance)
            if decided is None and rebutting:
                decided = _rebuttal(passage, source, post.author)
            if decided is None:
                continue
            agreement, words = decided
            derived = []
            for link in quoted_links:
                stance = propagate_reply_stance(link.stance, agreement.label)
                if stance and (link.claim_uid, stance) not in own_stances:
                    derived.append(ClaimLink(link.claim_uid, stance, min(link.confidence, agreement.confidence)))
            if derived:
                found.append((passage, words, source, agreement.label, _dedupe_links(derived)))
        # One stance per claim and post: the passage that gives it most confidently keeps it.
        best: dict[str, tuple[float, int]] = {}
        for index, (*_, links) in enumerate(found):
            for link in links:
                if link.claim_uid not in best or link.confidence > best[link.claim_uid][0]:
                    best[link.claim_uid] = (link.confidence, index)
        for index, (passage, words, source, agreement_label, links) in enumerate(found):
            kept = tuple(link for link in links if best[link.claim_uid][1] == index)
            if kept:
                responses.append(_QuoteResponse(post.local_id, words, passage.text, source, agreement_label, kept))

    settled: dict[str, set[str]] = {}
    if not responses:
        return settled
    vectors = embed_texts([r.words.text for r in responses], ctx, out.acronyms)
    for response, vector in zip(responses, vectors):
        post_uid = post_uids[response.post_local_id]
        words = response.words
        key = f"{post_uid}\x00quote\x00{words.start}\x00{words.text}"
        uid = "st:" + hashlib.sha256(key.encode()).hexdigest()[:32]
        out.statements.append({
            "uid": uid, "text": words.text, "start": words.start, "end": words.end,
            "embedding": [float(x) for x in vector], "quoted": False, "attributed_to": None,
            "via_reply": False, "via_quote": True, "quote_text": response.quote_text[:MAX_QUOTE_TEXT_CHARS],
            "quote_source": response.quote_source, "quote_agreement": response.agreement, "post_uid": post_uid,
        })
        for link in response.links:
            _add_stance(out, uid, link, 0.0, QUOTE_RESPONSE_EXTRACTOR)
        post_claims.setdefault(response.post_local_id, []).extend(response.links)
        settled.setdefault(response.post_local_id, set()).update(link.claim_uid for link in response.links)
    return settled


def _links_by_statement(out: "Extraction") -> dict[str, list[ClaimLink]]:
    """Each statement's claim links so far, leaving out the derived (reply, quote) ones."""
    links: dict[str, list[ClaimLink]] = {}
    for stance, rows in (("supports", out.supports), ("disputes", out.disputes)):
        for row in rows:
            if row["extractor"] not in DERIVED_EXTRACTORS:
                links.setdefault(row["statement_uid"], []).append(
                    ClaimLink(row["claim_uid"], stance, float(row["confidence"])))
    return links


def _quoted_links(
    passage: QuotedPassage,
    own: Sequence[tuple[StatementCandidate, str]],
    quotable: Sequence[tuple[str, str, str, str]],
    links_of: Mapping[str, Sequence[ClaimLink]],
    authors: Mapping[str, str | None],
) -> tuple[list[ClaimLink], str | None]:
    """The claim links of the statements a passage quotes, and who said them."""
    links: list[ClaimLink] = []
    for candidate, uid in own:
        overlap = min(candidate.end, passage.end) - max(candidate.start, passage.start)
        if candidate.quoted and overlap > 0 and overlap >= 0.5 * (candidate.end - candidate.start):
            links.extend(links_of.get(uid, []))
    source = passage.attributed_to
    quoted = normalise_text(unframed(passage.text))
    if len(quoted) < MIN_MATCHED_QUOTE_CHARS:
        return links, source
    for local_id, core, said, uid in quotable:
        if local_id != passage.post_local_id and (core in quoted or repeats(passage.text, said)):
            links.extend(links_of[uid])
            source = source or authors.get(local_id)
    return links, source


def _response_agreement(passage: QuotedPassage, stance: "StanceModel") -> tuple["ReplyAgreement", AuthorText] | None:
    """How the author's response (else the introduction) takes the passage, and the words that
    take it (the whole answer, or the introduction); None when neutral or torn.

    As for replies, agreement is taken from the author's explicit words only ("Exactly.",
    "I agree with this:"), and a model-read contradiction counts.
    """
    readings: list[tuple[ReplyAgreement, AuthorText]] = []
    response = passage.response_as_sentence()
    if passage.response is not None and response:
        readings.append((stance.classify_reply(passage.text, response), passage.answer or passage.response))
    if passage.introduction is not None:
        readings.append((stance.classify_reply(passage.text, passage.introduction.text), passage.introduction))
    decided = [(agreement, words) for agreement, words in readings if agreement.label != "neutral"]
    if not decided or len({agreement.label for agreement, _ in decided}) > 1:
        return None
    return decided[0]


def _rebuttal(
    passage: QuotedPassage, source: str | None, answering_author: str | None,
) -> tuple["ReplyAgreement", AuthorText] | None:
    """The paper's authors answering another writer's quoted words without thanks or agreement
    ("> The work has limited novelty" / "Dreamer is a novel algorithm ..."): a rebuttal.
    Their own words quoted back (`source` is the answering author, or unknown) are not."""
    from workers.stance import ReplyAgreement, acknowledges

    if source is None or source == answering_author:
        return None
    response = passage.response_as_sentence()
    words = passage.answer or passage.response
    if not response or words is None or acknowledges(response):
        return None
    return ReplyAgreement("disagrees", REBUTTAL_CONFIDENCE), words


def _dedupe_links(links: Sequence[ClaimLink]) -> list[ClaimLink]:
    best: dict[str, ClaimLink] = {}
    for link in links:
        if link.claim_uid not in best or link.confidence > best[link.claim_uid].confidence:
            best[link.claim_uid] = link
    return list(best.values())
