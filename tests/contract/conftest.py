"""Every implementation of the store ports runs the same contract suite: add one to STORES to enrol it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agent_memory.adapters.local.sqlite_store import SqliteStore


def _sqlite(tmp_path: Path) -> SqliteStore:
    return SqliteStore(tmp_path / "contract.db")


STORES: dict[str, Callable[[Path], object]] = {"sqlite": _sqlite}


@pytest.fixture(params=sorted(STORES))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    implementation = STORES[request.param](tmp_path)
    yield implementation
    close = getattr(implementation, "close", None)
    if close is not None:
        close()
