"""Fixtures shared by the whole suite.

Integration tests get a real stack started once per session by the project's own
tooling (`LocalServices`): embedded Neo4j 5.26 over Bolt, Debian's redis-server and a
Celery worker, each on a free loopback port with its state in a temporary folder, and
all stopped afterwards. Nothing here is mocked.
"""

from __future__ import annotations

import os
import socket
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import pytest

from tests.support.http_server import LoopbackHTTPServer
from workers.settings import Settings

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEMO_CORPUS = Path(__file__).resolve().parents[1] / "demo_corpus"
HTTP_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "http"

# The HN thread the loopback server serves from HTTP_FIXTURES (Algolia and Firebase):
# each comment's id -> (author, id of the comment it answers); 41000005 is deleted.
HN_THREAD_ID = 41000001
HN_THREAD_TITLE = "The Expressive Power of Transformers with Chain of Thought"
HN_THREAD_POSTS = {
    "41000002": ("alice", None),
    "41000003": ("carol", None),
    "41000004": ("bob", "41000002"),
    "41000005": (None, "41000002"),
    "41000007": ("dave", "41000005"),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def stack_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    neo4j_port, redis_port = free_port(), free_port()
    env = {
        "CLAIMGRAPH_STATE_DIR": str(tmp_path_factory.mktemp("state")),
        "CLAIMGRAPH_NEO4J_PORT": str(neo4j_port),
        "CLAIMGRAPH_REDIS_PORT": str(redis_port),
        "CLAIMGRAPH_WEB_PORT": str(free_port()),
        "CLAIMGRAPH_ENCODER": "minilm",
        "CLAIMGRAPH_NEO4J_HEAP": "768m",
    }
    return Settings.from_env(env)


@pytest.fixture(scope="session")
def local_stack(stack_settings: Settings) -> Iterator[Settings]:
    """Real Neo4j + Redis + Celery worker for the session."""
    from service.local_services import LocalServices

    services = LocalServices(stack_settings)
    try:
        services.start_neo4j()
        services.start_redis()
        services.start_worker()
        yield stack_settings
    finally:
        services.stop_all()


@pytest.fixture(scope="session")
def graph(local_stack: Settings):  # type: ignore[no-untyped-def]
    from graph_schema import GraphRepository, create_driver

    driver = create_driver(local_stack.neo4j_uri)
    repository = GraphRepository(driver, local_stack.neo4j_database)
    repository.apply_schema()
    yield repository
    driver.close()


@pytest.fixture(scope="session")
def pipeline_context(local_stack: Settings, graph):  # type: ignore[no-untyped-def]
    """The real per-process clients: MiniLM, spaCy, the stance model, the HTTP fetcher."""
    from workers.pipeline import PipelineContext

    context = PipelineContext.create(local_stack, graph)
    yield context
    context.close()


@pytest.fixture()
def empty_graph(graph):  # type: ignore[no-untyped-def]
    graph.delete_everything()
    return graph


@pytest.fixture()
def hn_server() -> Iterator[LoopbackHTTPServer]:
    """A loopback HTTP server standing in for the HN Algolia and Firebase APIs (HTTP_FIXTURES)."""
    with LoopbackHTTPServer() as server:
        server.mount("/algolia", HTTP_FIXTURES / "algolia", content_type="application/json; charset=utf-8")
        server.mount("/firebase", HTTP_FIXTURES / "firebase")
        yield server
