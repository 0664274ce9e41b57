"""Recalls and their feedback in the SQLite file (implements RecallLog)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from agent_memory.adapters.local.sqlite.database import SqliteDatabase, dumps
from agent_memory.domain.clock import from_micros, to_micros
from agent_memory.domain.models import Owner
from agent_memory.domain.recalls import Recall, RecallStats


class SqliteRecalls:
    def __init__(self, database: SqliteDatabase) -> None:
        self._database = database

    def save_recall(self, owner: Owner, recall: Recall) -> None:
        with self._database.write() as conn:
            conn.execute(
                "INSERT INTO recalls (recall_id, tenant, user_id, memory_ids, at) VALUES (?, ?, ?, ?, ?)",
                (recall.id, owner.tenant, owner.user_id, dumps(list(recall.memory_ids)), to_micros(recall.at)),
            )

    def get_recall(self, owner: Owner, recall_id: str) -> Recall | None:
        with self._database.read() as conn:
            row = conn.execute(
                "SELECT * FROM recalls WHERE recall_id = ? AND tenant = ? AND user_id = ?",
                (recall_id, owner.tenant, owner.user_id),
            ).fetchone()
        if row is None:
            return None
        return Recall(
            id=row["recall_id"],
            memory_ids=tuple(json.loads(row["memory_ids"])),
            at=from_micros(row["at"]),
            used=tuple(json.loads(row["used"])),
            ignored=tuple(json.loads(row["ignored"])),
        )

    def save_feedback(self, owner: Owner, recall_id: str, used: Sequence[str], ignored: Sequence[str]) -> None:
        with self._database.write() as conn:
            conn.execute(
                "UPDATE recalls SET used = ?, ignored = ? WHERE recall_id = ? AND tenant = ? AND user_id = ?",
                (dumps(list(used)), dumps(list(ignored)), recall_id, owner.tenant, owner.user_id),
            )

    def recall_stats(self, tenant: str, user_id: str | None) -> RecallStats:
        where, params = "tenant = ?", [tenant]
        if user_id is not None:
            where, params = where + " AND user_id = ?", [*params, user_id]
        with self._database.read() as conn:
            row: Any = conn.execute(
                "SELECT COUNT(*), COALESCE(SUM(json_array_length(used)), 0),"
                f" COALESCE(SUM(json_array_length(ignored)), 0) FROM recalls WHERE {where}",
                params,
            ).fetchone()
        return RecallStats(total_recalls=row[0], used_count=row[1], ignored_count=row[2])
