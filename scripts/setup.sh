#!/usr/bin/env bash
# Installs everything claimgraph needs on a fresh Debian 12 machine, idempotently:
# Debian packages (redis-server, chromium), the Python venv with the project and its
# test extras, and the Maven build of the embedded Neo4j launcher. A re-run whose
# inputs did not change only checks stamps and returns in a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. Debian packages
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
# Only to check that docker-compose.yml parses (no Docker engine runs here).
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. Python venv with the project (editable) and the test extras
stamp_input=$(cat pyproject.toml | sha256sum | cut -c1-16)
stamp=.venv/.claimgraph-installed-$stamp_input
if [ ! -f "$stamp" ]; then
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  echo "setup: installing Python packages into .venv (first run downloads PyTorch; several minutes)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test]"
  rm -f .venv/.claimgraph-installed-*
  touch "$stamp"
fi

# 3. The embedded Neo4j launcher (Maven pulls Neo4j from Maven Central)
launcher=neo4j-launcher
if [ ! -f $launcher/target/.built ] || [ $launcher/pom.xml -nt $launcher/target/.built ] \
   || [ -n "$(find $launcher/src -newer $launcher/target/.built -type f 2>/dev/null)" ]; then
  echo "setup: building the Neo4j launcher with Maven"
  (cd $launcher && mvn -q -B package -DskipTests)
  touch $launcher/target/.built
fi
echo "setup: ready"
