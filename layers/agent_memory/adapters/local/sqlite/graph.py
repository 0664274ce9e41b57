"""The knowledge graph in the SQLite file (implements GraphStore): rows the `graph_schema` triggers keep in step."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from agent_memory.adapters.local.sqlite.database import SqliteDatabase
from agent_memory.domain.clock import from_micros, to_micros
from agent_memory.domain.graph import Mention, Statement
from agent_memory.domain.models import Entity, Owner

_LIVE = "tenant = ? AND user_id = ? AND (expires_at IS NULL OR expires_at > ?)"
_ID_BATCH = 400  # below SQLite's bound-parameter limit


class SqliteGraph:
    def __init__(self, database: SqliteDatabase) -> None:
        self._database = database

    def _select(self, sql: str, owner: Owner, now: datetime, extra: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._database.read() as conn:
            return list(conn.execute(sql, (owner.tenant, owner.user_id, to_micros(now), *extra)))

    def _batches(self, entity_ids: Sequence[str] | None) -> list[list[str] | None]:
        if entity_ids is None:
            return [None]
        unique = sorted(set(entity_ids))
        return [unique[i : i + _ID_BATCH] for i in range(0, len(unique), _ID_BATCH)]

    def mentions(self, owner: Owner, now: datetime, entity_ids: Sequence[str] | None = None) -> list[Mention]:
        rows: list[sqlite3.Row] = []
        for batch in self._batches(entity_ids):
            where = "" if batch is None else f" AND entity_id IN ({', '.join('?' * len(batch))})"
            sql = f"SELECT entity_id, name, type, memory_id, agent_id FROM graph_mentions WHERE {_LIVE}{where}"
            rows.extend(self._select(sql, owner, now, batch or ()))
        return [
            Mention(Entity(row["entity_id"], row["name"], row["type"]), row["memory_id"], row["agent_id"])
            for row in rows
        ]

    def statements(self, owner: Owner, now: datetime, entity_ids: Sequence[str] | None = None) -> list[Statement]:
        rows: dict[tuple[str, str, str, str], sqlite3.Row] = {}
        columns = "subject_id, predicate, object_id, memory_id, agent_id, valid_from, valid_to"
        for batch in self._batches(entity_ids):
            ends = ("subject_id", "object_id") if batch is not None else ("",)
            for end in ends:
                where = "" if batch is None else f" AND {end} IN ({', '.join('?' * len(batch))})"
                sql = f"SELECT {columns} FROM graph_statements WHERE {_LIVE}{where}"
                for row in self._select(sql, owner, now, batch or ()):
                    rows[(row["subject_id"], row["predicate"], row["object_id"], row["memory_id"])] = row
        return [
            Statement(
                subject_id=row["subject_id"],
                predicate=row["predicate"],
                object_id=row["object_id"],
                memory_id=row["memory_id"],
                agent_id=row["agent_id"],
                valid_from=from_micros(row["valid_from"]),
                valid_to=None if row["valid_to"] is None else from_micros(row["valid_to"]),
            )
            for row in rows.values()
        ]
