"""What every command shares: the runtime on the chosen data folder, JSON output, argument types."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from agent_memory.config import Config
from agent_memory.domain.errors import AgentMemoryError
from agent_memory.runtime import Runtime

# Commands that may start a new local store; every other command needs one that exists, so a command run from
# another folder fails clearly instead of reading (and leaving behind) an empty one.
CREATING_COMMANDS = frozenset({"serve", "create", "add", "ingest", "import"})


class NoDataFolder(AgentMemoryError):
    status = 404
    code = "no_data_folder"
    title = "No data folder"


def runtime_for(args: argparse.Namespace) -> Runtime:
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


def print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, default=str, ensure_ascii=False))


def memory_json(memory: Any) -> dict[str, Any]:
    from agent_memory.http.schemas import MemoryOut

    return MemoryOut.of(memory).model_dump(mode="json")


def whole_numbers(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated whole numbers, got {text!r}") from None
    if not values or any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError("expected positive whole numbers")
    return values
