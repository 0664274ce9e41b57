"""Memories without HTTP: add, list, get, delete, search, related, stats."""

from __future__ import annotations

import argparse
from typing import Any

from agent_memory.cli.common import memory_json, print_json, runtime_for
from agent_memory.domain.models import MemoryFilter, NewMemory, Owner, Source


def cmd_add(args: argparse.Namespace) -> int:
    memory = runtime_for(args).memories.create(
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
    print_json(memory_json(memory))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    filters = MemoryFilter(
        agent_id=args.agent_id, source=None if args.source is None else Source(args.source), topic=args.topic
    )
    page = runtime_for(args).memories.list_memories(
        Owner(args.tenant, args.user_id), filters, args.limit, args.cursor, args.offset
    )
    print_json({"items": [memory_json(m) for m in page.items], "total": page.total, "next_cursor": page.next_cursor})
    return 0


def cmd_get(args: argparse.Namespace) -> int:
    print_json(memory_json(runtime_for(args).memories.get(Owner(args.tenant, args.user_id), args.memory_id)))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    runtime_for(args).memories.delete(Owner(args.tenant, args.user_id), args.memory_id)
    print(f"deleted {args.memory_id}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from agent_memory.services.search import SearchMode

    result = runtime_for(args).search.search(
        Owner(args.tenant, args.user_id), args.query, mode=SearchMode(args.mode), limit=args.limit
    )
    print_json(
        {
            "query": result.query,
            "total": result.total,
            "results": [
                {"memory": memory_json(h.memory), "score": h.score, "highlights": h.highlights, "matches": h.matches}
                for h in result.hits
            ],
        }
    )
    return 0


def cmd_related(args: argparse.Namespace) -> int:
    hits = runtime_for(args).search.related(Owner(args.tenant, args.user_id), args.memory_id, args.limit)
    print_json(
        {"memory_id": args.memory_id, "results": [{"memory": memory_json(h.memory), "score": h.score} for h in hits]}
    )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    result = runtime_for(args).search.stats(args.tenant, args.user_id)
    stats = result.stats
    print_json(
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


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Adds its commands to the `agent-memory` parser."""
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

    delete = sub.add_parser("delete", parents=[scoped], help="forget one memory")
    delete.add_argument("memory_id")
    delete.set_defaults(func=cmd_delete)
