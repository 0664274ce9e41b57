"""A real `agent-memory serve` for tests that talk to it as outside clients do: on a free loopback port and a data
folder of its own, with the hashing embedder, and keys made with `agent-memory keys create` before it starts."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from agent_memory.bench.server_process import Server, free_port


def create_key(data_dir: Path, tenant: str, scopes: str) -> str:
    command = [sys.executable, "-m", "agent_memory.cli", "keys", "create", "--data-dir", str(data_dir)]
    command += ["--tenant", tenant, "--scopes", scopes, "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    return str(json.loads(done.stdout)["api_key"])


@contextmanager
def serving(data_dir: Path) -> Iterator[str]:
    """The server's base URL while it runs; stopped on leaving, whatever happened inside."""
    process = Server(data_dir, free_port(), embedder="hashing")
    process.start()
    try:
        yield f"http://127.0.0.1:{process.port}"
    finally:
        process.stop()
