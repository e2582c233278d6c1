"""Celery tasks: thin wrappers over the pipeline. Ids in, a small summary out.

Large data never crosses Redis: a task receives source references and a job id and
returns per-source summaries. The per-process clients (driver, encoder, spaCy, HTTP
client) are created on first use in the worker process and reused by every task.
"""

from __future__ import annotations

import threading
from typing import Any

from celery import shared_task

from workers.jobs import JobStore
from workers.pipeline import PipelineContext, ingest_refs
from workers.settings import Settings

_context: PipelineContext | None = None
_jobs: JobStore | None = None
_context_lock = threading.Lock()


def worker_jobs() -> JobStore:
    global _jobs
    with _context_lock:
        if _jobs is None:
            _jobs = JobStore.from_url(Settings.from_env().redis_url)
        return _jobs


def worker_context() -> PipelineContext:
    global _context
    with _context_lock:
        if _context is None:
            from graph_schema import GraphRepository, create_driver

            settings = Settings.from_env()
            driver = create_driver(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password)
            _context = PipelineContext.create(settings, GraphRepository(driver, settings.neo4j_database))
        return _context


# Ingest is idempotent (MERGE on content-derived keys), so a redelivered task is harmless.
@shared_task(name="claimgraph.ingest_refs", acks_late=True, reject_on_worker_lost=True)
def ingest_refs_task(refs: list[str], job_uid: str, allow_files: bool = False) -> list[dict[str, Any]]:
    """Ingest URLs and `hn:N` references; local paths only when the operator's CLI sends `allow_files`."""
    results = ingest_refs(refs, worker_context(), job_uid=job_uid, jobs=worker_jobs(), allow_files=allow_files)
    return [result.as_dict() for result in results]


@shared_task(name="claimgraph.ping")
def ping_task() -> str:
    return "pong"
