"""Memories, their vectors and their history in the SQLite file (implements MemoryStore)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np

from agent_memory.adapters.local.sqlite import user_data
from agent_memory.adapters.local.sqlite.database import SqliteDatabase, dumps
from agent_memory.adapters.local.sqlite.memory_rows import (
    MEMORY_COLUMNS,
    blob_vector,
    filter_sql,
    memory_values,
    row_to_history,
    row_to_memory,
    vector_blob,
)
from agent_memory.domain.clock import to_micros
from agent_memory.domain.errors import DuplicateMemory, MemoryIdTaken, NotFound, VersionConflict
from agent_memory.domain.models import HistoryEntry, Memory, MemoryFilter, MemoryStats, Owner
from agent_memory.domain.stats import HISTOGRAM_BUCKETS, importance_bucket_sql
from agent_memory.ports import Position, StoredPage


class SqliteMemories:
    def __init__(self, database: SqliteDatabase) -> None:
        self._database = database

    # -- writes ---------------------------------------------------------------------------------

    def insert(self, memory: Memory, history: HistoryEntry, vector: np.ndarray | None = None) -> Memory:
        with self._database.write() as conn:
            return self._insert_one(conn, memory, history, vector)

    def insert_many(self, items: Sequence[tuple[Memory, HistoryEntry, np.ndarray | None]]) -> list[Memory | Exception]:
        results: list[Memory | Exception] = []
        with self._database.write() as conn:
            for memory, history, vector in items:
                try:
                    results.append(self._insert_one(conn, memory, history, vector))
                except DuplicateMemory as exc:
                    results.append(exc)
        return results

    def _insert_one(
        self, conn: sqlite3.Connection, memory: Memory, history: HistoryEntry, vector: np.ndarray | None
    ) -> Memory:
        user_data.refuse_if_erasing(conn, memory.owner)
        values = memory_values(memory)
        values["embedding"] = vector_blob(vector)
        existing = conn.execute(
            "SELECT id, expires_at FROM memories WHERE tenant = ? AND user_id = ? AND content_key = ?",
            (memory.tenant, memory.user_id, values["content_key"]),
        ).fetchone()
        if existing is not None:
            expired = existing["expires_at"] is not None and existing["expires_at"] <= values["created_at"]
            if not expired:
                raise DuplicateMemory(existing["id"])
            user_data.delete_rows(conn, memory.owner, [existing["id"]])
        columns = ", ".join(values)
        placeholders = ", ".join(f":{name}" for name in values)
        conn.execute(f"INSERT INTO memories ({columns}) VALUES ({placeholders})", values)
        self._add_history(conn, memory, history)
        return memory

    def _add_history(self, conn: sqlite3.Connection, memory: Memory, entry: HistoryEntry) -> None:
        conn.execute(
            "INSERT INTO memory_history (tenant, user_id, memory_id, version, event, at, content,"
            " previous_content, changed_fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                memory.tenant,
                memory.user_id,
                entry.memory_id,
                entry.version,
                entry.event.value,
                to_micros(entry.at),
                entry.content,
                entry.previous_content,
                dumps(list(entry.changed_fields)),
            ),
        )

    def update(
        self, memory: Memory, expected_version: int, history: HistoryEntry, vector: np.ndarray | None = None
    ) -> Memory:
        with self._database.write() as conn:
            return self._update_one(conn, memory, expected_version, history, vector)

    def update_many(self, changes: Sequence[tuple[Memory, int, HistoryEntry, np.ndarray | None]]) -> list[Memory]:
        with self._database.write() as conn:
            return self.update_many_within(conn, changes)

    def update_many_within(
        self, conn: sqlite3.Connection, changes: Sequence[tuple[Memory, int, HistoryEntry, np.ndarray | None]]
    ) -> list[Memory]:
        """`update_many` inside a write transaction of this file that another store already holds (operations)."""
        return [self._update_one(conn, *change) for change in changes]

    def _update_one(
        self,
        conn: sqlite3.Connection,
        memory: Memory,
        expected_version: int,
        history: HistoryEntry,
        vector: np.ndarray | None,
    ) -> Memory:
        values = memory_values(memory)
        if vector is not None:
            values["embedding"] = vector_blob(vector)
        row = conn.execute(
            "SELECT version FROM memories WHERE id = ? AND tenant = ? AND user_id = ?",
            (memory.id, memory.tenant, memory.user_id),
        ).fetchone()
        if row is None:
            raise NotFound(f"Memory {memory.id} was not found for this user.")
        if row["version"] != expected_version:
            raise VersionConflict(
                f"Memory {memory.id} is at version {row['version']}, not {expected_version}; read it again and retry."
            )
        clash = conn.execute(
            "SELECT id FROM memories WHERE tenant = ? AND user_id = ? AND content_key = ? AND id != ?"
            " AND (expires_at IS NULL OR expires_at > ?)",
            (memory.tenant, memory.user_id, values["content_key"], memory.id, values["updated_at"]),
        ).fetchone()
        if clash is not None:
            raise DuplicateMemory(clash["id"])
        expired = conn.execute(
            "SELECT id FROM memories WHERE tenant = ? AND user_id = ? AND content_key = ? AND id != ?",
            (memory.tenant, memory.user_id, values["content_key"], memory.id),
        ).fetchall()
        user_data.delete_rows(conn, memory.owner, [row["id"] for row in expired])
        assignments = ", ".join(f"{name} = :{name}" for name in values if name != "id")
        conn.execute(f"UPDATE memories SET {assignments} WHERE id = :id", values)
        self._add_history(conn, memory, history)
        return memory

    def set_vectors(self, owner: Owner, model: str, vectors: Sequence[tuple[str, np.ndarray]]) -> int:
        with self._database.write() as conn:
            changed = 0
            for memory_id, vector in vectors:
                cursor = conn.execute(
                    "UPDATE memories SET embedding = ?, embedding_model = ?"
                    " WHERE id = ? AND tenant = ? AND user_id = ?",
                    (vector_blob(vector), model, memory_id, owner.tenant, owner.user_id),
                )
                changed += cursor.rowcount
        return changed

    def record_access(self, owner: Owner, memory_ids: Sequence[str]) -> None:
        if not memory_ids:
            return
        placeholders = ", ".join("?" * len(memory_ids))
        with self._database.write() as conn:
            conn.execute(
                f"UPDATE memories SET access_count = access_count + 1"
                f" WHERE tenant = ? AND user_id = ? AND id IN ({placeholders})",
                [owner.tenant, owner.user_id, *memory_ids],
            )

    def delete(self, owner: Owner, memory_ids: Sequence[str]) -> list[str]:
        with self._database.write() as conn:
            return user_data.delete_rows(conn, owner, list(dict.fromkeys(memory_ids)))

    # -- a user's memories as a whole ------------------------------------------------------------

    def restore(
        self, entries: Sequence[tuple[Memory, Sequence[HistoryEntry], np.ndarray | None]]
    ) -> list[Memory | Exception]:
        results: list[Memory | Exception] = []
        with self._database.write() as conn:
            for memory, history, vector in entries:
                try:
                    results.append(user_data.restore_one(conn, memory, history, vector))
                except (DuplicateMemory, VersionConflict, MemoryIdTaken) as exc:
                    results.append(exc)
        return results

    def erase_page(self, owner: Owner, limit: int) -> dict[str, int]:
        with self._database.write() as conn:
            return user_data.erase_page(conn, owner, limit)

    def residue(self, owner: Owner) -> dict[str, int]:
        with self._database.read() as conn:
            return user_data.residue(conn, owner)

    def user_ids(self, tenant: str) -> list[str]:
        with self._database.read() as conn:
            return user_data.user_ids(conn, tenant)

    def begin_erasure(self, owner: Owner, operation_id: str, now: datetime) -> None:
        with self._database.write() as conn:
            user_data.begin_erasure(conn, owner, operation_id, now)

    def end_erasure(self, owner: Owner) -> None:
        with self._database.write() as conn:
            user_data.end_erasure(conn, owner)

    def erasure_of(self, owner: Owner) -> str | None:
        with self._database.read() as conn:
            return user_data.erasure_of(conn, owner)

    def purge_expired(self, now: datetime, limit: int) -> int:
        with self._database.write() as conn:
            rows = conn.execute(
                "SELECT id, tenant, user_id FROM memories WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?",
                (to_micros(now), limit),
            ).fetchall()
            for row in rows:
                user_data.delete_rows(conn, Owner(row["tenant"], row["user_id"]), [row["id"]])
        return len(rows)

    # -- reads ----------------------------------------------------------------------------------

    def get(self, owner: Owner, memory_id: str, now: datetime) -> Memory | None:
        with self._database.read() as conn:
            row = conn.execute(
                f"SELECT {MEMORY_COLUMNS} FROM memories WHERE id = ? AND tenant = ? AND user_id = ?"
                " AND (expires_at IS NULL OR expires_at > ?)",
                (memory_id, owner.tenant, owner.user_id, to_micros(now)),
            ).fetchone()
        return None if row is None else row_to_memory(row)

    def get_many(self, owner: Owner, memory_ids: Sequence[str], now: datetime) -> dict[str, Memory]:
        if not memory_ids:
            return {}
        placeholders = ", ".join("?" * len(memory_ids))
        with self._database.read() as conn:
            rows = conn.execute(
                f"SELECT {MEMORY_COLUMNS} FROM memories WHERE tenant = ? AND user_id = ? AND id IN ({placeholders})"
                " AND (expires_at IS NULL OR expires_at > ?)",
                [owner.tenant, owner.user_id, *memory_ids, to_micros(now)],
            ).fetchall()
        return {row["id"]: row_to_memory(row) for row in rows}

    def list_memories(
        self,
        owner: Owner,
        filters: MemoryFilter,
        now: datetime,
        limit: int,
        position: Position | None,
        offset: int,
    ) -> StoredPage:
        where, params = filter_sql(owner, filters, now)
        page_where, page_params = where, list(params)
        if position is not None:
            before = position.get("before_id")
            if not isinstance(before, str):
                raise ValueError("position needs before_id")
            page_where += " AND id < ?"
            page_params.append(before)
        with self._database.read() as conn:
            total = conn.execute(f"SELECT COUNT(*) FROM memories WHERE {where}", params).fetchone()[0]
            rows = conn.execute(
                f"SELECT {MEMORY_COLUMNS} FROM memories WHERE {page_where} ORDER BY id DESC LIMIT ? OFFSET ?",
                [*page_params, limit + 1, offset],
            ).fetchall()
        items = [row_to_memory(row) for row in rows[:limit]]
        next_position = {"before_id": items[-1].id} if len(rows) > limit else None
        return StoredPage(items=items, total=total, next_position=next_position)

    def memory_page(self, owner: Owner, after_id: str | None, limit: int) -> list[tuple[Memory, np.ndarray | None]]:
        with self._database.read() as conn:
            rows = conn.execute(
                f"SELECT {MEMORY_COLUMNS}, embedding FROM memories WHERE tenant = ? AND user_id = ? AND id > ?"
                " ORDER BY id LIMIT ?",
                (owner.tenant, owner.user_id, after_id or "", limit),
            ).fetchall()
        return [(row_to_memory(row), blob_vector(row["embedding"])) for row in rows]

    def history(self, owner: Owner, memory_id: str) -> list[HistoryEntry]:
        with self._database.read() as conn:
            rows = conn.execute(
                "SELECT * FROM memory_history WHERE memory_id = ? AND tenant = ? AND user_id = ? ORDER BY version",
                (memory_id, owner.tenant, owner.user_id),
            ).fetchall()
        return [row_to_history(row) for row in rows]

    def stats(self, tenant: str, user_id: str | None, now: datetime) -> MemoryStats:
        where = "tenant = ? AND superseded_by IS NULL AND (expires_at IS NULL OR expires_at > ?)"
        params: list[Any] = [tenant, to_micros(now)]
        if user_id is not None:
            where += " AND user_id = ?"
            params.append(user_id)
        with self._database.read() as conn:
            total, chars, avg_importance, avg_valence = conn.execute(
                f"SELECT COUNT(*), COALESCE(SUM(LENGTH(content)), 0), AVG(importance), AVG(valence)"
                f" FROM memories WHERE {where}",
                params,
            ).fetchone()
            buckets = conn.execute(
                f"SELECT {importance_bucket_sql('importance')} AS b, COUNT(*) FROM memories WHERE {where} GROUP BY b",
                params,
            ).fetchall()
            sources = conn.execute(
                f"SELECT source, COUNT(*) FROM memories WHERE {where} GROUP BY source", params
            ).fetchall()
            agents = conn.execute(
                f"SELECT COALESCE(agent_id, ''), COUNT(*) FROM memories WHERE {where} GROUP BY agent_id", params
            ).fetchall()
            topics = conn.execute(
                f"SELECT json_each.value, COUNT(*) FROM memories, json_each(memories.topics) WHERE {where}"
                " GROUP BY json_each.value",
                params,
            ).fetchall()
        histogram = [0] * HISTOGRAM_BUCKETS
        for bucket, count in buckets:
            histogram[int(bucket)] = count
        return MemoryStats(
            total=total,
            content_chars=chars,
            average_importance=avg_importance,
            average_valence=avg_valence,
            importance_histogram=histogram,
            by_source={row[0]: row[1] for row in sources},
            by_agent={row[0]: row[1] for row in agents},
            by_topic={row[0]: row[1] for row in topics},
        )
