"""The `claimgraph` command line.

    claimgraph services start|stop|status   local Neo4j + Redis + worker + web
    claimgraph run                          start everything, ingest the demo corpus, print the URL
    claimgraph ingest PATH|URL|hn:ID ...    enqueue to the worker and wait (--sync: in-process)
    claimgraph trace "CoT adds depth"       supporting and disputing statements (--json)
    claimgraph search "query"               nearest claims
    claimgraph eval GOLD.yaml --json        score extraction + trace against a gold file
    claimgraph eval-stance                  score the stance model on public datasets
    claimgraph schema | counts | reset      migrations, node/relationship counts, wipe the graph
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any, Sequence

from workers.errors import ClaimgraphError
from workers.settings import PROJECT_ROOT, Settings

DEMO_CORPUS = PROJECT_ROOT / "demo_corpus"


def _graph(settings: Settings) -> Any:
    from graph_schema import GraphRepository, create_driver

    driver = create_driver(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password)
    return GraphRepository(driver, settings.neo4j_database)


def _trace_services(settings: Settings) -> Any:
    from workers.trace import TraceServices

    return TraceServices.create(settings, _graph(settings))


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


# --- commands -------------------------------------------------------------------------


def cmd_services(args: argparse.Namespace, settings: Settings) -> int:
    from service.local_services import LocalServices

    services = LocalServices(settings)
    if args.action == "start":
        services.start_all(web=not args.no_web)
        _graph(settings).apply_schema()
    elif args.action == "stop":
        services.stop_all()
    statuses = services.status()
    for status in statuses:
        pid = f"pid {status.pid}" if status.pid else ""
        print(f"{status.name:7} {status.state:9} {pid:10} {status.detail}")
    if args.action == "status" and any(s.state == "stopped" for s in statuses):
        return 1
    return 0


def _collect_refs(paths: Sequence[str]) -> list[str]:
    refs: list[str] = []
    for ref in paths:
        path = Path(ref)
        if path.is_dir():
            refs.extend(str(p.resolve()) for p in sorted(path.iterdir()) if p.is_file() and not p.name.startswith("."))
        elif path.exists():
            refs.append(str(path.resolve()))
        else:
            refs.append(ref)
    return refs


def ingest_via_worker(refs: Sequence[str], settings: Settings, timeout: float = 1800) -> list[dict[str, Any]]:
    import uuid

    from service.app import create_app
    from workers.jobs import JobStore
    from workers.tasks import ingest_refs_task

    create_app({"SETTINGS": settings})  # configures the default Celery app from settings
    job_uid = "job:" + uuid.uuid4().hex
    jobs = JobStore.from_url(settings.redis_url)
    jobs.update(job_uid, {"status": "queued", "refs": list(refs)})
    jobs.close()
    # The operator's own command line may name local files; the API never may.
    result = ingest_refs_task.delay(list(refs), job_uid, allow_files=True)
    return list(result.get(timeout=timeout))


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    refs = _collect_refs(args.refs)
    if args.sync:
        from workers.pipeline import PipelineContext, ingest_refs

        graph = _graph(settings)
        graph.apply_schema()
        context = PipelineContext.create(settings, graph)
        results = [r.as_dict() for r in ingest_refs(refs, context)]
        context.close()
    else:
        results = ingest_via_worker(refs, settings)
    if args.json:
        _print_json(results)
    else:
        for result in results:
            line = f"{result['status']:9} {result['ref']}"
            if result.get("title"):
                line += f"  [{result['title']}]"
            if result["status"] == "failed":
                line += f"\n          reason: {result['error']}"
            elif result["counts"]:
                line += "  " + ", ".join(f"{k}={v}" for k, v in result["counts"].items() if v)
            print(line)
    # Every source is attempted, but a batch with a failed source is not a success.
    return 1 if any(r["status"] == "failed" for r in results) else 0


def cmd_trace(args: argparse.Namespace, settings: Settings) -> int:
    from workers.trace import trace_claim

    result = trace_claim(args.query, _trace_services(settings), limit=args.limit)
    if args.json:
        _print_json(result)
        return 0
    claim = result["claim"]
    print(f"query: {result['query']}")
    print(f"claim: {claim['text'] if claim else '(no close claim)'}")
    for label in ("supports", "disputes"):
        print(f"\n{label.upper()} ({len(result[label])})")
        for item in result[label]:
            print(f"  - \"{item['text']}\"")
            print(f"    {item['author'] or 'unknown'} · {item['source_title'] or ''} · {item['post_url'] or item['source_url'] or ''}"
                  f" · confidence {item['confidence']:.2f}")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from workers.trace import search

    _print_json(search(args.query, _trace_services(settings), k=args.k))
    return 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from service.local_services import LocalServices

    services = LocalServices(settings)
    print("starting Neo4j, Redis, the worker and the web server ...", flush=True)
    services.start_all()
    _graph(settings).apply_schema()
    print(f"ingesting the demo corpus ({DEMO_CORPUS.name}/) through the worker ...", flush=True)
    started = time.monotonic()
    results = ingest_via_worker(_collect_refs([str(DEMO_CORPUS)]), settings)
    for result in results:
        print(f"  {result['status']:9} {Path(result['ref']).name}" + (f"  reason: {result['error']}" if result["error"] else ""))
    counts = _graph(settings).counts()
    print(f"done in {time.monotonic() - started:.0f}s: {counts['nodes']} nodes, {counts['relationships']} relationships")
    print(f"\nOpen {services.web_url}/?q=CoT+adds+depth")
    print(f"API:  {services.web_url}/api/v1/trace?q=CoT+adds+depth")
    print("Stop everything with: make stop")
    return 0


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    _graph(settings).apply_schema()
    print("schema applied")
    return 0


def cmd_counts(args: argparse.Namespace, settings: Settings) -> int:
    _print_json(_graph(settings).counts())
    return 0


def cmd_reset(args: argparse.Namespace, settings: Settings) -> int:
    if not args.yes:
        print("refusing to delete every node without --yes", file=sys.stderr)
        return 2
    _graph(settings).delete_everything()
    print("graph emptied")
    return 0


def _exit_on_terminate(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from workers.evaluate import run_eval

    # Terminated, the eval unwinds as on Ctrl-C, so the throwaway Neo4j it started is stopped.
    signal.signal(signal.SIGTERM, _exit_on_terminate)
    scores = run_eval(Path(args.gold), settings, use_configured_graph=args.use_configured_graph)
    if args.json:
        _print_json(scores)
    else:
        for key, value in scores.items():
            print(f"{key}: {json.dumps(value)}")
    return 0


def cmd_eval_stance(args: argparse.Namespace, settings: Settings) -> int:
    from workers.embed import create_encoder
    from workers.nlp import load_nlp
    from workers.stance import eval_stance

    datasets = Path(args.datasets)
    _print_json(eval_stance(create_encoder(settings.encoder), load_nlp(), datasets))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claimgraph", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("services", help="start, stop or report the local services")
    p.add_argument("action", choices=["start", "stop", "status"])
    p.add_argument("--no-web", action="store_true", help="start without the web server")
    p.set_defaults(func=cmd_services)

    p = sub.add_parser("run", help="start everything, ingest the demo corpus, print the URL")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("ingest", help="ingest files, folders, URLs or hn:ID")
    p.add_argument("refs", nargs="+")
    p.add_argument("--sync", action="store_true", help="run the pipeline in this process instead of the worker")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("trace", help="statements supporting or disputing a claim")
    p.add_argument("query")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_trace)

    p = sub.add_parser("search", help="claims nearest a query")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=10)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("eval", help="score against a gold file (see ../shared/eval/FORMAT.md)")
    p.add_argument("gold")
    p.add_argument("--json", action="store_true")
    p.add_argument("--use-configured-graph", action="store_true",
                   help="empty and use the configured Neo4j instead of a throwaway local one")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("eval-stance", help="score the stance model on public stance datasets")
    p.add_argument("--datasets", default=str(PROJECT_ROOT.parent / "shared" / "datasets" / "stance"))
    p.set_defaults(func=cmd_eval_stance)

    sub.add_parser("schema", help="apply schema migrations").set_defaults(func=cmd_schema)
    sub.add_parser("counts", help="node and relationship counts").set_defaults(func=cmd_counts)
    p = sub.add_parser("reset", help="delete every node of the configured graph")
    p.add_argument("--yes", action="store_true")
    p.set_defaults(func=cmd_reset)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        return int(args.func(args, settings))
    except ClaimgraphError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
