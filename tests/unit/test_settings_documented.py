"""Every setting is documented in the README, and parsing honours overrides."""

from pathlib import Path

from workers.settings import SETTINGS, Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_in_the_readme() -> None:
    text = README.read_text()
    missing = [spec.env for spec in SETTINGS if f"`{spec.env}`" not in text]
    assert missing == []


def test_local_defaults_point_at_local_ports() -> None:
    settings = Settings.from_env({"CLAIMGRAPH_NEO4J_PORT": "17001", "CLAIMGRAPH_REDIS_PORT": "17002"})
    assert settings.neo4j_uri == "bolt://127.0.0.1:17001"
    assert settings.redis_url == "redis://127.0.0.1:17002/0"
    assert not settings.external_neo4j and not settings.external_redis


def test_external_services_are_used_as_given() -> None:
    settings = Settings.from_env({"NEO4J_URI": "bolt://neo4j:7687", "REDIS_URL": "redis://redis:6379/0"})
    assert settings.neo4j_uri == "bolt://neo4j:7687"
    assert settings.external_neo4j and settings.external_redis


def test_allowed_hosts_are_split_and_lowered() -> None:
    settings = Settings.from_env({"CLAIMGRAPH_ALLOWED_HOSTS": " 127.0.0.1, Example.org "})
    assert settings.allowed_hosts == ("127.0.0.1", "example.org")
