"""Ingest job records: what was asked, how it went, and each failed source's reason.

Jobs are operational state, not knowledge, so they live in Redis (beside the Celery
broker) rather than in the graph: ingesting the same sources twice leaves the graph's
node and relationship counts unchanged. One JSON document per job, kept for a week.
"""

from __future__ import annotations

import json
from typing import Any

import redis

JOB_TTL_SECONDS = 7 * 24 * 3600
_KEY = "claimgraph:job:{}"


class JobStore:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    @classmethod
    def from_url(cls, url: str) -> "JobStore":
        return cls(redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5))

    def update(self, job_uid: str, fields: dict[str, Any]) -> None:
        key = _KEY.format(job_uid)
        current = self.get(job_uid) or {"uid": job_uid}
        current.update(fields)
        self.client.set(key, json.dumps(current), ex=JOB_TTL_SECONDS)

    def get(self, job_uid: str) -> dict[str, Any] | None:
        raw = self.client.get(_KEY.format(job_uid))
        return json.loads(raw) if raw else None

    def close(self) -> None:
        self.client.close()
