"""One Neo4j 5.26 patch everywhere: the Maven launcher and the compose image agree."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _pom_version() -> str:
    match = re.search(r"<neo4j.version>([^<]+)</neo4j.version>", (ROOT / "neo4j-launcher" / "pom.xml").read_text())
    assert match
    return match.group(1)


def test_launcher_pins_a_5_26_patch() -> None:
    assert re.fullmatch(r"5\.26\.\d+", _pom_version())


def test_compose_image_matches_the_launcher() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["neo4j"]["image"] == f"neo4j:{_pom_version()}-community"


def test_compose_services_wait_for_healthy_dependencies() -> None:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for name in ("web", "worker"):
        for dependency in ("neo4j", "redis"):
            assert services[name]["depends_on"][dependency]["condition"] == "service_healthy"
    assert "healthcheck" in services["neo4j"] and "healthcheck" in services["redis"]


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is not installed")
def test_compose_file_parses() -> None:
    result = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
        capture_output=True, text=True, env={"NEO4J_PASSWORD": "example", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
