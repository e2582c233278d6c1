"""Read-only views of the graph that integration tests assert on.

The service's own queries live in graph_schema/queries.py; these are the tests' questions
about what ended up in Neo4j (a thread's posts and their statements, claim counts that
disagree with the edges), run through the same repository's driver.
"""

from __future__ import annotations

from typing import Any

THREAD_POSTS = """
MATCH (p:Post)-[r:IN]->(s:Source {uid: $source_uid})
OPTIONAL MATCH (author:Person)-[:WROTE]->(p)
OPTIONAL MATCH (p)-[:REPLIES_TO]->(:Post)-[parent:IN]->(s)
RETURN r.local_id AS local_id, author.name AS author, parent.local_id AS parent_local_id,
       p.text AS text, p.deleted AS deleted
"""

STATEMENTS_BY_AUTHOR = """
MATCH (st:Statement)-[:FROM]->(p:Post)-[:IN]->(:Source {uid: $source_uid})
OPTIONAL MATCH (author:Person)-[:WROTE]->(p)
RETURN author.name AS author, st.text AS text, st.via_reply AS via_reply
"""

# Claims whose stored counts are not their SUPPORTS/DISPUTES edges, or that nothing supports or disputes.
CLAIMS_WITH_WRONG_COUNTS = """
MATCH (c:Claim)
WITH c, COUNT { (c)<-[:SUPPORTS]-(:Statement) } AS supports, COUNT { (c)<-[:DISPUTES]-(:Statement) } AS disputes
WHERE c.n_supports IS NULL OR c.n_disputes IS NULL OR c.n_supports <> supports OR c.n_disputes <> disputes
   OR supports + disputes = 0
RETURN c.text AS text, c.n_supports AS n_supports, supports, c.n_disputes AS n_disputes, disputes
"""

DANGLING_NODES = """
CALL () { MATCH (st:Statement) WHERE NOT EXISTS { (st)-[:FROM]->(:Post) } RETURN count(st) AS statements }
CALL () { MATCH (p:Post) WHERE NOT EXISTS { (p)-[:IN]->(:Source) } RETURN count(p) AS posts }
CALL () { MATCH (a:Person) WHERE NOT EXISTS { (a)-[:WROTE]->(:Post) } RETURN count(a) AS people }
RETURN statements, posts, people
"""

TEXT_ANYWHERE = """
MATCH (n) WHERE (n:Post OR n:Statement OR n:Claim) AND n.text CONTAINS $fragment
RETURN labels(n)[0] AS label, n.text AS text
"""

CLAIM_TEXTS = "MATCH (c:Claim) RETURN c.text AS text"

METHOD_MENTIONS = """
MATCH (p:Post)-[r:MENTIONS]->(m:Method)
RETURN m.name AS name, m.kind AS kind, m.aliases AS aliases, r.extractor AS extractor, p.uid AS post_uid
"""


def _rows(graph: Any, query: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = graph.driver.execute_query(query, params, database_=graph.database)
    return [record.data() for record in records]


def thread_posts(graph: Any, source_uid: str) -> dict[str, dict[str, Any]]:
    """The source's posts by local id: author, parent's local id, text, deleted."""
    return {row.pop("local_id"): row for row in _rows(graph, THREAD_POSTS, source_uid=source_uid)}


def statements_by_author(graph: Any, source_uid: str) -> dict[str | None, list[str]]:
    """The texts of the statements extracted from each author's posts in the source."""
    result: dict[str | None, list[str]] = {}
    for row in _rows(graph, STATEMENTS_BY_AUTHOR, source_uid=source_uid):
        result.setdefault(row["author"], []).append(row["text"])
    return result


def claims_with_wrong_counts(graph: Any) -> list[dict[str, Any]]:
    return _rows(graph, CLAIMS_WITH_WRONG_COUNTS)


def dangling_nodes(graph: Any) -> dict[str, int]:
    """Statements without a post, posts without a source, people who wrote nothing."""
    return _rows(graph, DANGLING_NODES)[0]


def nodes_containing(graph: Any, fragment: str) -> list[dict[str, Any]]:
    """Posts, statements and claims whose text contains `fragment`."""
    return _rows(graph, TEXT_ANYWHERE, fragment=fragment)


def claim_texts(graph: Any) -> list[str]:
    return sorted(row["text"] for row in _rows(graph, CLAIM_TEXTS))


def method_mentions(graph: Any) -> list[dict[str, Any]]:
    """Every post's mention of a method: the method's name, kind and aliases, and the extractor."""
    return _rows(graph, METHOD_MENTIONS)
