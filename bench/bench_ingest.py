"""Benchmark: ingest throughput and trace latency on the demo corpus, with the real models.

Runs against a throwaway embedded Neo4j (its own temp folder and port), ingests the demo
corpus in-process, then times traces. Prints one JSON object; targets are asserted by
whoever runs it, not by the test suite.

    .venv/bin/python bench/bench_ingest.py [--repeat-trace 20]
"""

from __future__ import annotations

import argparse
import json
import resource
import socket
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph_schema import GraphRepository, create_driver  # noqa: E402
from service.local_services import LocalServices  # noqa: E402
from workers.pipeline import PipelineContext, ingest_refs  # noqa: E402
from workers.settings import Settings  # noqa: E402
from workers.trace import trace_claim  # noqa: E402

QUERIES = ["CoT adds depth", "Mamba will replace transformers", "skip the math when reading papers",
           "RL without SFT teaches reasoning", "depth beats width in transformers"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat-trace", type=int, default=10)
    args = parser.parse_args()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as state:
        settings = replace(Settings.from_env({}), state_dir=Path(state), neo4j_port=port,
                           neo4j_uri=f"bolt://127.0.0.1:{port}")
        services = LocalServices(settings)
        services.start_neo4j()
        driver = create_driver(settings.neo4j_uri)
        try:
            graph = GraphRepository(driver)
            graph.apply_schema()
            context = PipelineContext.create(settings, graph)
            context.encoder.encode(["warm up"])
            refs = sorted(str(p) for p in (ROOT / "demo_corpus").glob("*.txt"))
            words = sum(len(Path(r).read_text().split()) for r in refs)
            started = time.perf_counter()
            results = ingest_refs(refs, context)
            ingest_seconds = time.perf_counter() - started
            trace_services = context.trace_services()
            latencies = []
            for _ in range(args.repeat_trace):
                for query in QUERIES:
                    t0 = time.perf_counter()
                    trace_claim(query, trace_services)
                    latencies.append(time.perf_counter() - t0)
            latencies.sort()
            print(json.dumps({
                "documents": len(refs), "words": words, "statuses": [r.status for r in results],
                "ingest_seconds": round(ingest_seconds, 2), "words_per_second": round(words / ingest_seconds, 1),
                "trace_p50_ms": round(1000 * latencies[len(latencies) // 2], 1),
                "trace_p95_ms": round(1000 * latencies[int(len(latencies) * 0.95)], 1),
                "python_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "counts": graph.counts(),
            }, indent=2))
        finally:
            driver.close()
            services.stop("neo4j")


if __name__ == "__main__":
    main()
