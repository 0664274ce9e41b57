"""The `agent-memory` command: serve the API, manage keys, and script memories without HTTP."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from agent_memory.cli import bench, data_rights, keys, mcp_command, memories, serve, tools
from agent_memory.domain.errors import AgentMemoryError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agent-memory", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="folder of the local store (default: ./.agent-memory)")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (serve, keys, memories, data_rights, bench, tools, mcp_command):
        module.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result: int = args.func(args)
    except AgentMemoryError as exc:
        print(f"error ({exc.code}): {exc.detail}", file=sys.stderr)
        return 2
    return result
