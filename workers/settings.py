"""Every setting claimgraph reads, declared once with its default and help text.

Settings come from environment variables (`CLAIMGRAPH_*`, plus the conventional
`NEO4J_*` and `REDIS_URL`). `Settings.from_env()` is called once per process and the
result is passed down; nothing below the entry points reads `os.environ` itself.
tests/unit/test_settings_documented.py fails when the README does not list a setting.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class SettingSpec:
    env: str
    default: str
    help: str


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("NEO4J_URI", "", "Bolt URI of an external Neo4j (docker-compose, a server). When empty, `claimgraph services start` runs the embedded local Neo4j and uses it."),
    SettingSpec("NEO4J_USER", "neo4j", "Neo4j user name (ignored by the local embedded Neo4j, which has auth off)."),
    SettingSpec("NEO4J_PASSWORD", "", "Neo4j password."),
    SettingSpec("NEO4J_DATABASE", "neo4j", "Neo4j database name."),
    SettingSpec("REDIS_URL", "", "Redis URL for the Celery broker and result backend. When empty, the local redis-server started by `claimgraph services start` is used."),
    SettingSpec("CLAIMGRAPH_STATE_DIR", ".state", "Folder for local service data, logs and pid files (relative to the project root)."),
    SettingSpec("CLAIMGRAPH_NEO4J_PORT", "7687", "Bolt port of the local embedded Neo4j."),
    SettingSpec("CLAIMGRAPH_REDIS_PORT", "6379", "Port of the local redis-server."),
    SettingSpec("CLAIMGRAPH_WEB_PORT", "5000", "Port of the local web server started by `make run`."),
    SettingSpec("CLAIMGRAPH_NEO4J_HEAP", "1g", "-Xmx of the local embedded Neo4j JVM."),
    SettingSpec("CLAIMGRAPH_ENCODER", "minilm", "Sentence encoder: `minilm` (all-MiniLM-L6-v2, the real model) or `hashing` (a small deterministic fake for fast unit tests only)."),
    SettingSpec("CLAIMGRAPH_HTTP_TIMEOUT", "20", "Seconds before an HTTP fetch times out."),
    SettingSpec("CLAIMGRAPH_HTTP_MAX_BYTES", "20000000", "Largest HTTP response body accepted, in bytes."),
    SettingSpec("CLAIMGRAPH_ALLOWED_HOSTS", "", "Comma-separated hosts the SSRF guard lets through even when they resolve to loopback/private addresses (tests allow their local server this way)."),
    SettingSpec("CLAIMGRAPH_HN_ALGOLIA_URL", "https://hn.algolia.com/api/v1", "Base URL of the HN Algolia API (items endpoint)."),
    SettingSpec("CLAIMGRAPH_HN_FIREBASE_URL", "https://hacker-news.firebaseio.com/v0", "Base URL of the official HN Firebase API."),
    SettingSpec("CLAIMGRAPH_ARXIV_API_URL", "https://export.arxiv.org/api/query", "arXiv API endpoint for paper enrichment."),
    SettingSpec("CLAIMGRAPH_ARXIV_ENRICH", "0", "1 to fetch title/authors/abstract of arXiv papers from the arXiv API while ingesting."),
    SettingSpec("CLAIMGRAPH_CLAIM_LINK_THRESHOLD", "0.72", "Cosine similarity at or above which a statement joins an existing Claim instead of starting a new one."),
    SettingSpec("CLAIMGRAPH_TRACE_MIN_SCORE", "0.45", "Lowest relevance (cosine similarity, plus a small bonus for using the query's words) of a statement to a trace query for the statement to be returned."),
    SettingSpec("CLAIMGRAPH_TRACE_RELEVANCE_MARGIN", "0.3", "A statement is returned only if its relevance is at most this far below the best-matching statement's (on a long thread about one paper every sentence naming it clears the minimum score)."),
    SettingSpec("CLAIMGRAPH_STANCE_DISPUTE_PRIOR", "0.15", "Expected share of disputing statements among those related to a claim. The stance model was trained on balanced debate data; its probabilities are re-weighted to this prior, so a dispute needs clearer evidence than a support. Chosen on data: 0.15 (was 0.2) gave blind dev stance macro-F1 0.718 -> 0.739 and blind final 0.638 -> 0.624, seeds unchanged."),
)


@dataclass(frozen=True)
class Settings:
    neo4j_uri: str
    neo4j_user: str
    neo4j_password: str
    neo4j_database: str
    redis_url: str
    state_dir: Path
    neo4j_port: int
    redis_port: int
    web_port: int
    neo4j_heap: str
    encoder: str
    http_timeout: float
    http_max_bytes: int
    allowed_hosts: tuple[str, ...]
    hn_algolia_url: str
    hn_firebase_url: str
    arxiv_api_url: str
    arxiv_enrich: bool
    claim_link_threshold: float
    trace_min_score: float
    trace_relevance_margin: float
    stance_dispute_prior: float
    external_neo4j: bool
    external_redis: bool

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        env = dict(os.environ if environ is None else environ)
        raw = {spec.env: env.get(spec.env, spec.default) for spec in SETTINGS}
        state_dir = Path(raw["CLAIMGRAPH_STATE_DIR"])
        if not state_dir.is_absolute():
            state_dir = PROJECT_ROOT / state_dir
        redis_port = int(raw["CLAIMGRAPH_REDIS_PORT"])
        neo4j_port = int(raw["CLAIMGRAPH_NEO4J_PORT"])
        values: dict[str, Any] = dict(
            neo4j_uri=raw["NEO4J_URI"] or f"bolt://127.0.0.1:{neo4j_port}",
            neo4j_user=raw["NEO4J_USER"],
            neo4j_password=raw["NEO4J_PASSWORD"],
            neo4j_database=raw["NEO4J_DATABASE"],
            redis_url=raw["REDIS_URL"] or f"redis://127.0.0.1:{redis_port}/0",
            state_dir=state_dir,
            neo4j_port=neo4j_port,
            redis_port=redis_port,
            web_port=int(raw["CLAIMGRAPH_WEB_PORT"]),
            neo4j_heap=raw["CLAIMGRAPH_NEO4J_HEAP"],
            encoder=raw["CLAIMGRAPH_ENCODER"],
            http_timeout=float(raw["CLAIMGRAPH_HTTP_TIMEOUT"]),
            http_max_bytes=int(raw["CLAIMGRAPH_HTTP_MAX_BYTES"]),
            allowed_hosts=tuple(h.strip().lower() for h in raw["CLAIMGRAPH_ALLOWED_HOSTS"].split(",") if h.strip()),
            hn_algolia_url=raw["CLAIMGRAPH_HN_ALGOLIA_URL"].rstrip("/"),
            hn_firebase_url=raw["CLAIMGRAPH_HN_FIREBASE_URL"].rstrip("/"),
            arxiv_api_url=raw["CLAIMGRAPH_ARXIV_API_URL"],
            arxiv_enrich=raw["CLAIMGRAPH_ARXIV_ENRICH"] == "1",
            claim_link_threshold=float(raw["CLAIMGRAPH_CLAIM_LINK_THRESHOLD"]),
            trace_min_score=float(raw["CLAIMGRAPH_TRACE_MIN_SCORE"]),
            trace_relevance_margin=float(raw["CLAIMGRAPH_TRACE_RELEVANCE_MARGIN"]),
            stance_dispute_prior=float(raw["CLAIMGRAPH_STANCE_DISPUTE_PRIOR"]),
            external_neo4j=bool(raw["NEO4J_URI"]),
            external_redis=bool(raw["REDIS_URL"]),
        )
        values.update(overrides)
        return cls(**values)

    def as_public_dict(self) -> dict[str, Any]:
        return {f.name: str(getattr(self, f.name)) for f in fields(self) if f.name != "neo4j_password"}
