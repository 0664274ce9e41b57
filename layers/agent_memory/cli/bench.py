"""`agent-memory bench ...`: the benchmarks behind docs/benchmarks.md."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from agent_memory.cli.common import whole_numbers


def cmd_bench_locomo(args: argparse.Namespace) -> int:
    from agent_memory.adapters.local.blas import use_one_blas_thread
    from agent_memory.bench import locomo
    from agent_memory.services.search import SearchMode

    use_one_blas_thread()  # searches as `agent-memory serve` runs them
    graph = {"on": True, "off": False}.get(args.graph)
    conversations = args.conversations.split(",") if args.conversations else None
    result = locomo.run(
        Path(args.data),
        embedder=args.embedder,
        ks=args.k,
        mode=SearchMode(args.mode),
        conversations=conversations,
        graph=graph,
    )
    print(json.dumps(result) if args.json else locomo.render(result))
    return 0


def cmd_bench_latency(args: argparse.Namespace) -> int:
    from agent_memory.adapters.local.blas import use_one_blas_thread
    from agent_memory.bench import latency

    use_one_blas_thread()  # searches as `agent-memory serve` runs them
    result = latency.run(args.memories, embedder=args.embedder, queries=args.queries)
    print(json.dumps(result) if args.json else latency.render(result))
    return 0


def cmd_bench_ingest(args: argparse.Namespace) -> int:
    from agent_memory.bench import ingest

    result = ingest.run(args.embedder, users=args.users, threads=args.threads, messages=args.messages)
    print(json.dumps(result) if args.json else ingest.render(result))
    return 0


def cmd_bench_turns(args: argparse.Namespace) -> int:
    from agent_memory.bench import turns

    result = turns.run(args.embedder, memories=args.memories, threads=args.threads, turns=args.turns)
    print(json.dumps(result) if args.json else turns.render(result))
    return 0


def cmd_bench_optimize(args: argparse.Namespace) -> int:
    from agent_memory.bench import optimize

    result = optimize.run(args.memories)
    print(json.dumps(result) if args.json else optimize.render(result))
    return 0


def cmd_bench_data_rights(args: argparse.Namespace) -> int:
    from agent_memory.bench import data_rights

    result = data_rights.run(args.memories, embedder=args.embedder, measure_memory=not args.no_memory)
    print(json.dumps(result) if args.json else data_rights.render(result))
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


def cmd_bench_knowledge(args: argparse.Namespace) -> int:
    from agent_memory.bench import knowledge

    split = None if args.split == "all" else args.split
    result = knowledge.run(Path(args.data), split=split, embedder=args.embedder, errors=args.errors)
    print(json.dumps(result) if args.json else knowledge.render(result))
    return 0


def cmd_bench_first_answer(args: argparse.Namespace) -> int:
    from agent_memory.bench import first_answer

    result = first_answer.run(args.embedder, repeats=args.repeats)
    print(json.dumps(result) if args.json else first_answer.render(result))
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Adds its commands to the `agent-memory` parser."""
    bench = sub.add_parser("bench", help="benchmarks").add_subparsers(dest="bench_command", required=True)
    locomo = bench.add_parser("locomo", help="LoCoMo retrieval recall@k")
    locomo.add_argument("--data", required=True, help="a file in LoCoMo format")
    locomo.add_argument("--embedder", default="minilm", choices=["minilm", "hashing"])
    locomo.add_argument("--k", type=whole_numbers, default=[1, 5, 10, 25], help="comma-separated, e.g. 1,5,10,25")
    locomo.add_argument("--mode", default="hybrid", choices=["hybrid", "keyword", "semantic"])
    locomo.add_argument("--graph", default="default", choices=["default", "on", "off"], help="graph-aware recall")
    locomo.add_argument("--conversations", help="comma-separated sample ids (default: all), e.g. conv-26,conv-30")
    locomo.add_argument("--json", action="store_true")
    locomo.set_defaults(func=cmd_bench_locomo)
    latency = bench.add_parser("latency", help="write/search throughput and latency at several sizes")
    latency.add_argument("--memories", type=whole_numbers, default=[1_000, 10_000, 100_000], help="e.g. 1000,10000")
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
    turns_bench = bench.add_parser("turns", help="conversation turn latency with transcripts and previous runs")
    turns_bench.add_argument("--embedder", default="hashing", choices=["minilm", "hashing"])
    turns_bench.add_argument("--memories", type=int, default=1_000)
    turns_bench.add_argument("--threads", type=int, default=50, help="earlier threads with an assistant output")
    turns_bench.add_argument("--turns", type=int, default=100)
    turns_bench.add_argument("--json", action="store_true")
    turns_bench.set_defaults(func=cmd_bench_turns)
    optimize_bench = bench.add_parser("optimize", help="optimize job on one user's memories: wall time, peak memory")
    optimize_bench.add_argument("--memories", type=int, default=10_000)
    optimize_bench.add_argument("--json", action="store_true")
    optimize_bench.set_defaults(func=cmd_bench_optimize)
    rights = bench.add_parser("data-rights", help="export, import, clear and erase throughput for one large user")
    rights.add_argument("--memories", type=int, default=100_000)
    rights.add_argument("--embedder", default="hashing", choices=["minilm", "hashing"])
    rights.add_argument("--no-memory", action="store_true", help="skip the (slower) traced export that measures heap")
    rights.add_argument("--json", action="store_true")
    rights.set_defaults(func=cmd_bench_data_rights)
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
    knowledge = bench.add_parser(
        "knowledge", help="entity typing, relations, curator decisions and topic clusters on the hand-labelled set"
    )
    knowledge.add_argument("--data", default="benchmarks/knowledge", help="folder with memories.jsonl and pairs.jsonl")
    splits = ["dev", "fresh", "fresh2", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "all"]
    knowledge.add_argument("--split", default="dev", choices=splits)
    knowledge.add_argument("--embedder", default="hashing", choices=["minilm", "hashing"])
    knowledge.add_argument("--errors", action="store_true", help="include each wrong answer in the JSON")
    knowledge.add_argument("--json", action="store_true")
    knowledge.set_defaults(func=cmd_bench_knowledge)
    first = bench.add_parser("first-answer", help="seconds from `agent-memory serve` to its first answers")
    first.add_argument("--embedder", default="minilm", choices=["minilm", "hashing"])
    first.add_argument("--repeats", type=int, default=3, help="server starts (the median is reported)")
    first.add_argument("--json", action="store_true")
    first.set_defaults(func=cmd_bench_first_answer)
