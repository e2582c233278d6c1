"""`claimgraph eval` as a user runs it: the installed command in a subprocess, with its own Neo4j."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workers.settings import SETTINGS

pytestmark = [pytest.mark.integration]

CLAIMGRAPH = Path(sys.executable).parent / "claimgraph"


def _children(pid: int, command: str) -> list[int]:
    """Processes whose parent is `pid` and whose command name is `command`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        if name == command and int(rest[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_a_terminated_eval_stops_the_neo4j_it_started(tmp_path: Path) -> None:
    gold = tmp_path / "empty.gold.yaml"
    gold.write_text("corpus: empty\ndocuments: []\n")
    env = {name: value for name, value in os.environ.items() if name not in {spec.env for spec in SETTINGS}}
    env["CLAIMGRAPH_STATE_DIR"] = str(tmp_path / "state")
    process = subprocess.Popen([str(CLAIMGRAPH), "eval", str(gold), "--json"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    neo4j: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while not neo4j and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
            neo4j = _children(process.pid, "java")
        assert neo4j, "the eval started no Neo4j of its own"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=120) == 128 + signal.SIGTERM
        deadline = time.monotonic() + 60
        while _alive(neo4j[0]) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(neo4j[0]), "the throwaway Neo4j outlived its eval"
    finally:
        if process.poll() is None:
            process.kill()
        for pid in neo4j:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
