"""The embedded backend's records: one store per port, all over one SQLite file (`SqliteDatabase`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from agent_memory.adapters.local.sqlite.database import SqliteDatabase
from agent_memory.adapters.local.sqlite.graph import SqliteGraph
from agent_memory.adapters.local.sqlite.idempotency import SqliteIdempotency
from agent_memory.adapters.local.sqlite.keys import SqliteKeys
from agent_memory.adapters.local.sqlite.memories import SqliteMemories
from agent_memory.adapters.local.sqlite.operations import SqliteOperations
from agent_memory.adapters.local.sqlite.recalls import SqliteRecalls
from agent_memory.adapters.local.sqlite.settings import SqliteSettings


@dataclass(frozen=True, slots=True)
class SqliteStores:
    """MemoryStore, SettingsStore, KeyStore, IdempotencyStore, OperationStore, RecallLog and GraphStore sharing one
    database."""

    database: SqliteDatabase
    memories: SqliteMemories
    settings: SqliteSettings
    keys: SqliteKeys
    idempotency: SqliteIdempotency
    operations: SqliteOperations
    recalls: SqliteRecalls
    graph: SqliteGraph

    def close(self) -> None:
        self.database.close()


def open_stores(path: Path | str) -> SqliteStores:
    """The stores over the SQLite file at `path` (created and migrated on first use, not here)."""
    database = SqliteDatabase(path)
    memories = SqliteMemories(database)
    return SqliteStores(
        database=database,
        memories=memories,
        settings=SqliteSettings(database),
        keys=SqliteKeys(database),
        idempotency=SqliteIdempotency(database),
        operations=SqliteOperations(database, memories),
        recalls=SqliteRecalls(database),
        graph=SqliteGraph(database),
    )


__all__ = [
    "SqliteDatabase",
    "SqliteGraph",
    "SqliteIdempotency",
    "SqliteKeys",
    "SqliteMemories",
    "SqliteOperations",
    "SqliteRecalls",
    "SqliteSettings",
    "SqliteStores",
    "open_stores",
]
