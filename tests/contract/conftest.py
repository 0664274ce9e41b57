"""Every implementation of the store ports runs the same contract suite: add one to STORES to enrol it.

An implementation gives one object per port; each port's tests take that port's fixture (`store` is the MemoryStore).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from agent_memory.adapters.aws.dynamo.graph import GraphProjector
from agent_memory.adapters.local.sqlite import open_stores
from agent_memory.ports import GraphStore, IdempotencyStore, KeyStore, MemoryStore, OperationStore, SettingsStore
from tests.aws_support import TABLE, StreamFed, StreamPump, dynamo_table


@dataclass(frozen=True)
class PortStores:
    memories: MemoryStore
    settings: SettingsStore
    keys: KeyStore
    idempotency: IdempotencyStore
    operations: OperationStore
    graph: GraphStore


@contextmanager
def _sqlite(tmp_path: Path) -> Iterator[PortStores]:
    stores = open_stores(tmp_path / "contract.db")
    yield PortStores(stores.memories, stores.settings, stores.keys, stores.idempotency, stores.operations, stores.graph)
    stores.close()


@contextmanager
def _dynamodb(_: Path) -> Iterator[PortStores]:
    with dynamo_table() as stores:
        # The graph as production keeps it: every read first applies the table's stream through the projector.
        graph = StreamFed(stores.graph, StreamPump(TABLE, GraphProjector(stores.table).apply))
        yield PortStores(stores.memories, stores.settings, stores.keys, stores.idempotency, stores.operations, graph)


STORES: dict[str, Callable[[Path], AbstractContextManager[PortStores]]] = {"sqlite": _sqlite, "dynamodb": _dynamodb}


@pytest.fixture(params=sorted(STORES))
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PortStores]:
    with STORES[request.param](tmp_path) as implementation:
        yield implementation


@pytest.fixture
def store(stores: PortStores) -> MemoryStore:
    return stores.memories


@pytest.fixture
def settings_store(stores: PortStores) -> SettingsStore:
    return stores.settings


@pytest.fixture
def key_store(stores: PortStores) -> KeyStore:
    return stores.keys


@pytest.fixture
def idempotency_store(stores: PortStores) -> IdempotencyStore:
    return stores.idempotency


@pytest.fixture
def operations(stores: PortStores) -> OperationStore:
    return stores.operations


@pytest.fixture
def graph_store(stores: PortStores) -> GraphStore:
    return stores.graph
