"""The ingestion pipeline: source reference -> Document -> extracted graph rows -> Neo4j.

Plain functions over a `PipelineContext` that holds the per-process clients (graph
repository, encoder, spaCy, HTTP fetcher, method catalogue, stance model). Celery
tasks and the CLI both call `ingest_refs`; neither Flask nor Celery is imported here.

One source is written in one transaction, so a failure leaves the graph as it was.
A source that fails (fetch, parse or extraction) is recorded with its reason and the
rest of the batch goes on.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from graph_schema import GraphRepository, queries
from workers import claims as claim_linking
from workers.documents import Document, Post, SourceKind
from workers.errors import ClaimgraphError
from workers.parse.text import normalise_text
from workers.quotations import with_parent_quotations
from workers.roles import speaks_for_paper
from workers.settings import Settings
from workers.statements import StatementCandidate, extract_statements

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = "claimgraph.extract.v48"
# Posts at least this long are identified by their text alone, wherever they appear.
LONG_POST_CHARS = 60
# A document whose long posts mostly match one earlier source is another copy of that thread.
THREAD_COPY_SHARE = 0.5


def _sha(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@dataclass
class PipelineContext:
    """The clients one process shares between all the sources it ingests."""

    settings: Settings
    graph: GraphRepository
    encoder: Any
    nlp: Any
    fetcher: Any
    methods: Any
    stance: Any

    @classmethod
    def create(cls, settings: Settings, graph: GraphRepository, encoder: Any | None = None) -> "PipelineContext":
        from workers.embed import create_encoder
        from workers.fetch import HttpFetcher
        from workers.methods import MethodCatalog
        from workers.nlp import load_nlp
        from workers.stance import StanceModel

        nlp = load_nlp()
        encoder = encoder or create_encoder(settings.encoder)
        return cls(
            settings=settings,
            graph=graph,
            encoder=encoder,
            nlp=nlp,
            fetcher=HttpFetcher(settings),
            methods=MethodCatalog.load(nlp),
            stance=StanceModel.load(encoder, nlp),
        )

    def trace_services(self) -> Any:
        """The same clients, for tracing what this context ingested."""
        from workers.trace import TraceServices

        return TraceServices(settings=self.settings, graph=self.graph, encoder=self.encoder,
                             methods=self.methods, stance=self.stance, nlp=self.nlp)

    def close(self) -> None:
        self.fetcher.close()


@dataclass(frozen=True)
class SourceResult:
    ref: str
    status: str  # ingested | unchanged | failed
    source_uid: str | None = None
    title: str | None = None
    error: str | None = None
    error_type: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref, "status": self.status, "source_uid": self.source_uid, "title": self.title,
            "error": self.error, "error_type": self.error_type, "counts": dict(self.counts),
        }


def ingest_refs(
    refs: Sequence[str], ctx: PipelineContext, *, job_uid: str | None = None, jobs: Any | None = None,
    force: bool = False, allow_files: bool = True,
) -> list[SourceResult]:
    """Ingest every reference; one that fails is recorded and does not stop the others.

    With `job_uid` and a `workers.jobs.JobStore`, progress and per-source errors are
    recorded on that job. `allow_files=False` refuses local paths: for references that
    come from users of the web API rather than from the operator.
    """
    from workers.fetch import load_source

    results: list[SourceResult] = []
    if job_uid is not None and jobs is not None:
        jobs.update(job_uid, {"status": "running", "refs": list(refs), "started_at": _now()})
    for ref in refs:
        try:
            documents = load_source(ref, fetcher=ctx.fetcher, settings=ctx.settings, allow_files=allow_files)
        except ClaimgraphError as error:
            log.warning("source %s failed: %s", ref, error)
            results.append(SourceResult(ref, "failed", error=str(error), error_type=type(error).__name__))
            continue
        path = file_origin(ref)
        for index, document in enumerate(documents):
            origin = f"{path}#{index}" if path else None
            try:
                results.append(ingest_document(document, ctx, ref=ref, force=force, origin=origin))
            except ClaimgraphError as error:
                log.warning("source %s failed: %s", ref, error)
                results.append(SourceResult(ref, "failed", title=document.title, error=str(error),
                                            error_type=type(error).__name__))
    if job_uid is not None and jobs is not None:
        failed = [r for r in results if r.status == "failed"]
        jobs.update(job_uid, {
            "status": "failed" if failed and len(failed) == len(results) else "done",
            "finished_at": _now(),
            "n_ingested": sum(r.status == "ingested" for r in results),
            "n_unchanged": sum(r.status == "unchanged" for r in results),
            "n_failed": len(failed),
            "errors": [f"{r.ref}: {r.error}" for r in failed],
            "source_uids": [r.source_uid for r in results if r.source_uid],
        })
    return results


# --- identities ---------------------------------------------------------------------


def file_origin(ref: str) -> str | None:
    """`file:` and the absolute path of a reference to a local file; None for URLs and `hn:N`."""
    from workers.fetch import hn_item_id, is_url

    if is_url(ref) or hn_item_id(ref) is not None:
        return None
    return "file:" + str(Path(ref).resolve())


def source_uid_for(document: Document, content_sha: str, origin: str | None = None) -> str:
    """A Source is its URL; without one, the place it was read from; failing that, its content.

    Keying a file's documents by path (and position in the file) is what lets an edited file
    replace its previous version on re-ingest instead of becoming a second Source.
    """
    if document.url:
        return "src:" + _sha("url", document.url.strip().lower().rstrip("/"))[:32]
    if origin:
        return "src:" + _sha("origin", origin)[:32]
    return "src:" + content_sha[:32]


def document_content_sha(document: Document) -> str:
    parts = [document.kind.value, document.title or "", document.url or ""]
    for post in document.posts:
        parts.extend([post.local_id, post.parent_id or "", post.author or "", post.title or "", post.text])
    return _sha(*parts)


def person_for(post: Post, document: Document) -> dict[str, Any] | None:
    if not post.author:
        return None
    handle = post.author.strip()
    if document.kind is SourceKind.HN_THREAD:
        return {"uid": f"hn:{handle}", "name": handle, "handle": handle, "platform": "hn",
                "profile_url": f"https://news.ycombinator.com/user?id={handle}"}
    return {"uid": "name:" + normalise_text(handle), "name": handle, "handle": None,
            "platform": document.site, "profile_url": None}


@dataclass
class PostIdentities:
    """Graph uids of a document's posts, and how they relate to copies held elsewhere.

    `borrowed`: local ids whose sentences all belong to a richer post (one with an
    author) that another source holds, such as a flattened copy's line; only an IN edge
    is written for them. `absorbed`: poorer copies elsewhere (author-less posts whose
    sentences all belong to one of ours) that our posts replace.
    """

    uids: dict[str, str]
    borrowed: set[str] = field(default_factory=set)
    absorbed: list[dict[str, str]] = field(default_factory=list)


_NON_WORD = re.compile(r"[^0-9a-z]+")
SHINGLE_WORDS = 5
# Keep one shingle in SHINGLE_SAMPLE (by hash): enough to recognise a copied line, small to store.
SHINGLE_SAMPLE = 2
# Share of a post's shingles that must belong to another post for it to be a copy of (part of) it.
CONTAINED_SHARE = 0.8


def segment_shas(text: str) -> list[str]:
    """Sampled hashes of a text's 5-word shingles, blind to case, punctuation and wrapping.

    A line copied out of a longer post (even a fragment cut mid-sentence) has its
    shingles inside that post's, which is how flattened copies of threads are recognised.
    """
    words = _NON_WORD.sub(" ", normalise_text(text)).split()
    if len(words) < SHINGLE_WORDS:
        return [_sha(" ".join(words))[:16]] if len(words) >= 3 else []
    result: set[str] = set()
    for i in range(len(words) - SHINGLE_WORDS + 1):
        digest = _sha(" ".join(words[i : i + SHINGLE_WORDS]))[:16]
        if int(digest[:4], 16) % SHINGLE_SAMPLE == 0:
            result.add(digest)
    return sorted(result)


def assign_post_uids(document: Document, source_uid: str, graph: GraphRepository) -> PostIdentities:
    """Map each post's local id to its graph uid, reusing posts that other sources hold.

    Long posts are the same post wherever their normalised text appears. A post without
    an author whose sentences all lie in a richer post elsewhere is that post (a line of
    a flattened copy of a thread); a post with an author absorbs such poorer copies.
    Short posts ("Thanks!") only match inside a document that copies an earlier thread.
    """
    live = [post for post in document.posts if not post.deleted]
    shas = {post.local_id: _sha(normalise_text(post.text)) for post in live}
    segments = {post.local_id: segment_shas(post.text) for post in live}
    is_long = {post.local_id: len(normalise_text(post.text)) >= LONG_POST_CHARS for post in live}

    same_text: dict[str, list[tuple[str, str]]] = {}
    for row in graph.posts_by_text_sha(sorted(set(shas.values()))):
        if row["source_uid"] != source_uid:
            same_text.setdefault(row["sha"], []).append((row["post_uid"], row["source_uid"]))
    sharing: dict[str, list[dict[str, Any]]] = {}
    for row in graph.posts_sharing_segments(sorted({s for segs in segments.values() for s in segs})):
        if row["source_uid"] != source_uid:
            sharing.setdefault(row["sha"], []).append(row)

    richer: dict[str, tuple[str, str]] = {}  # our local id -> (post uid, source uid) containing it
    poorer: dict[str, list[tuple[str, str]]] = {}  # our local id -> posts it contains
    for post in live:
        ours = segments[post.local_id]
        if not ours:
            continue
        hits: dict[str, set[str]] = {}
        info: dict[str, dict[str, Any]] = {}
        for sha in set(ours):
            for row in sharing.get(sha, []):
                hits.setdefault(row["post_uid"], set()).add(sha)
                info[row["post_uid"]] = row
        for other_uid, shared in hits.items():
            row = info[other_uid]
            if not post.author and row["has_author"] and len(shared) >= CONTAINED_SHARE * len(set(ours)):
                richer.setdefault(post.local_id, (other_uid, row["source_uid"]))
            elif post.author and not row["has_author"] and len(shared) >= CONTAINED_SHARE * row["n_segments"]:
                poorer.setdefault(post.local_id, []).append((other_uid, row["source_uid"]))

    # Which earlier sources is this document a copy of?
    long_ids = [local_id for local_id, long in is_long.items() if long]
    overlap: dict[str, int] = {}
    for local_id in long_ids:
        sources = {src for _, src in same_text.get(shas[local_id], [])}
        sources |= {richer[local_id][1]} if local_id in richer else set()
        sources |= {src for _, src in poorer.get(local_id, [])}
        for src in sources:
            overlap[src] = overlap.get(src, 0) + 1
    copied_from = {s for s, n in overlap.items() if long_ids and n / len(long_ids) >= THREAD_COPY_SHARE}

    def usable(local_id: str, other_source: str) -> bool:
        return is_long[local_id] or other_source in copied_from

    identities = PostIdentities(uids={})
    absorbed_seen: set[str] = set()
    for post in document.posts:
        if post.deleted:
            identities.uids[post.local_id] = "post:" + _sha(source_uid, post.local_id, "deleted")[:32]
            continue
        local_id, sha = post.local_id, shas[post.local_id]
        container = richer.get(local_id)
        if container and usable(local_id, container[1]):
            identities.uids[local_id] = container[0]
            identities.borrowed.add(local_id)
            continue
        if is_long[local_id]:
            uid = "post:" + sha[:32]
        else:
            match = next((uid for uid, src in same_text.get(sha, []) if src in copied_from), None)
            uid = match or "post:" + _sha(source_uid, local_id, sha)[:32]
        identities.uids[local_id] = uid
        for old_uid, src in poorer.get(local_id, []):
            if old_uid != uid and old_uid not in absorbed_seen and usable(local_id, src):
                absorbed_seen.add(old_uid)
                identities.absorbed.append({"old_uid": old_uid, "new_uid": uid})
    return identities


# --- the document -> graph path ------------------------------------------------------


def ingest_document(
    document: Document, ctx: PipelineContext, *, ref: str, force: bool = False, origin: str | None = None
) -> SourceResult:
    """Write one document; unchanged content is skipped unless `force` re-extracts it.

    `origin` names where a document without a URL was read from (see `file_origin`).
    """
    content_sha = document_content_sha(document)
    source_uid = source_uid_for(document, content_sha, origin)
    previous_sha, previous_version = ctx.graph.source_content_sha(source_uid)
    if not force and previous_sha == content_sha and previous_version == EXTRACTOR_VERSION:
        return SourceResult(ref, "unchanged", source_uid, document.title)

    identities = assign_post_uids(document, source_uid, ctx.graph)
    post_uids = identities.uids
    own_document = replace(document, posts=tuple(p for p in document.posts if p.local_id not in identities.borrowed))
    # Re-ingest of changed content: posts no longer in the source go, with their statements.
    stale = ctx.graph.stale_posts_of_source(source_uid, list(post_uids.values()))
    shared = [row["post_uid"] for row in stale if row["n_sources"] > 1]
    only_here = [row["post_uid"] for row in stale if row["n_sources"] <= 1]
    extraction = extract_document(own_document, ctx, source_uid=source_uid, post_uids=post_uids,
                                  deleted_post_uids=only_here)
    steps: list[tuple[str, dict[str, Any]]] = []
    if stale:
        steps.append((queries.DETACH_POSTS_FROM_SOURCE, {"post_uids": shared, "source_uid": source_uid}))
        steps.append((queries.DELETE_POSTS, {"post_uids": only_here}))

    steps.append((queries.UPSERT_SOURCE, {"uid": source_uid, "props": {
        "kind": document.kind.value, "url": document.url, "title": document.title, "site": document.site,
        "published_at": document.published_at, "ingested_at": _now(), "content_sha256": content_sha,
        "extractor_version": EXTRACTOR_VERSION, "ref": ref, "primary_link": document.primary_link,
    }}))
    steps.extend(extraction.write_steps())
    positions = {post.local_id: i for i, post in enumerate(document.posts)}
    steps.append((queries.LINK_POSTS_TO_SOURCE, {"rows": [
        {"post_uid": post_uids[local_id], "source_uid": source_uid, "local_id": local_id,
         "position": positions[local_id]} for local_id in sorted(identities.borrowed)
    ]}))
    steps.append((queries.ABSORB_POSTS, {"rows": identities.absorbed}))
    steps.append((queries.DELETE_ORPHAN_CLAIMS, {}))
    steps.append((queries.DELETE_ORPHAN_PEOPLE, {}))
    steps.append((queries.DELETE_ORPHAN_PAPERS_AND_METHODS, {}))
    steps.append((queries.RECOUNT_CLAIMS, {}))
    try:
        ctx.graph.write_many(steps)
    except Exception as error:  # the driver's errors: report them as this source's failure
        from workers.errors import ExtractionError

        raise ExtractionError(f"writing to Neo4j failed: {error}") from error
    _enrich_papers(extraction.paper_uids(), ctx)
    return SourceResult(ref, "ingested", source_uid, document.title, counts=extraction.counts())


@dataclass
class Extraction:
    """All rows one document produces, ready for `UNWIND` writes."""

    posts: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    replies: list[dict[str, Any]] = field(default_factory=list)
    papers: list[dict[str, Any]] = field(default_factory=list)
    paper_mentions: list[dict[str, Any]] = field(default_factory=list)
    source_papers: list[dict[str, Any]] = field(default_factory=list)
    methods: list[dict[str, Any]] = field(default_factory=list)
    method_mentions: list[dict[str, Any]] = field(default_factory=list)
    introduces: list[dict[str, Any]] = field(default_factory=list)
    statements: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    supports: list[dict[str, Any]] = field(default_factory=list)
    disputes: list[dict[str, Any]] = field(default_factory=list)
    about_papers: list[dict[str, Any]] = field(default_factory=list)
    about_methods: list[dict[str, Any]] = field(default_factory=list)
    agrees: list[dict[str, Any]] = field(default_factory=list)
    disagrees: list[dict[str, Any]] = field(default_factory=list)
    # The document's own acronyms ("SN" -> "spectral normalization"), spelled out in embeddings.
    acronyms: dict[str, str] = field(default_factory=dict)

    def paper_uids(self) -> list[str]:
        return [row["uid"] for row in self.papers]

    def counts(self) -> dict[str, int]:
        return {
            "posts": len(self.posts), "persons": len(self.persons), "papers": len(self.papers),
            "methods": len(self.methods), "statements": len(self.statements), "new_claims": len(self.claims),
            "supports": len(self.supports), "disputes": len(self.disputes),
            "agrees": len(self.agrees), "disagrees": len(self.disagrees),
        }

    def write_steps(self) -> list[tuple[str, dict[str, Any]]]:
        post_uids = [row["uid"] for row in self.posts]
        statement_uids = [row["uid"] for row in self.statements]
        return [
            (queries.UPSERT_POSTS, {"rows": self.posts}),
            (queries.UPSERT_PERSONS, {"rows": self.persons}),
            (queries.UPSERT_REPLIES, {"rows": self.replies}),
            (queries.UPSERT_PAPERS, {"rows": self.papers}),
            (queries.UPSERT_POST_MENTIONS_PAPER, {"rows": self.paper_mentions}),
            (queries.UPSERT_SOURCE_DISCUSSES_PAPER, {"rows": self.source_papers}),
            (queries.UPSERT_METHODS, {"rows": self.methods}),
            (queries.UPSERT_POST_MENTIONS_METHOD, {"rows": self.method_mentions}),
            (queries.UPSERT_PAPER_INTRODUCES_METHOD, {"rows": self.introduces}),
            (queries.DELETE_STATEMENTS_OF_POSTS, {"post_uids": post_uids, "keep_uids": statement_uids}),
            (queries.UPSERT_STATEMENTS, {"rows": self.statements}),
            (queries.DELETE_STANCES_OF_STATEMENTS, {"statement_uids": statement_uids}),
            (queries.UPSERT_CLAIMS, {"rows": self.claims}),
            (queries.UPSERT_SUPPORTS, {"rows": self.supports}),
            (queries.UPSERT_DISPUTES, {"rows": self.disputes}),
            (queries.UPSERT_CLAIM_ABOUT_PAPER, {"rows": self.about_papers}),
            (queries.UPSERT_CLAIM_ABOUT_METHOD, {"rows": self.about_methods}),
            (queries.DELETE_REPLY_AGREEMENT, {"post_uids": post_uids}),
            (queries.UPSERT_AGREES_WITH, {"rows": self.agrees}),
            (queries.UPSERT_DISAGREES_WITH, {"rows": self.disagrees}),
        ]


def extract_document(
    document: Document, ctx: PipelineContext, *, source_uid: str, post_uids: dict[str, str],
    deleted_post_uids: Sequence[str] = (),
) -> Extraction:
    """All rows for `document`; `deleted_post_uids` are posts the same write removes."""
    out = Extraction()
    inferred = document.metadata.get("nesting") == "inferred-sequential"
    depth_known = document.metadata.get("nesting") not in ("inferred-sequential", "none")
    for position, post in enumerate(document.posts):
        uid = post_uids[post.local_id]
        out.posts.append({
            "uid": uid, "text": post.text, "text_sha": _sha(normalise_text(post.text)),
            "segment_shas": " ".join(segment_shas(post.text)),
            "deleted": post.deleted, "title": post.title, "posted_at": post.posted_at, "url": post.url,
            "depth": post.depth, "depth_known": depth_known, "source_uid": source_uid,
            "local_id": post.local_id, "position": position, "speaks_for_paper": speaks_for_paper(post),
        })
        person = person_for(post, document)
        if person:
            out.persons.append(dict(person, post_uid=uid))
        if post.parent_id and post.parent_id in post_uids:
            out.replies.append({"child_uid": uid, "parent_uid": post_uids[post.parent_id], "inferred": inferred})

    _extract_papers(document, ctx, out, source_uid, post_uids)
    _extract_methods(document, ctx, out, post_uids)
    document = with_parent_quotations(document)
    candidates = extract_statements(document, ctx.nlp)
    post_claims = claim_linking.link_statements(document, candidates, ctx, out, post_uids, deleted_post_uids)
    claim_linking.link_critiques(candidates, out, post_uids)
    settled_by_quotes = claim_linking.link_quote_responses(document, candidates, ctx, out, post_uids, post_claims)
    claim_linking.link_replies(document, ctx, out, post_uids, post_claims, settled_by_quotes)
    return out


def _extract_papers(
    document: Document, ctx: PipelineContext, out: Extraction, source_uid: str, post_uids: dict[str, str]
) -> None:
    from workers.papers import extract_papers

    mentions = extract_papers(document, ctx.nlp)
    # A paper known so far only by its title is merged into one that has an id.
    title_keys = sorted({m.key for m in mentions if m.key.startswith("title:")})
    known_titles = ctx.graph.papers_by_title_key(title_keys)
    seen: dict[str, dict[str, Any]] = {}
    for mention in mentions:
        uid = known_titles.get(mention.key, mention.key)
        title_key = "title:" + normalise_text(mention.title) if mention.title else None
        row = seen.get(uid)
        if row is None:
            row = {"uid": uid, "title": mention.title, "title_key": title_key, "arxiv_id": mention.arxiv_id,
                   "doi": mention.doi, "url": mention.url}
            seen[uid] = row
            out.papers.append(row)
        else:
            for key in ("title", "arxiv_id", "doi", "url"):
                row[key] = row[key] or getattr(mention, key)
            row["title_key"] = row["title_key"] or title_key
        post_uid = post_uids.get(mention.post_local_id) if mention.post_local_id else None
        if post_uid:
            out.paper_mentions.append({"post_uid": post_uid, "paper_uid": uid, "role": mention.role,
                                       "extractor": "papers.v1"})
        if mention.role == "primary":
            out.source_papers.append({"source_uid": source_uid, "paper_uid": uid})


def _extract_methods(document: Document, ctx: PipelineContext, out: Extraction, post_uids: dict[str, str]) -> None:
    from workers.methods import (
        NAMED_EXTRACTOR, define_acronyms, expand_used_acronyms, introduced_methods, method_uid, named_methods,
    )
    from workers.terms import EXTRACTOR as TERM_EXTRACTOR, KIND as TERM_KIND, recurring_terms

    full_text = "\n".join(post.text for post in document.posts if not post.deleted)
    extra_aliases = define_acronyms(full_text)
    used_acronyms = expand_used_acronyms(full_text, extra_aliases, ctx.methods, ctx.nlp)
    out.acronyms = {**used_acronyms, **extra_aliases}
    methods: dict[str, dict[str, Any]] = {}
    primary_paper = {row["post_uid"]: row["paper_uid"] for row in out.paper_mentions if row["role"] == "primary"}
    document_paper = next(iter(row["paper_uid"] for row in out.source_papers), None)

    def add(name: str, alias: str, kind: str | None) -> str:
        uid = method_uid(name)
        row = methods.setdefault(uid, {"uid": uid, "name": name, "kind": kind, "aliases": []})
        if alias and alias != name and alias not in row["aliases"]:
            row["aliases"].append(alias)
        return uid

    live_posts = [post for post in document.posts if not post.deleted and post.text]
    for post in live_posts:
        post_uid = post_uids[post.local_id]
        seen_here: set[str] = set()
        for mention in ctx.methods.find(post.text, extra_aliases=extra_aliases):
            uid = add(mention.name, mention.alias, mention.kind)
            if uid not in seen_here:
                seen_here.add(uid)
                out.method_mentions.append({"post_uid": post_uid, "method_uid": uid, "surface": mention.alias,
                                            "extractor": "methods.v1"})
        paper_uid = primary_paper.get(post_uid) or document_paper
        for mention in introduced_methods(post, ctx.methods, used_acronyms):
            uid = add(mention.name, mention.alias, mention.kind)
            if uid not in seen_here:
                seen_here.add(uid)
                out.method_mentions.append({"post_uid": post_uid, "method_uid": uid, "surface": mention.alias,
                                            "extractor": "methods.introduced.v1"})
            if paper_uid:
                out.introduces.append({"paper_uid": paper_uid, "method_uid": uid})
    live_texts = [post.text for post in live_posts]
    for index, mention in named_methods(live_texts, ctx.methods):
        if method_uid(mention.name) in methods:
            continue  # introduced by the document under this name
        uid = add(mention.name, mention.alias, mention.kind)
        out.method_mentions.append({"post_uid": post_uids[live_posts[index].local_id], "method_uid": uid,
                                    "surface": mention.alias, "extractor": NAMED_EXTRACTOR})
    for term in recurring_terms(live_texts, ctx.nlp, ctx.encoder, ctx.methods):
        if method_uid(term.name) in methods:
            continue  # introduced by the document under this name
        uid = add(term.name, "", TERM_KIND)
        for alias in term.surfaces:
            add(term.name, alias, TERM_KIND)
        for index in term.post_indices:
            out.method_mentions.append({"post_uid": post_uids[live_posts[index].local_id], "method_uid": uid,
                                        "surface": term.name, "extractor": TERM_EXTRACTOR})
    out.methods.extend(methods.values())


def _enrich_papers(paper_uids: Sequence[str], ctx: PipelineContext) -> None:
    if not ctx.settings.arxiv_enrich or not paper_uids:
        return
    from workers.arxiv import fetch_arxiv_metadata

    missing = ctx.graph.papers_missing_metadata(paper_uids)
    if not missing:
        return
    metadata = fetch_arxiv_metadata([row["arxiv_id"] for row in missing], fetcher=ctx.fetcher, settings=ctx.settings)
    rows = []
    for row in missing:
        meta = metadata.get(row["arxiv_id"])
        if meta:
            rows.append({"uid": row["uid"], "title": meta.title, "authors": list(meta.authors),
                         "abstract": meta.abstract, "published": meta.published, "url": meta.url,
                         "enriched_at": _now()})
    ctx.graph.enrich_papers(rows)


def embed_texts(texts: Sequence[str], ctx: PipelineContext, acronyms: Mapping[str, str] | None = None) -> np.ndarray:
    """Embeddings of alias-normalised texts, so "CoT" and "chain of thought" meet; `acronyms`, a
    document's own ("SN" for the "spectral normalization (SN)" it defines), are spelled out too,
    so that its "using SN can improve ..." meets a query about spectral normalization."""
    return ctx.encoder.encode([ctx.methods.normalise_aliases(text, acronyms) for text in texts])


def statement_uid(post_uid: str, candidate: StatementCandidate) -> str:
    return "st:" + _sha(post_uid, str(candidate.start), str(candidate.end), candidate.text)[:32]


__all__ = ["PipelineContext", "SourceResult", "ingest_refs", "ingest_document", "embed_texts"]
