"""A small repository over the Neo4j driver: the only code that runs Cypher.

`GraphRepository(driver, database)` is created once per process (after fork) and
passed down. Write methods take plain rows (lists of dicts) and send them in
`UNWIND` batches inside managed transactions, which retry transient errors; the
queries are idempotent, so a retry is harmless. Read methods return plain dicts.
"""

from __future__ import annotations

import logging
from typing import Any, Iterable, Iterator, Sequence

from neo4j import Driver, GraphDatabase, ManagedTransaction

from graph_schema import queries

log = logging.getLogger(__name__)

WRITE_BATCH_SIZE = 2000


def create_driver(uri: str, user: str = "neo4j", password: str = "") -> Driver:
    """One driver per process; with auth off locally, any credentials are accepted."""
    auth = (user, password) if password else None
    return GraphDatabase.driver(
        uri, auth=auth, max_connection_lifetime=3600, connection_timeout=10, max_transaction_retry_time=10,
        notifications_min_severity="OFF",
    )


def _batches(rows: Sequence[dict[str, Any]], size: int = WRITE_BATCH_SIZE) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class GraphRepository:
    def __init__(self, driver: Driver, database: str = "neo4j") -> None:
        self.driver = driver
        self.database = database

    # --- plumbing -----------------------------------------------------------------

    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        records, _, _ = self.driver.execute_query(query, params, database_=self.database, routing_="r")
        return [record.data() for record in records]

    def _write(self, query: str, **params: Any) -> None:
        self.driver.execute_query(query, params, database_=self.database)

    def _write_rows(self, query: str, rows: Sequence[dict[str, Any]], **params: Any) -> None:
        if not rows:
            return
        for batch in _batches(rows):
            self._write(query, rows=list(batch), **params)

    def write_many(self, steps: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Run several parameterised writes in ONE transaction (all or nothing)."""
        steps = list(steps)

        def work(tx: ManagedTransaction) -> None:
            for query, params in steps:
                tx.run(query, params).consume()

        with self.driver.session(database=self.database) as session:
            session.execute_write(work)

    def verify(self) -> None:
        self.driver.verify_connectivity()

    # --- schema -------------------------------------------------------------------

    def apply_schema(self, timeout_seconds: int = 300) -> None:
        for statement in queries.SCHEMA_STATEMENTS:
            self._write(statement)
        self._write(queries.AWAIT_INDEXES, timeout_seconds=timeout_seconds)

    def delete_everything(self) -> None:
        with self.driver.session(database=self.database) as session:
            session.run(queries.DELETE_EVERYTHING).consume()

    # --- sources and jobs ---------------------------------------------------------

    def source_content_sha(self, source_uid: str) -> tuple[str | None, str | None]:
        rows = self._read(queries.SOURCE_CONTENT_SHA, uid=source_uid)
        if not rows:
            return None, None
        return rows[0]["content_sha256"], rows[0]["extractor_version"]

    def list_sources(self, limit: int = 100) -> list[dict[str, Any]]:
        return [dict(row["source"], n_posts=row["n_posts"]) for row in self._read(queries.LIST_SOURCES, limit=limit)]

    def posts_by_text_sha(self, shas: Sequence[str]) -> list[dict[str, Any]]:
        if not shas:
            return []
        return self._read(queries.POSTS_BY_TEXT_SHA, shas=list(shas))

    def posts_sharing_segments(self, shas: Sequence[str]) -> list[dict[str, Any]]:
        if not shas:
            return []
        return self._read(queries.POSTS_SHARING_SEGMENTS, shas=list(shas))

    def stale_posts_of_source(self, source_uid: str, keep_uids: Sequence[str]) -> list[dict[str, Any]]:
        return self._read(queries.STALE_POSTS_OF_SOURCE, source_uid=source_uid, keep_uids=list(keep_uids))

    def papers_by_title_key(self, title_keys: Sequence[str]) -> dict[str, str]:
        if not title_keys:
            return {}
        rows = self._read(queries.PAPERS_BY_TITLE_KEY, title_keys=list(title_keys))
        return {row["key"]: row["uid"] for row in rows}

    def papers_missing_metadata(self, paper_uids: Sequence[str]) -> list[dict[str, Any]]:
        if not paper_uids:
            return []
        return self._read(queries.PAPERS_MISSING_METADATA, uids=list(paper_uids))

    def enrich_papers(self, rows: Sequence[dict[str, Any]]) -> None:
        self._write_rows(queries.ENRICH_PAPERS, rows)

    # --- search and trace ---------------------------------------------------------

    def _nearest(self, query: str, vector: Sequence[float], k: int) -> list[dict[str, Any]]:
        """Rows of a vector-index query, its `score` turned into cosine `similarity`."""
        rows = self._read(query, vector=list(vector), k=k)
        for row in rows:
            row["similarity"] = _cosine(row.pop("score"))
        return rows

    def nearest_claims(self, vector: Sequence[float], k: int) -> list[dict[str, Any]]:
        return self._nearest(queries.NEAREST_CLAIMS, vector, k)

    def nearest_statements(self, vector: Sequence[float], k: int) -> list[dict[str, Any]]:
        return self._nearest(queries.NEAREST_STATEMENTS, vector, k)

    def nearest_statements_in_context(self, vector: Sequence[float], k: int) -> list[dict[str, Any]]:
        """Statements whose context embedding is nearest the vector, with that cosine as
        `similarity` and their own `embedding`."""
        return self._nearest(queries.NEAREST_STATEMENTS_IN_CONTEXT, vector, k)

    def statements_matching_words(self, lucene_query: str, k: int) -> list[dict[str, Any]]:
        """Statements the full-text index finds for a Lucene query (text and embedding included)."""
        if not lucene_query:
            return []
        return self._read(queries.MATCHING_STATEMENTS, lucene_query=lucene_query, k=k)

    def nearest_claims_batch(self, vectors: Sequence[Sequence[float]], k: int) -> list[list[dict[str, Any]]]:
        """For each vector, its k nearest claims (best first) with cosine `similarity`."""
        result: list[list[dict[str, Any]]] = [[] for _ in vectors]
        if not vectors:
            return result
        rows = self._read(queries.NEAREST_CLAIMS_BATCH, vectors=[list(v) for v in vectors], k=k)
        for row in rows:
            result[row["i"]].append({"uid": row["uid"], "text": row["text"], "similarity": _cosine(row["score"])})
        for hits in result:
            hits.sort(key=lambda hit: -hit["similarity"])
        return result

    def claims_outliving_rewrite(
        self, claim_uids: Sequence[str], post_uids: Sequence[str], keep_uids: Sequence[str]
    ) -> set[str]:
        """Of `claim_uids`, those still stated once `post_uids` are re-extracted keeping `keep_uids`."""
        if not claim_uids:
            return set()
        rows = self._read(queries.CLAIMS_OUTLIVING_REWRITE, claim_uids=sorted(set(claim_uids)),
                          post_uids=list(post_uids), keep_uids=list(keep_uids))
        return {row["uid"] for row in rows}

    def claims_of_statements(
        self, statement_uids: Sequence[str], derived_extractors: Sequence[str]
    ) -> dict[str, dict[str, Any]]:
        """The claim each statement's own words were linked to; edges `derived_extractors` wrote
        (stances taken through a reply, a quotation or a critique) are not that link."""
        if not statement_uids:
            return {}
        rows = self._read(queries.CLAIMS_OF_STATEMENTS, statement_uids=list(statement_uids),
                          derived_extractors=list(derived_extractors))
        return {row["statement_uid"]: row for row in rows}

    def text_before_claims(self, claim_uids: Sequence[str], chars: int) -> dict[str, str]:
        """For each claim, up to `chars` characters of its post just before its first statement
        (the statement whose words the claim took); a claim that opens its post has none."""
        if not claim_uids:
            return {}
        rows = self._read(queries.TEXT_BEFORE_CLAIMS, claim_uids=list(claim_uids), chars=chars)
        return {row["uid"]: row["text_before"] for row in rows}

    def statements_of_claims(self, claim_uids: Sequence[str]) -> list[dict[str, Any]]:
        if not claim_uids:
            return []
        return self._read(queries.STATEMENTS_OF_CLAIMS, claim_uids=list(claim_uids))

    def statement_details(self, statement_uids: Sequence[str]) -> list[dict[str, Any]]:
        if not statement_uids:
            return []
        return self._read(queries.STATEMENT_DETAILS, statement_uids=list(statement_uids))

    def answers_holding(self, statement_uids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """For each statement inside an answer to a quotation: the quoted text, who it is from and
        the answer's agreement with it (the shortest such answer when several hold it)."""
        if not statement_uids:
            return {}
        answers: dict[str, dict[str, Any]] = {}
        for row in self._read(queries.ANSWERS_HOLDING_STATEMENTS, statement_uids=list(statement_uids)):
            answers.setdefault(row["statement_uid"], row)
        return answers

    def claim(self, claim_uid: str) -> dict[str, Any] | None:
        rows = self._read(queries.CLAIM_BY_UID, uid=claim_uid)
        if not rows:
            return None
        return dict(rows[0]["claim"], about=[x for x in rows[0]["about"] if x])

    def list_papers(self, limit: int = 200) -> list[dict[str, Any]]:
        return [dict(row["paper"], n_posts=row["n_posts"]) for row in self._read(queries.LIST_PAPERS, limit=limit)]

    def methods_by_alias(self, forms: Sequence[str]) -> dict[str, list[str]]:
        """For each form that is a method's alias in the graph, the names of the methods it is an alias of."""
        if not forms:
            return {}
        return {row["form"]: row["names"] for row in self._read(queries.METHODS_BY_ALIAS, forms=list(forms))}

    def list_methods(self, limit: int = 500) -> list[dict[str, Any]]:
        return [dict(row["method"], n_posts=row["n_posts"]) for row in self._read(queries.LIST_METHODS, limit=limit)]

    # --- counts -------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        result = {
            row["label"]: row["n"] for row in self._read(queries.COUNT_BY_LABEL, labels=list(queries.NODE_LABELS))
        }
        result["nodes"] = self._read(queries.COUNT_NODES)[0]["n"]
        result["relationships"] = self._read(queries.COUNT_RELATIONSHIPS)[0]["n"]
        return result


def _cosine(score: float) -> float:
    """A vector index reports (1 + cos) / 2 for cosine similarity."""
    return 2.0 * score - 1.0
