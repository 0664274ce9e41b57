"""`agent-memory ingest` (conversation logs) and `agent-memory invoke` (a Lambda handler with a sample event)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from agent_memory.cli.common import print_json, runtime_for
from agent_memory.contract import env_name


def cmd_ingest(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from agent_memory.domain.conversation import MemoryMode
    from agent_memory.entry.local_ingest import LocalIngest

    runtime = runtime_for(args)
    report = LocalIngest(runtime.ingestion, runtime.config.data_dir).run(
        Path(args.path), args.tenant, MemoryMode(args.mode)
    )
    print_json(asdict(report))
    return 1 if report.rejected or report.failed else 0


def cmd_invoke(args: argparse.Namespace) -> int:
    import contextlib
    import os

    from agent_memory.entry import shared
    from agent_memory.invoke import invoke, project_root, read_event

    if args.data_dir is not None:
        os.environ[env_name("data_dir")] = str(args.data_dir)
    shared.shared_runtime.cache_clear()  # handlers build their runtime from the settings as they are now
    root = Path(args.project).resolve() if args.project else project_root(Path.cwd().resolve())
    event = read_event(Path(args.event))
    # Handlers log and emit metrics on stdout (as on Lambda); here those go to stderr so stdout is the response.
    with contextlib.redirect_stdout(sys.stderr):
        response = invoke(args.function, event, root)
    print_json(response)
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Adds its commands to the `agent-memory` parser."""
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
