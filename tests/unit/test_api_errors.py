"""The API's one error shape, pinned. These requests never reach the graph."""

import pytest

from service.app import create_app
from workers.settings import Settings


@pytest.fixture()
def client():  # type: ignore[no-untyped-def]
    app = create_app({"TESTING": True, "SETTINGS": Settings.from_env({"CLAIMGRAPH_NEO4J_PORT": "1"})})
    return app.test_client()


def _assert_error(response, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def test_health_needs_no_graph(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/health").get_json() == {"status": "ok"}


def test_missing_query(client) -> None:  # type: ignore[no-untyped-def]
    _assert_error(client.get("/api/v1/trace"), 400, "missing_query")
    _assert_error(client.get("/api/v1/search?q=%20"), 400, "missing_query")


def test_query_too_long(client) -> None:  # type: ignore[no-untyped-def]
    _assert_error(client.get("/api/v1/trace?q=" + "x" * 501), 400, "query_too_long")


def test_bad_integer_parameter(client) -> None:  # type: ignore[no-untyped-def]
    _assert_error(client.get("/api/v1/trace?q=cot&limit=lots"), 400, "bad_parameter")


def test_unknown_route(client) -> None:  # type: ignore[no-untyped-def]
    _assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")


def test_ingest_body_is_validated(client) -> None:  # type: ignore[no-untyped-def]
    _assert_error(client.post("/api/v1/ingest", json={"refs": []}), 400, "bad_request")
    _assert_error(client.post("/api/v1/ingest", data="nope"), 400, "bad_request")
    _assert_error(client.post("/api/v1/ingest", json={"refs": ["/etc/passwd"]}), 400, "bad_request")


def test_graph_down_is_a_503(client) -> None:  # type: ignore[no-untyped-def]
    _assert_error(client.get("/api/v1/status"), 503, "graph_unavailable")


@pytest.mark.parametrize("ref", [
    "/etc/passwd",
    "file:///etc/passwd",
    "hn:/etc/passwd",
    "hn:../notes.md",
    "http://",
    "https:///etc/passwd",
])
def test_ingest_takes_only_urls_and_hn_ids(client, ref: str) -> None:  # type: ignore[no-untyped-def]
    """Refused before anything is queued: the worker would otherwise be asked to open a path."""
    response = client.post("/api/v1/ingest", json={"refs": ["hn:123", ref]})
    _assert_error(response, 400, "bad_request")
    assert repr(ref) in response.get_json()["error"]["message"]
