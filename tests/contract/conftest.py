"""Every implementation of the store ports runs the same contract suite: add one to STORES to enrol it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from agent_memory.adapters.local.sqlite_store import SqliteStore
from tests.aws_support import dynamo_table


@contextmanager
def _sqlite(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "contract.db")
    yield store
    store.close()


@contextmanager
def _dynamodb(_: Path) -> Iterator[object]:
    with dynamo_table() as store:
        yield store


STORES: dict[str, Callable[[Path], AbstractContextManager[object]]] = {"sqlite": _sqlite, "dynamodb": _dynamodb}


@pytest.fixture(params=sorted(STORES))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    with STORES[request.param](tmp_path) as implementation:
        yield implementation
