"""The `agent-memory` command: serve the API, manage keys, and script memories without HTTP."""

from __future__ import annotations

import argparse
import json
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agent_memory.config import Config
from agent_memory.domain.errors import AgentMemoryError
from agent_memory.domain.models import ApiKeyRecord, MemoryFilter, NewMemory, Owner, Scope, Source
from agent_memory.runtime import Runtime, write_private_file
from agent_memory.services.keys import parse_scopes

# Commands that may start a new local store; every other command needs one that exists, so a command run from
# another folder fails clearly instead of reading (and leaving behind) an empty one.
CREATING_COMMANDS = frozenset({"serve", "create", "add", "ingest"})


class NoDataFolder(AgentMemoryError):
    status = 404
    code = "no_data_folder"
    title = "No data folder"


def _runtime(args: argparse.Namespace) -> Runtime:
    overrides: dict[str, Any] = {}
    if args.data_dir is not None:
        overrides["data_dir"] = Path(args.data_dir)
    config = Config(**overrides)
    if config.backend == "local" and not config.database_path.exists():
        command = getattr(args, "keys_command", None) or args.command
        where = config.data_dir.resolve()
        if command not in CREATING_COMMANDS:
            raise NoDataFolder(
                f"No agent-memory data in {where}. Run this from the folder where the server runs, or pass"
                " --data-dir (or set AGENT_MEMORY_DATA_DIR)."
            )
        print(f"Creating a new data folder: {where}", file=sys.stderr)
    return Runtime(config)


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, default=str, ensure_ascii=False))


def _memory_json(memory: Any) -> dict[str, Any]:
    from agent_memory.http.schemas import MemoryOut

    return MemoryOut.of(memory).model_dump(mode="json")


def _key_json(record: ApiKeyRecord) -> dict[str, Any]:
    return {
        "key_id": record.key_id,
        "tenant": record.tenant,
        "scopes": sorted(s.value for s in record.scopes),
        "name": record.name,
        "created_at": record.created_at.isoformat(),
        "revoked_at": None if record.revoked_at is None else record.revoked_at.isoformat(),
    }


def ensure_dev_key(runtime: Runtime) -> str | None:
    """On a store with no keys at all, create the `default` tenant's key and keep it in the data folder."""
    if runtime.keys.list_keys():
        return None
    plaintext, _ = runtime.keys.create("default", frozenset(Scope), name="dev")
    write_private_file(runtime.dev_key_path, plaintext + "\n")
    return plaintext


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from agent_memory.http.app import create_app

    listening = _listen(args.host, args.port)
    runtime = _runtime(args)
    created = ensure_dev_key(runtime)
    if created is not None:
        print(f"Created an API key for tenant 'default' (shown once): {created}")
        print(f"It is saved in {runtime.dev_key_path} (readable by you only).")
    resumed = runtime.worker.resume()  # jobs a previous process left queued or running continue here
    if resumed:
        print(f"Resuming {len(resumed)} unfinished job(s): {', '.join(resumed)}")
    print(f"agent-memory serving on http://{args.host}:{args.port}  (docs: /docs, data: {runtime.config.data_dir})")
    sys.stdout.flush()
    server = uvicorn.Server(uvicorn.Config(create_app(runtime), log_level=args.log_level))
    try:
        server.run(sockets=[listening])
    finally:
        listening.close()
        runtime.close()
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """Bind before announcing anything, so a busy port is a clear error rather than "serving" and an exit."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortUnavailable(
            f"Cannot listen on {host}:{port}: {exc.strerror}. Stop what uses it or pass --port."
        ) from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class PortUnavailable(AgentMemoryError):
    status = 409
    code = "port_unavailable"
    title = "Port unavailable"


def cmd_keys_create(args: argparse.Namespace) -> int:
    runtime = _runtime(args)
    scopes = parse_scopes(args.scopes.split(","))
    plaintext, record = runtime.keys.create(args.tenant, scopes, name=args.name)
    if args.json:
        _print_json({"api_key": plaintext, **_key_json(record)})
    else:
        print(plaintext)
        print(
            f"key_id={record.key_id} tenant={record.tenant} scopes={','.join(sorted(s.value for s in scopes))}"
            " (the key is shown only once)",
            file=sys.stderr,
        )
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    _print_json([_key_json(r) for r in _runtime(args).keys.list_keys(args.tenant)])
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    _runtime(args).keys.revoke(args.key_id)
    print(f"revoked {args.key_id}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    memory = _runtime(args).memories.create(
        args.tenant,
        NewMemory(
            user_id=args.user_id,
            content=args.content,
            agent_id=args.agent_id,
            source=Source(args.source),
            importance=args.importance,
            topics=tuple(args.topic or ()),
        ),
    )
    _print_json(_memory_json(memory))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    filters = MemoryFilter(
        agent_id=args.agent_id, source=None if args.source is None else Source(args.source), topic=args.topic
    )
    page = _runtime(args).memories.list_memories(
        Owner(args.tenant, args.user_id), filters, args.limit, args.cursor, args.offset
    )
    _print_json({"items": [_memory_json(m) for m in page.items], "total": page.total, "next_cursor": page.next_cursor})
    return 0


def cmd_get(args: argparse.Namespace) -> int:
    _print_json(_memory_json(_runtime(args).memories.get(Owner(args.tenant, args.user_id), args.memory_id)))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    _runtime(args).memories.delete(Owner(args.tenant, args.user_id), args.memory_id)
    print(f"deleted {args.memory_id}")
    return 0


def _ints(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated whole numbers, got {text!r}") from None
    if not values or any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError("expected positive whole numbers")
    return values


def cmd_bench_locomo(args: argparse.Namespace) -> int:
    from agent_memory.bench import locomo
    from agent_memory.services.search import SearchMode

    result = locomo.run(Path(args.data), embedder=args.embedder, ks=args.k, mode=SearchMode(args.mode))
    print(json.dumps(result) if args.json else locomo.render(result))
    return 0


def cmd_bench_latency(args: argparse.Namespace) -> int:
    from agent_memory.bench import latency

    result = latency.run(args.memories, embedder=args.embedder, queries=args.queries)
    print(json.dumps(result) if args.json else latency.render(result))
    return 0


def cmd_bench_ingest(args: argparse.Namespace) -> int:
    from agent_memory.bench import ingest

    result = ingest.run(args.embedder, users=args.users, threads=args.threads, messages=args.messages)
    print(json.dumps(result) if args.json else ingest.render(result))
    return 0


def cmd_bench_optimize(args: argparse.Namespace) -> int:
    from agent_memory.bench import optimize

    result = optimize.run(args.memories)
    print(json.dumps(result) if args.json else optimize.render(result))
    return 0


def cmd_bench_durability(args: argparse.Namespace) -> int:
    from agent_memory.bench import durability

    data_dir = None if args.data_dir is None else Path(args.data_dir)
    result = durability.run(
        clients=args.clients,
        writes=args.writes,
        crashes=args.crashes,
        race_group=args.race_group,
        retry_deadline=args.retry_deadline,
        embedder=args.embedder,
        data_dir=data_dir,
    )
    print(json.dumps(result) if args.json else durability.render(result))
    return 1 if durability.failed(result) else 0


def cmd_bench_cold_start(args: argparse.Namespace) -> int:
    from agent_memory.bench import cold_start
    from agent_memory.invoke import project_root

    root = Path(args.project).resolve() if args.project else project_root(Path.cwd().resolve())
    reference, rows = cold_start.measure(root, repeats=args.repeats, modules=args.module or None)
    print(json.dumps(cold_start.as_json(reference, rows)) if args.json else cold_start.render(reference, rows))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from agent_memory.services.search import SearchMode

    result = _runtime(args).search.search(
        Owner(args.tenant, args.user_id), args.query, mode=SearchMode(args.mode), limit=args.limit
    )
    _print_json(
        {
            "query": result.query,
            "total": result.total,
            "results": [
                {"memory": _memory_json(h.memory), "score": h.score, "highlights": h.highlights} for h in result.hits
            ],
        }
    )
    return 0


def cmd_related(args: argparse.Namespace) -> int:
    hits = _runtime(args).search.related(Owner(args.tenant, args.user_id), args.memory_id, args.limit)
    _print_json(
        {"memory_id": args.memory_id, "results": [{"memory": _memory_json(h.memory), "score": h.score} for h in hits]}
    )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    result = _runtime(args).search.stats(args.tenant, args.user_id)
    stats = result.stats
    _print_json(
        {
            "user_id": args.user_id,
            "total_memories": stats.total,
            "estimated_tokens": result.estimated_tokens,
            "average_importance": stats.average_importance,
            "average_valence": stats.average_valence,
            "importance_histogram": stats.importance_histogram,
            "by_source": stats.by_source,
            "by_agent": stats.by_agent,
            "by_topic": stats.by_topic,
        }
    )
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from agent_memory.domain.conversation import MemoryMode
    from agent_memory.local_ingest import LocalIngest

    runtime = _runtime(args)
    report = LocalIngest(runtime.ingestion, runtime.config.data_dir).run(
        Path(args.path), args.tenant, MemoryMode(args.mode)
    )
    _print_json(asdict(report))
    return 1 if report.rejected or report.failed else 0


def cmd_invoke(args: argparse.Namespace) -> int:
    import contextlib
    import os

    from agent_memory import entrypoints
    from agent_memory.invoke import invoke, project_root, read_event

    if args.data_dir is not None:
        os.environ["AGENT_MEMORY_DATA_DIR"] = str(args.data_dir)
    entrypoints.shared_runtime.cache_clear()  # handlers build their runtime from the settings as they are now
    root = Path(args.project).resolve() if args.project else project_root(Path.cwd().resolve())
    event = read_event(Path(args.event))
    # Handlers log and emit metrics on stdout (as on Lambda); here those go to stderr so stdout is the response.
    with contextlib.redirect_stdout(sys.stderr):
        response = invoke(args.function, event, root)
    _print_json(response)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agent-memory", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="folder of the local store (default: ./.agent-memory)")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", parents=[common], help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(func=cmd_serve)

    keys = sub.add_parser("keys", help="manage API keys").add_subparsers(dest="keys_command", required=True)
    create = keys.add_parser("create", parents=[common], help="create a key (printed once)")
    create.add_argument("--tenant", required=True)
    create.add_argument("--scopes", default="read,write", help="comma-separated: read, write, admin")
    create.add_argument("--name")
    create.add_argument("--json", action="store_true")
    create.set_defaults(func=cmd_keys_create)
    listing = keys.add_parser("list", parents=[common], help="list keys (never their secret)")
    listing.add_argument("--tenant")
    listing.set_defaults(func=cmd_keys_list)
    revoke = keys.add_parser("revoke", parents=[common], help="revoke a key by key_id")
    revoke.add_argument("key_id")
    revoke.set_defaults(func=cmd_keys_revoke)

    scoped = argparse.ArgumentParser(add_help=False, parents=[common])
    scoped.add_argument("--tenant", default="default")
    scoped.add_argument("--user-id", required=True)

    add = sub.add_parser("add", parents=[scoped], help="remember something")
    add.add_argument("content")
    add.add_argument("--agent-id")
    add.add_argument("--source", default="api", choices=[s.value for s in Source])
    add.add_argument("--importance", type=float, default=0.5)
    add.add_argument("--topic", action="append")
    add.set_defaults(func=cmd_add)

    lister = sub.add_parser("list", parents=[scoped], help="list memories, newest first")
    lister.add_argument("--agent-id")
    lister.add_argument("--source", choices=[s.value for s in Source])
    lister.add_argument("--topic")
    lister.add_argument("--limit", type=int, default=20)
    lister.add_argument("--offset", type=int, default=0)
    lister.add_argument("--cursor")
    lister.set_defaults(func=cmd_list)

    get = sub.add_parser("get", parents=[scoped], help="show one memory")
    get.add_argument("memory_id")
    get.set_defaults(func=cmd_get)

    search = sub.add_parser("search", parents=[scoped], help="find memories by meaning and keyword")
    search.add_argument("query")
    search.add_argument("--mode", default="hybrid", choices=["hybrid", "keyword", "semantic"])
    search.add_argument("--limit", type=int, default=10)
    search.set_defaults(func=cmd_search)

    related = sub.add_parser("related", parents=[scoped], help="memories closest in meaning to one memory")
    related.add_argument("memory_id")
    related.add_argument("--limit", type=int, default=10)
    related.set_defaults(func=cmd_related)

    stats = sub.add_parser("stats", parents=[common], help="statistics of one user's or a whole tenant's memories")
    stats.add_argument("--tenant", default="default")
    stats.add_argument("--user-id", help="leave out for the whole tenant")
    stats.set_defaults(func=cmd_stats)

    bench = sub.add_parser("bench", help="benchmarks").add_subparsers(dest="bench_command", required=True)
    locomo = bench.add_parser("locomo", help="LoCoMo retrieval recall@k")
    locomo.add_argument("--data", required=True, help="a file in LoCoMo format")
    locomo.add_argument("--embedder", default="minilm", choices=["minilm", "hashing"])
    locomo.add_argument("--k", type=_ints, default=[1, 5, 10, 25], help="comma-separated, e.g. 1,5,10,25")
    locomo.add_argument("--mode", default="hybrid", choices=["hybrid", "keyword", "semantic"])
    locomo.add_argument("--json", action="store_true")
    locomo.set_defaults(func=cmd_bench_locomo)
    latency = bench.add_parser("latency", help="write/search throughput and latency at several sizes")
    latency.add_argument("--memories", type=_ints, default=[1_000, 10_000, 100_000], help="e.g. 1000,10000")
    latency.add_argument("--embedder", default="hashing", choices=["minilm", "hashing"])
    latency.add_argument("--queries", type=int, default=100)
    latency.add_argument("--json", action="store_true")
    latency.set_defaults(func=cmd_bench_latency)
    ingest_bench = bench.add_parser("ingest", help="conversation-log ingestion throughput (messages/s)")
    ingest_bench.add_argument("--embedder", default="hashing", choices=["minilm", "hashing"])
    ingest_bench.add_argument("--users", type=int, default=10)
    ingest_bench.add_argument("--threads", type=int, default=5, help="logs per user")
    ingest_bench.add_argument("--messages", type=int, default=100, help="messages per log")
    ingest_bench.add_argument("--json", action="store_true")
    ingest_bench.set_defaults(func=cmd_bench_ingest)
    optimize_bench = bench.add_parser("optimize", help="optimize job on one user's memories: wall time, peak memory")
    optimize_bench.add_argument("--memories", type=int, default=10_000)
    optimize_bench.add_argument("--json", action="store_true")
    optimize_bench.set_defaults(func=cmd_bench_optimize)
    cold = bench.add_parser("cold-start", help="init time of every Lambda handler beside a bare Powertools resolver")
    cold.add_argument("--repeats", type=int, default=9, help="fresh processes per handler")
    cold.add_argument("--module", action="append", help="only these, e.g. functions.api.search_memories")
    cold.add_argument("--project", help="the folder that holds functions/ (default: found from here upwards)")
    cold.add_argument("--json", action="store_true")
    cold.set_defaults(func=cmd_bench_cold_start)
    durable = bench.add_parser(
        "durability", help="concurrent writers against a real server killed (SIGKILL) mid-burst; exit 1 on any loss"
    )
    durable.add_argument("--clients", type=int, default=16, help="concurrent writers, one connection each")
    durable.add_argument("--writes", type=int, default=300, help="writes per client")
    durable.add_argument("--crashes", type=int, default=3, help="SIGKILLs during the burst (one more before checking)")
    durable.add_argument("--race-group", type=int, default=4, help="clients that write each shared fact at once")
    durable.add_argument(
        "--retry-deadline",
        type=float,
        default=120.0,
        help="seconds a client keeps retrying one write (an Idempotency-Key held by a killed request lapses in 60 s)",
    )
    durable.add_argument("--embedder", default="hashing", choices=["minilm", "hashing"])
    durable.add_argument("--data-dir", help="the server's data folder (default: a temporary one, removed after)")
    durable.add_argument("--json", action="store_true")
    durable.set_defaults(func=cmd_bench_durability)

    ingest = sub.add_parser("ingest", parents=[common], help="conversation logs (a file or a folder) into memories")
    ingest.add_argument("path", help="a .jsonl/.json log, or a folder of <user_id>/<thread_id>.jsonl files")
    ingest.add_argument("--tenant", default="default")
    ingest.add_argument("--mode", default="auto", choices=["auto", "on"], help="which facts to keep (as in a turn)")
    ingest.set_defaults(func=cmd_ingest)

    invoke = sub.add_parser("invoke", parents=[common], help="run a Lambda function from functions/ with an event")
    invoke.add_argument("function", help="e.g. api/create_memory, auth/authorizer, streams/indexer")
    invoke.add_argument("event", help="a JSON event file, e.g. events/api/create_memory.json")
    invoke.add_argument("--project", help="the folder that holds functions/ (default: found from here upwards)")
    invoke.set_defaults(func=cmd_invoke)

    delete = sub.add_parser("delete", parents=[scoped], help="forget one memory")
    delete.add_argument("memory_id")
    delete.set_defaults(func=cmd_delete)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result: int = args.func(args)
    except AgentMemoryError as exc:
        print(f"error ({exc.code}): {exc.detail}", file=sys.stderr)
        return 2
    return result


if __name__ == "__main__":
    raise SystemExit(main())
