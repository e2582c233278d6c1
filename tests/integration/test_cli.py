"""`claimgraph ingest --sync` as a user runs it: the installed command in a subprocess.

Its settings come from the environment, as in production: NEO4J_URI is the session's Neo4j,
the HN API base URLs point at the loopback server standing in for Algolia and Firebase, and
CLAIMGRAPH_ALLOWED_HOSTS decides whether the SSRF guard lets that server through.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import HN_THREAD_ID, HN_THREAD_POSTS, HN_THREAD_TITLE
from tests.support.graph_checks import thread_posts
from tests.support.http_server import LoopbackHTTPServer, Reply
from workers.settings import SETTINGS, Settings

pytestmark = [pytest.mark.integration, pytest.mark.models]

CLAIMGRAPH = Path(sys.executable).parent / "claimgraph"
HN_URL = f"https://news.ycombinator.com/item?id={HN_THREAD_ID}"
ARTICLE = b"<html><head><title>Depth</title></head><body><p>Chain of thought adds depth to transformers.</p></body></html>"


@pytest.fixture
def web_and_hn_server(hn_server: LoopbackHTTPServer) -> LoopbackHTTPServer:
    """The HN APIs plus an article that only the SSRF guard keeps the command from fetching."""
    hn_server.route("/some.html", Reply(200, ARTICLE, content_type="text/html; charset=utf-8"))
    return hn_server


def claimgraph(
    *args: str, settings: Settings, server: LoopbackHTTPServer, allowed_hosts: str, cwd: Path
) -> subprocess.CompletedProcess[str]:
    """Run the installed `claimgraph` with only the settings this test chooses."""
    env = {name: value for name, value in os.environ.items() if name not in {spec.env for spec in SETTINGS}}
    env.update({
        "NEO4J_URI": settings.neo4j_uri,
        "REDIS_URL": settings.redis_url,
        "CLAIMGRAPH_STATE_DIR": str(cwd / "state"),
        "CLAIMGRAPH_ENCODER": settings.encoder,
        "CLAIMGRAPH_HTTP_TIMEOUT": "5",
        "CLAIMGRAPH_HN_ALGOLIA_URL": server.url("/algolia"),
        "CLAIMGRAPH_HN_FIREBASE_URL": server.url("/firebase"),
        "CLAIMGRAPH_ALLOWED_HOSTS": allowed_hosts,
    })
    return subprocess.run([str(CLAIMGRAPH), *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=600, check=False)


def test_ingest_an_hn_url_through_the_algolia_api(  # type: ignore[no-untyped-def]
    local_stack, empty_graph, hn_server: LoopbackHTTPServer, tmp_path: Path
) -> None:
    run = claimgraph("ingest", "--sync", HN_URL, settings=local_stack, server=hn_server,
                     allowed_hosts="127.0.0.1", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    [line] = run.stdout.splitlines()
    assert line.startswith(f"ingested  {HN_URL}  [{HN_THREAD_TITLE}]"), run.stdout
    assert "posts=5" in line and "persons=4" in line
    assert hn_server.paths() == [f"/algolia/items/{HN_THREAD_ID}"]

    [source] = empty_graph.list_sources()
    assert (source["url"], source["title"], source["kind"]) == (HN_URL, HN_THREAD_TITLE, "hn_thread")
    posts = thread_posts(empty_graph, source["uid"])
    assert {local_id: (p["author"], p["parent_local_id"]) for local_id, p in posts.items()} == HN_THREAD_POSTS


def test_a_refused_url_fails_the_command_and_writes_nothing(  # type: ignore[no-untyped-def]
    local_stack, graph, web_and_hn_server: LoopbackHTTPServer, tmp_path: Path
) -> None:
    url = web_and_hn_server.url("/some.html")
    before = graph.counts()
    run = claimgraph("ingest", "--sync", url, settings=local_stack, server=web_and_hn_server, allowed_hosts="",
                     cwd=tmp_path)
    assert run.returncode == 1, (run.stdout, run.stderr)
    assert run.stdout.splitlines() == [
        f"failed    {url}",
        f"          reason: GET {url}: host '127.0.0.1' resolves to 127.0.0.1, a loopback address",
    ]
    assert web_and_hn_server.requests == []
    assert graph.counts() == before


def test_one_failed_source_fails_the_command_after_the_rest_is_ingested(  # type: ignore[no-untyped-def]
    local_stack, empty_graph, web_and_hn_server: LoopbackHTTPServer, tmp_path: Path
) -> None:
    """`localhost` is not the allowed `127.0.0.1`: refused, while the HN thread goes through."""
    refused_url = f"http://localhost:{web_and_hn_server.port}/some.html"
    run = claimgraph("ingest", "--sync", "--json", f"hn:{HN_THREAD_ID}", refused_url, settings=local_stack,
                     server=web_and_hn_server, allowed_hosts="127.0.0.1", cwd=tmp_path)
    assert run.returncode == 1, (run.stdout, run.stderr)
    [thread, refused] = json.loads(run.stdout)
    assert (thread["ref"], thread["status"], thread["title"]) == (f"hn:{HN_THREAD_ID}", "ingested", HN_THREAD_TITLE)
    assert (refused["ref"], refused["status"], refused["error_type"]) == (refused_url, "failed", "BlockedURLError")
    assert "host 'localhost' resolves to" in refused["error"] and "a loopback address" in refused["error"]
    assert web_and_hn_server.paths() == [f"/algolia/items/{HN_THREAD_ID}"]
    assert [source["url"] for source in empty_graph.list_sources()] == [HN_URL]
