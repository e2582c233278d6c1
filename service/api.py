"""The REST API under /api/v1.

Every error has one shape, pinned by tests/unit/test_api_errors.py:

    {"error": {"status": 400, "code": "bad_request", "message": "..."}}
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from workers.errors import ClaimgraphError
from workers.fetch import hn_item_id, is_url

api = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_QUERY_CHARS = 500
MAX_REFS = 200


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_body(status: int, code: str, message: str) -> tuple[Any, int]:
    return jsonify({"error": {"status": status, "code": code, "message": message}}), status


def register_app_errors(app: Any) -> None:
    """Routing errors under /api/ (no such path, wrong method) get the API's shape too."""

    def handle(error: HTTPException) -> Any:
        if request.path.startswith("/api/"):
            return _http_error(error)
        return error

    app.register_error_handler(404, handle)
    app.register_error_handler(405, handle)


@api.errorhandler(ApiError)
def _api_error(error: ApiError) -> tuple[Any, int]:
    return error_body(error.status, error.code, error.message)


@api.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> tuple[Any, int]:
    status = error.code or 500
    return error_body(status, (error.name or "error").lower().replace(" ", "_"), error.description or "")


@api.errorhandler(ClaimgraphError)
def _claimgraph_error(error: ClaimgraphError) -> tuple[Any, int]:
    return error_body(400, error.code, str(error))


@api.errorhandler(Exception)
def _unexpected(error: Exception) -> tuple[Any, int]:
    current_app.logger.exception("unhandled error")
    from neo4j.exceptions import ServiceUnavailable

    if isinstance(error, ServiceUnavailable):
        return error_body(503, "graph_unavailable", "Neo4j is not reachable: start it with `claimgraph services start`")
    return error_body(500, "internal_error", "internal error; see the server log")


def _services() -> Any:
    return current_app.extensions["claimgraph"]


def _query_arg() -> str:
    query = (request.args.get("q") or "").strip()
    if not query:
        raise ApiError(400, "missing_query", "query parameter `q` is required")
    if len(query) > MAX_QUERY_CHARS:
        raise ApiError(400, "query_too_long", f"query longer than {MAX_QUERY_CHARS} characters")
    return query


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "bad_parameter", f"`{name}` must be an integer") from None
    if not low <= value <= high:
        raise ApiError(400, "bad_parameter", f"`{name}` must be between {low} and {high}")
    return value


@api.get("/health")
def health() -> Any:
    return jsonify({"status": "ok"})


@api.get("/status")
def status() -> Any:
    return jsonify({"status": "ok", "counts": _services().graph.counts()})


@api.get("/search")
def search() -> Any:
    from workers.trace import search as search_claims

    query, k = _query_arg(), _int_arg("k", 10, 1, 100)
    return jsonify(search_claims(query, _services().trace_services(), k=k))


@api.get("/trace")
def trace() -> Any:
    from workers.trace import trace_claim

    query, limit = _query_arg(), _int_arg("limit", 50, 1, 500)
    return jsonify(trace_claim(query, _services().trace_services(), limit=limit))


@api.get("/claims/<uid>")
def claim(uid: str) -> Any:
    found = _services().graph.claim(uid)
    if found is None:
        raise ApiError(404, "not_found", f"no claim {uid}")
    return jsonify(found)


@api.get("/papers")
def papers() -> Any:
    return jsonify({"papers": _services().graph.list_papers(_int_arg("limit", 200, 1, 5000))})


@api.get("/methods")
def methods() -> Any:
    return jsonify({"methods": _services().graph.list_methods(_int_arg("limit", 500, 1, 5000))})


@api.get("/sources")
def sources() -> Any:
    return jsonify({"sources": _services().graph.list_sources(_int_arg("limit", 100, 1, 5000))})


@api.post("/ingest")
def ingest() -> Any:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("refs"), list) or not body["refs"]:
        raise ApiError(400, "bad_request", 'body must be JSON {"refs": ["URL or hn:ID", ...]}')
    refs = [ref for ref in body["refs"] if isinstance(ref, str) and ref.strip()]
    if len(refs) != len(body["refs"]) or len(refs) > MAX_REFS:
        raise ApiError(400, "bad_request", f"`refs` must be 1..{MAX_REFS} non-empty strings")
    # The same tests load_source dispatches on: anything else would be opened as a local path.
    local = [ref for ref in refs if hn_item_id(ref) is None and not is_url(ref)]
    if local:
        raise ApiError(400, "bad_request", f"only URLs and hn:ID can be ingested over the API, not {local[0]!r}")
    from workers.tasks import ingest_refs_task

    job_uid = "job:" + uuid.uuid4().hex
    _services().jobs.update(job_uid, {"status": "queued", "refs": refs})
    ingest_refs_task.delay(refs, job_uid, allow_files=False)
    return jsonify({"job": job_uid, "status": "queued"}), 202


@api.get("/jobs/<uid>")
def job(uid: str) -> Any:
    found = _services().jobs.get(uid)
    if found is None:
        raise ApiError(404, "not_found", f"no job {uid}")
    return jsonify(found)
