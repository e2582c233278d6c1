"""Every Cypher query claimgraph runs, as named constants.

Values always travel as `$parameters`; labels and relationship types are fixed here,
never built from input. Writes are `UNWIND $rows` batches with `MERGE` on the
constrained `uid` keys, so running one twice changes nothing.
"""

from __future__ import annotations

NODE_LABELS = ("Source", "Post", "Person", "Paper", "Method", "Claim", "Statement")

# --- schema -----------------------------------------------------------------------

SCHEMA_STATEMENTS: tuple[str, ...] = tuple(
    f"CREATE CONSTRAINT {label.lower()}_uid IF NOT EXISTS FOR (n:{label}) REQUIRE n.uid IS UNIQUE"
    for label in NODE_LABELS
) + (
    "CREATE INDEX post_text_sha IF NOT EXISTS FOR (n:Post) ON (n.text_sha)",
    "CREATE INDEX source_content_sha IF NOT EXISTS FOR (n:Source) ON (n.content_sha256)",
    "CREATE INDEX paper_title_key IF NOT EXISTS FOR (n:Paper) ON (n.title_key)",
    "CREATE VECTOR INDEX claim_embedding IF NOT EXISTS FOR (n:Claim) ON n.embedding "
    "OPTIONS {indexConfig: {`vector.dimensions`: 384, `vector.similarity_function`: 'cosine'}}",
    "CREATE VECTOR INDEX statement_embedding IF NOT EXISTS FOR (n:Statement) ON n.embedding "
    "OPTIONS {indexConfig: {`vector.dimensions`: 384, `vector.similarity_function`: 'cosine'}}",
    # A statement read with the sentences before it ("they arise even in linear models").
    "CREATE VECTOR INDEX statement_context_embedding IF NOT EXISTS FOR (n:Statement) ON n.context_embedding "
    "OPTIONS {indexConfig: {`vector.dimensions`: 384, `vector.similarity_function`: 'cosine'}}",
    "CREATE FULLTEXT INDEX statement_text IF NOT EXISTS FOR (n:Statement) ON EACH [n.text]",
    "CREATE FULLTEXT INDEX claim_text IF NOT EXISTS FOR (n:Claim) ON EACH [n.text]",
    # Space-separated hashes of a post's sentences: finds the post a flattened line came from.
    "CREATE FULLTEXT INDEX post_segments IF NOT EXISTS FOR (n:Post) ON EACH [n.segment_shas] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
)

AWAIT_INDEXES = "CALL db.awaitIndexes($timeout_seconds)"

# --- sources and jobs ---------------------------------------------------------------

UPSERT_SOURCE = """
MERGE (s:Source {uid: $uid})
SET s += $props
"""

SOURCE_CONTENT_SHA = "MATCH (s:Source {uid: $uid}) RETURN s.content_sha256 AS content_sha256, s.extractor_version AS extractor_version"

LIST_SOURCES = """
MATCH (s:Source)
OPTIONAL MATCH (p:Post)-[:IN]->(s)
WITH s, count(p) AS n_posts
ORDER BY s.ingested_at DESC
RETURN s {.uid, .kind, .url, .title, .site, .published_at, .ingested_at, .ref} AS source, n_posts
LIMIT $limit
"""

# --- posts and people ---------------------------------------------------------------

POSTS_BY_TEXT_SHA = """
UNWIND $shas AS sha
MATCH (p:Post {text_sha: sha})-[:IN]->(s:Source)
RETURN sha, p.uid AS post_uid, s.uid AS source_uid
"""

UPSERT_POSTS = """
UNWIND $rows AS row
MERGE (p:Post {uid: row.uid})
SET p.text = row.text,
    p.text_sha = row.text_sha,
    p.segment_shas = row.segment_shas,
    p.deleted = row.deleted,
    p.title = coalesce(row.title, p.title),
    p.posted_at = coalesce(row.posted_at, p.posted_at),
    p.url = coalesce(row.url, p.url),
    p.depth = CASE WHEN row.depth_known THEN row.depth ELSE coalesce(p.depth, row.depth) END,
    p.speaks_for_paper = row.speaks_for_paper
WITH p, row
MATCH (s:Source {uid: row.source_uid})
MERGE (p)-[r:IN]->(s)
SET r.local_id = row.local_id, r.position = row.position
"""

UPSERT_PERSONS = """
UNWIND $rows AS row
MERGE (a:Person {uid: row.uid})
SET a.name = row.name, a.handle = row.handle, a.platform = row.platform, a.profile_url = row.profile_url
WITH a, row
MATCH (p:Post {uid: row.post_uid})
MERGE (a)-[:WROTE]->(p)
"""

UPSERT_REPLIES = """
UNWIND $rows AS row
MATCH (child:Post {uid: row.child_uid}), (parent:Post {uid: row.parent_uid})
WHERE row.child_uid <> row.parent_uid
  AND (NOT row.inferred OR NOT EXISTS { (child)-[:REPLIES_TO {inferred: false}]->(:Post) })
MERGE (child)-[r:REPLIES_TO]->(parent)
SET r.inferred = row.inferred
WITH child, row
// a known parent replaces any parent that was only inferred
MATCH (child)-[stale:REPLIES_TO {inferred: true}]->(other:Post)
WHERE NOT row.inferred AND other.uid <> row.parent_uid
DELETE stale
"""

DELETE_REPLY_AGREEMENT = """
UNWIND $post_uids AS uid
MATCH (p:Post {uid: uid})-[r:AGREES_WITH|DISAGREES_WITH]->()
DELETE r
"""

UPSERT_AGREES_WITH = """
UNWIND $rows AS row
MATCH (child:Post {uid: row.child_uid}), (parent:Post {uid: row.parent_uid})
MERGE (child)-[r:AGREES_WITH]->(parent)
SET r.confidence = row.confidence, r.extractor = row.extractor
"""

UPSERT_DISAGREES_WITH = """
UNWIND $rows AS row
MATCH (child:Post {uid: row.child_uid}), (parent:Post {uid: row.parent_uid})
MERGE (child)-[r:DISAGREES_WITH]->(parent)
SET r.confidence = row.confidence, r.extractor = row.extractor
"""

# Posts that share sentences with ours (by sentence hash), with their size and authorship.
POSTS_SHARING_SEGMENTS = """
UNWIND $shas AS sha
CALL db.index.fulltext.queryNodes('post_segments', sha, {limit: 10}) YIELD node
MATCH (node)-[:IN]->(s:Source)
RETURN sha, node.uid AS post_uid, s.uid AS source_uid, EXISTS { (:Person)-[:WROTE]->(node) } AS has_author,
       size(split(node.segment_shas, ' ')) AS n_segments
"""

# A line of a flattened copy that is a paragraph of a richer post: the richer post is in this source too.
LINK_POSTS_TO_SOURCE = """
UNWIND $rows AS row
MATCH (p:Post {uid: row.post_uid}), (s:Source {uid: row.source_uid})
MERGE (p)-[r:IN]->(s)
SET r.local_id = row.local_id, r.position = row.position
"""

# The richer copy absorbs the poorer one: takes its sources, and the poorer post goes.
ABSORB_POSTS = """
UNWIND $rows AS row
MATCH (old:Post {uid: row.old_uid}), (new:Post {uid: row.new_uid})
WHERE old <> new
OPTIONAL MATCH (old)-[r:IN]->(s:Source)
FOREACH (_ IN CASE WHEN s IS NULL THEN [] ELSE [1] END |
  MERGE (new)-[nr:IN]->(s) SET nr.local_id = r.local_id, nr.position = r.position)
WITH DISTINCT old
OPTIONAL MATCH (st:Statement)-[:FROM]->(old)
DETACH DELETE st, old
"""

# Posts that were in a source before a re-ingest and are not any more.
STALE_POSTS_OF_SOURCE = """
MATCH (p:Post)-[r:IN]->(s:Source {uid: $source_uid})
WHERE NOT p.uid IN $keep_uids
RETURN p.uid AS post_uid, COUNT { (p)-[:IN]->(:Source) } AS n_sources
"""

DETACH_POSTS_FROM_SOURCE = """
UNWIND $post_uids AS uid
MATCH (p:Post {uid: uid})-[r:IN]->(:Source {uid: $source_uid})
DELETE r
"""

DELETE_POSTS = """
UNWIND $post_uids AS uid
MATCH (p:Post {uid: uid})
OPTIONAL MATCH (st:Statement)-[:FROM]->(p)
DETACH DELETE st, p
"""

DELETE_ORPHAN_CLAIMS = """
MATCH (c:Claim) WHERE NOT EXISTS { (c)<-[:SUPPORTS|DISPUTES]-(:Statement) }
DETACH DELETE c
"""

DELETE_ORPHAN_PEOPLE = """
MATCH (a:Person) WHERE NOT EXISTS { (a)-[:WROTE]->(:Post) }
DETACH DELETE a
"""

# Papers and methods that only removed posts mentioned: nothing refers to them any more.
DELETE_ORPHAN_PAPERS_AND_METHODS = """
MATCH (n) WHERE (n:Paper OR n:Method) AND NOT EXISTS { (n)--() }
DELETE n
"""

# --- papers and methods -------------------------------------------------------------

UPSERT_PAPERS = """
UNWIND $rows AS row
MERGE (p:Paper {uid: row.uid})
SET p.title = coalesce(p.title, row.title),
    p.title_key = coalesce(p.title_key, row.title_key),
    p.arxiv_id = coalesce(row.arxiv_id, p.arxiv_id),
    p.doi = coalesce(row.doi, p.doi),
    p.url = coalesce(p.url, row.url)
"""

ENRICH_PAPERS = """
UNWIND $rows AS row
MATCH (p:Paper {uid: row.uid})
SET p.title = row.title, p.authors = row.authors, p.abstract = row.abstract,
    p.published = row.published, p.url = coalesce(p.url, row.url), p.enriched_at = row.enriched_at
"""

PAPERS_MISSING_METADATA = """
UNWIND $uids AS uid
MATCH (p:Paper {uid: uid}) WHERE p.arxiv_id IS NOT NULL AND p.enriched_at IS NULL
RETURN p.uid AS uid, p.arxiv_id AS arxiv_id
"""

PAPERS_BY_TITLE_KEY = """
UNWIND $title_keys AS key
MATCH (p:Paper {title_key: key})
RETURN key, p.uid AS uid
"""

UPSERT_POST_MENTIONS_PAPER = """
UNWIND $rows AS row
MATCH (post:Post {uid: row.post_uid}), (paper:Paper {uid: row.paper_uid})
MERGE (post)-[r:MENTIONS]->(paper)
SET r.role = row.role, r.extractor = row.extractor
"""

UPSERT_SOURCE_DISCUSSES_PAPER = """
UNWIND $rows AS row
MATCH (s:Source {uid: row.source_uid}), (paper:Paper {uid: row.paper_uid})
MERGE (s)-[:DISCUSSES]->(paper)
"""

UPSERT_METHODS = """
UNWIND $rows AS row
MERGE (m:Method {uid: row.uid})
SET m.name = row.name,
    m.kind = coalesce(row.kind, m.kind),
    m.aliases = reduce(acc = coalesce(m.aliases, []), a IN row.aliases |
                       CASE WHEN a IN acc THEN acc ELSE acc + a END)
"""

# The methods each form is an alias of: an acronym that an ingested document defined
# ("spectral normalization (SN)") is kept as its method's alias.
METHODS_BY_ALIAS = """
UNWIND $forms AS form
MATCH (m:Method) WHERE form IN m.aliases
RETURN form, collect(DISTINCT m.name) AS names
"""

UPSERT_POST_MENTIONS_METHOD = """
UNWIND $rows AS row
MATCH (post:Post {uid: row.post_uid}), (m:Method {uid: row.method_uid})
MERGE (post)-[r:MENTIONS]->(m)
SET r.surface = row.surface, r.extractor = row.extractor
"""

UPSERT_PAPER_INTRODUCES_METHOD = """
UNWIND $rows AS row
MATCH (paper:Paper {uid: row.paper_uid}), (m:Method {uid: row.method_uid})
MERGE (paper)-[:INTRODUCES]->(m)
"""

# --- statements and claims ----------------------------------------------------------

DELETE_STATEMENTS_OF_POSTS = """
UNWIND $post_uids AS uid
MATCH (st:Statement)-[:FROM]->(:Post {uid: uid})
WHERE NOT st.uid IN $keep_uids
DETACH DELETE st
"""

UPSERT_STATEMENTS = """
UNWIND $rows AS row
MERGE (st:Statement {uid: row.uid})
SET st.text = row.text, st.start = row.start, st.end = row.end,
    st.embedding = row.embedding, st.context = row.context, st.context_embedding = row.context_embedding,
    st.quoted = row.quoted,
    st.attributed_to = row.attributed_to, st.via_reply = row.via_reply,
    st.via_quote = coalesce(row.via_quote, false), st.quote_text = row.quote_text, st.quote_source = row.quote_source,
    st.quote_agreement = row.quote_agreement
WITH st, row
MATCH (p:Post {uid: row.post_uid})
MERGE (st)-[:FROM]->(p)
"""

DELETE_STANCES_OF_STATEMENTS = """
UNWIND $statement_uids AS uid
MATCH (:Statement {uid: uid})-[r:SUPPORTS|DISPUTES]->(:Claim)
DELETE r
"""

UPSERT_CLAIMS = """
UNWIND $rows AS row
MERGE (c:Claim {uid: row.uid})
ON CREATE SET c.text = row.text, c.embedding = row.embedding, c.created_at = row.created_at
"""

UPSERT_SUPPORTS = """
UNWIND $rows AS row
MATCH (st:Statement {uid: row.statement_uid}), (c:Claim {uid: row.claim_uid})
MERGE (st)-[r:SUPPORTS]->(c)
SET r.confidence = row.confidence, r.extractor = row.extractor, r.similarity = row.similarity
"""

UPSERT_DISPUTES = """
UNWIND $rows AS row
MATCH (st:Statement {uid: row.statement_uid}), (c:Claim {uid: row.claim_uid})
MERGE (st)-[r:DISPUTES]->(c)
SET r.confidence = row.confidence, r.extractor = row.extractor, r.similarity = row.similarity
"""

UPSERT_CLAIM_ABOUT_PAPER = """
UNWIND $rows AS row
MATCH (c:Claim {uid: row.claim_uid}), (p:Paper {uid: row.target_uid})
MERGE (c)-[:ABOUT]->(p)
"""

UPSERT_CLAIM_ABOUT_METHOD = """
UNWIND $rows AS row
MATCH (c:Claim {uid: row.claim_uid}), (m:Method {uid: row.target_uid})
MERGE (c)-[:ABOUT]->(m)
"""

RECOUNT_CLAIMS = """
MATCH (c:Claim)
SET c.n_supports = COUNT { (c)<-[:SUPPORTS]-(:Statement) },
    c.n_disputes = COUNT { (c)<-[:DISPUTES]-(:Statement) }
"""

# --- search and trace ---------------------------------------------------------------

NEAREST_CLAIMS = """
CALL db.index.vector.queryNodes('claim_embedding', $k, $vector) YIELD node, score
RETURN node.uid AS uid, node.text AS text, score,
       coalesce(node.n_supports, 0) AS n_supports, coalesce(node.n_disputes, 0) AS n_disputes
"""

NEAREST_STATEMENTS = """
CALL db.index.vector.queryNodes('statement_embedding', $k, $vector) YIELD node, score
RETURN node.uid AS uid, score
"""

# Statements whose reading in context (with the sentences before them) is near the query,
# with their own embedding so that the caller can score them by their own words too.
NEAREST_STATEMENTS_IN_CONTEXT = """
CALL db.index.vector.queryNodes('statement_context_embedding', $k, $vector) YIELD node, score
RETURN node.uid AS uid, score, node.embedding AS embedding
"""

# Statements sharing words with the query (Lucene query string built by the caller from
# plain word stems), with the embedding so that the caller can score them too.
MATCHING_STATEMENTS = """
CALL db.index.fulltext.queryNodes('statement_text', $lucene_query, {limit: $k}) YIELD node, score
RETURN node.uid AS uid, node.embedding AS embedding, node.text AS text
"""

# One row per (statement, claim) stance edge, with everything a trace shows.
STATEMENT_DETAILS = """
UNWIND $statement_uids AS suid
MATCH (st:Statement {uid: suid})-[r:SUPPORTS|DISPUTES]->(c:Claim)
MATCH (st)-[:FROM]->(p:Post)
OPTIONAL MATCH (author:Person)-[:WROTE]->(p)
OPTIONAL MATCH (p)-[:REPLIES_TO]->(parent:Post)
OPTIONAL MATCH (parent_author:Person)-[:WROTE]->(parent)
CALL (p) {
  MATCH (p)-[:IN]->(s:Source)
  RETURN s ORDER BY CASE WHEN s.kind = 'hn_thread' AND s.title IS NOT NULL THEN 0 ELSE 1 END, s.ingested_at
  LIMIT 1
}
RETURN st.uid AS statement_uid, st.text AS text, st.start AS start, st.end AS end, st.context AS context,
       st.quoted AS quoted, st.attributed_to AS attributed_to,
       st.via_reply AS via_reply, coalesce(st.via_quote, false) AS via_quote,
       type(r) AS stance, r.confidence AS confidence, r.extractor AS extractor,
       c.uid AS claim_uid, c.text AS claim_text,
       p.uid AS post_uid, p.url AS post_url, p.posted_at AS posted_at,
       author.name AS author, s.uid AS source_uid, s.title AS source_title, s.url AS source_url,
       s.kind AS source_kind,
       coalesce(p.speaks_for_paper, false) AS by_paper_authors,
       parent.uid AS parent_uid, coalesce(parent.speaks_for_paper, false) AS parent_by_paper_authors,
       // a response to a quotation answers the quoted passage, not the post replied to
       CASE WHEN st.via_quote THEN st.quote_text ELSE parent.text END AS parent_text,
       CASE WHEN st.via_quote THEN null ELSE parent.url END AS parent_url,
       CASE WHEN st.via_quote THEN st.quote_source ELSE parent_author.name END AS parent_author
"""

# For each statement, the answer to a quotation that holds it (the quoting author's words after
# a quoted passage, stored as a `via_quote` statement of the same post): what was quoted, and
# whether the answer agrees or disagrees with it.
ANSWERS_HOLDING_STATEMENTS = """
UNWIND $statement_uids AS suid
MATCH (st:Statement {uid: suid})-[:FROM]->(p:Post)<-[:FROM]-(answer:Statement {via_quote: true})
WHERE answer.quote_agreement IS NOT NULL AND NOT coalesce(st.via_quote, false) AND NOT st.via_reply
  AND answer.start <= st.start AND st.end <= answer.end
RETURN suid AS statement_uid, answer.quote_text AS quote_text, answer.quote_source AS quote_source,
       answer.quote_agreement AS agreement
ORDER BY answer.end - answer.start
"""

# What a claim's first statement follows in its post (the `chars` characters before it): the
# point a claim that opens with "However, ..." turns against. A claim whose first statement
# opens its post, or has been re-extracted away, has no row.
TEXT_BEFORE_CLAIMS = """
UNWIND $claim_uids AS claim_uid
MATCH (c:Claim {uid: claim_uid})<-[:SUPPORTS]-(st:Statement)-[:FROM]->(p:Post)
WHERE st.text = c.text AND st.start > 0
WITH c, st, p ORDER BY st.uid
WITH c, head(collect({start: st.start, post_text: p.text})) AS first
WITH c, first, CASE WHEN first.start > $chars THEN first.start - $chars ELSE 0 END AS from_char
RETURN c.uid AS uid, substring(first.post_text, from_char, first.start - from_char) AS text_before
"""

STATEMENTS_OF_CLAIMS = """
UNWIND $claim_uids AS cuid
MATCH (st:Statement)-[:SUPPORTS|DISPUTES]->(:Claim {uid: cuid})
RETURN DISTINCT st.uid AS uid, st.embedding AS embedding
"""

CLAIM_BY_UID = """
MATCH (c:Claim {uid: $uid})
OPTIONAL MATCH (c)-[:ABOUT]->(x)
RETURN c {.uid, .text, .n_supports, .n_disputes} AS claim,
       collect(DISTINCT CASE WHEN x:Paper THEN {kind: 'paper', uid: x.uid, name: x.title}
                              WHEN x:Method THEN {kind: 'method', uid: x.uid, name: x.name} END) AS about
"""

# --- counts, for idempotency checks and the status page -----------------------------

COUNT_NODES = "MATCH (n) RETURN count(n) AS n"
COUNT_RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r) AS n"
COUNT_BY_LABEL = """
UNWIND $labels AS label
CALL (label) {
  MATCH (n) WHERE label IN labels(n) RETURN count(n) AS n
}
RETURN label, n
"""

LIST_PAPERS = """
MATCH (p:Paper)
OPTIONAL MATCH (post:Post)-[:MENTIONS]->(p)
WITH p, count(DISTINCT post) AS n_posts
RETURN p {.uid, .title, .arxiv_id, .doi, .url} AS paper, n_posts
ORDER BY n_posts DESC, p.title
LIMIT $limit
"""

LIST_METHODS = """
MATCH (m:Method)
OPTIONAL MATCH (post:Post)-[:MENTIONS]->(m)
WITH m, count(DISTINCT post) AS n_posts
RETURN m {.uid, .name, .aliases, .kind} AS method, n_posts
ORDER BY n_posts DESC, m.name
LIMIT $limit
"""

DELETE_EVERYTHING = """
CALL () {
  MATCH (n) DETACH DELETE n
} IN TRANSACTIONS OF 5000 ROWS
"""

# k nearest claims for many vectors at once (claim linking during ingest).
NEAREST_CLAIMS_BATCH = """
UNWIND range(0, size($vectors) - 1) AS i
CALL db.index.vector.queryNodes('claim_embedding', $k, $vectors[i]) YIELD node, score
RETURN i, node.uid AS uid, node.text AS text, score
"""

# Of `claim_uids`, those that will still have a statement once the statements of `post_uids`
# not in `keep_uids` are deleted (the re-extraction of those posts).
CLAIMS_OUTLIVING_REWRITE = """
UNWIND $claim_uids AS cuid
MATCH (c:Claim {uid: cuid})
WHERE EXISTS {
  MATCH (c)<-[:SUPPORTS|DISPUTES]-(st:Statement)-[:FROM]->(p:Post)
  WHERE NOT p.uid IN $post_uids OR st.uid IN $keep_uids
}
RETURN c.uid AS uid
"""

# Claims that statements are already linked to (re-extraction keeps claim identity).
CLAIMS_OF_STATEMENTS = """
UNWIND $statement_uids AS suid
MATCH (:Statement {uid: suid})-[r:SUPPORTS|DISPUTES]->(c:Claim)
WHERE NOT r.extractor IN $derived_extractors
RETURN suid AS statement_uid, c.uid AS claim_uid, c.text AS claim_text, r.similarity AS similarity
"""
