"""One real `agent-memory serve` per test module, on a free loopback port and a temporary data folder, with an
admin key and a read-only key of its own tenant (created with `agent-memory keys create` before it starts)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from agent_memory_client import AgentMemory

from agent_memory.bench.server_process import Server, free_port

TENANT = "sdk"


@dataclass(frozen=True)
class Running:
    base_url: str
    admin_key: str
    reader_key: str

    def client(self, **options) -> AgentMemory:
        return AgentMemory(self.base_url, api_key=self.admin_key, **options)


def create_key(data_dir: Path, scopes: str) -> str:
    command = [sys.executable, "-m", "agent_memory.cli", "keys", "create", "--data-dir", str(data_dir)]
    command += ["--tenant", TENANT, "--scopes", scopes, "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    return str(json.loads(done.stdout)["api_key"])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    data_dir = tmp_path_factory.mktemp("sdk") / "data"
    admin_key = create_key(data_dir, "read,write,admin")
    reader_key = create_key(data_dir, "read")
    process = Server(data_dir, free_port(), embedder="hashing")
    process.start()
    try:
        yield Running(f"http://127.0.0.1:{process.port}", admin_key, reader_key)
    finally:
        process.stop()


@pytest.fixture
def memory(server: Running) -> Iterator[AgentMemory]:
    with server.client() as client:
        yield client
