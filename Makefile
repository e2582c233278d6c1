# The README's two commands are `make run` and `make test`.
.PHONY: setup run test stop status lint bench

setup:
	@bash scripts/setup.sh

## Set everything up, start local Neo4j + Redis + worker + web, ingest the demo corpus.
run: setup
	@.venv/bin/claimgraph run

## Set everything up and run the whole test suite (unit + integration + browser).
test: setup
	@.venv/bin/python -m pytest -p no:cacheprovider

stop:
	@.venv/bin/claimgraph services stop

status:
	@.venv/bin/claimgraph services status

bench: setup
	@.venv/bin/python bench/bench_ingest.py
