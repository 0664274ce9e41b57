"""One real `agent-memory serve` per test module, on a free loopback port and a temporary data folder, with an
admin key and a read-only key of its own tenant (created with `agent-memory keys create` before it starts)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from agent_memory_client import AgentMemory

from tests.serve_support import create_key, serving

TENANT = "sdk"


@dataclass(frozen=True)
class Running:
    base_url: str
    admin_key: str
    reader_key: str

    def client(self, **options) -> AgentMemory:
        return AgentMemory(self.base_url, api_key=self.admin_key, **options)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    data_dir = tmp_path_factory.mktemp("sdk") / "data"
    admin_key = create_key(data_dir, TENANT, "read,write,admin")
    reader_key = create_key(data_dir, TENANT, "read")
    with serving(data_dir) as base_url:
        yield Running(base_url, admin_key, reader_key)


@pytest.fixture
def memory(server: Running) -> Iterator[AgentMemory]:
    with server.client() as client:
        yield client
