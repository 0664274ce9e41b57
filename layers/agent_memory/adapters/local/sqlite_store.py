"""SQLite store: the source of truth of the embedded backend.

WAL journal, one connection per thread, `BEGIN IMMEDIATE` for every write so that concurrent writers (threads or
processes on the same file) queue on SQLite's lock instead of failing when a read transaction tries to upgrade.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from agent_memory.adapters.local.schema import MIGRATIONS, SCOPE_KEY_FUNCTION, scope_key, statements
from agent_memory.domain.clock import from_micros, to_micros
from agent_memory.domain.errors import DuplicateMemory, NotFound, StoreUnavailable, VersionConflict
from agent_memory.domain.limits import IDEMPOTENCY_LEASE_SECONDS, IDEMPOTENCY_TTL_SECONDS
from agent_memory.domain.models import (
    ApiKeyRecord,
    Entity,
    HistoryEntry,
    HistoryEvent,
    Memory,
    MemoryFilter,
    MemoryStats,
    Owner,
    Scope,
    Source,
    StoredResponse,
    TenantSettings,
)
from agent_memory.domain.text import content_key
from agent_memory.ports import Position, StoredPage

BUSY_TIMEOUT_SECONDS = 30.0

_MEMORY_COLUMNS = (
    "id, tenant, user_id, agent_id, thread_id, content, summary, source, importance, valence, topics, entities,"
    " metadata, source_refs, access_count, created_at, updated_at, expires_at, supersedes, superseded_by,"
    " version, embedding_model"
)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _optional_micros(value: datetime | None) -> int | None:
    return None if value is None else to_micros(value)


def _optional_datetime(value: int | None) -> datetime | None:
    return None if value is None else from_micros(value)


def _row_to_memory(row: sqlite3.Row) -> Memory:
    return Memory(
        id=row["id"],
        tenant=row["tenant"],
        user_id=row["user_id"],
        agent_id=row["agent_id"],
        thread_id=row["thread_id"],
        content=row["content"],
        summary=row["summary"],
        source=Source(row["source"]),
        importance=row["importance"],
        valence=row["valence"],
        topics=tuple(json.loads(row["topics"])),
        entities=tuple(Entity(**entity) for entity in json.loads(row["entities"])),
        metadata=json.loads(row["metadata"]),
        source_refs=tuple(json.loads(row["source_refs"])),
        access_count=row["access_count"],
        created_at=from_micros(row["created_at"]),
        updated_at=from_micros(row["updated_at"]),
        expires_at=_optional_datetime(row["expires_at"]),
        supersedes=row["supersedes"],
        superseded_by=row["superseded_by"],
        version=row["version"],
        embedding_model=row["embedding_model"],
    )


def _memory_values(memory: Memory) -> dict[str, Any]:
    return {
        "id": memory.id,
        "tenant": memory.tenant,
        "user_id": memory.user_id,
        "agent_id": memory.agent_id,
        "thread_id": memory.thread_id,
        "content": memory.content,
        "content_key": content_key(memory.content),
        "summary": memory.summary,
        "source": memory.source.value,
        "importance": memory.importance,
        "valence": memory.valence,
        "topics": _dumps(list(memory.topics)),
        "entities": _dumps(
            [{"id": e.id, "name": e.name, "type": e.type, "mentions": e.mentions} for e in memory.entities]
        ),
        "metadata": _dumps(memory.metadata),
        "source_refs": _dumps(list(memory.source_refs)),
        "access_count": memory.access_count,
        "created_at": to_micros(memory.created_at),
        "updated_at": to_micros(memory.updated_at),
        "expires_at": _optional_micros(memory.expires_at),
        "supersedes": memory.supersedes,
        "superseded_by": memory.superseded_by,
        "version": memory.version,
        "embedding_model": memory.embedding_model,
        "scope_key": scope_key(memory.tenant, memory.user_id),
    }


def _vector_blob(vector: np.ndarray | None) -> bytes | None:
    return None if vector is None else np.asarray(vector, dtype=np.float32).tobytes()


def _row_to_history(row: sqlite3.Row) -> HistoryEntry:
    return HistoryEntry(
        memory_id=row["memory_id"],
        version=row["version"],
        event=HistoryEvent(row["event"]),
        at=from_micros(row["at"]),
        content=row["content"],
        previous_content=row["previous_content"],
        changed_fields=tuple(json.loads(row["changed_fields"])),
    )


def _row_to_key(row: sqlite3.Row) -> ApiKeyRecord:
    return ApiKeyRecord(
        key_id=row["key_id"],
        tenant=row["tenant"],
        scopes=frozenset(Scope(s) for s in json.loads(row["scopes"])),
        name=row["name"],
        created_at=from_micros(row["created_at"]),
        revoked_at=_optional_datetime(row["revoked_at"]),
    )


def _create_private(path: Path) -> None:
    """The database holds every memory: owner-only, like the key and cursor secret. SQLite gives its WAL and
    shared-memory files the database file's permissions, so they follow."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # a file made by an earlier version


class SqliteStore:
    """Implements MemoryStore, SettingsStore, KeyStore and IdempotencyStore on one SQLite file."""

    def __init__(self, path: Path | str) -> None:
        self._path = str(path)
        self._local = threading.local()
        self._migrated = False
        self._migrate_lock = threading.Lock()

    # -- connections and transactions ------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._path != ":memory:":
            _create_private(Path(self._path))
        conn = sqlite3.connect(self._path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.create_function(SCOPE_KEY_FUNCTION, 2, scope_key, deterministic=True)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        self._enable_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    @staticmethod
    def _enable_wal(conn: sqlite3.Connection) -> None:
        # Switching a new file to WAL needs a moment of exclusive access and does not wait on the busy
        # handler, so a second process opening the file at the same time retries here.
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            if not self._migrated:
                self._migrate(conn)
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        with self._migrate_lock:
            if self._migrated:
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                current = conn.execute("PRAGMA user_version").fetchone()[0]
                for version, script in enumerate(MIGRATIONS, start=1):
                    if version > current:
                        for statement in statements(script):
                            conn.execute(statement)
                        conn.execute(f"PRAGMA user_version = {version}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            self._migrated = True

    @property
    def schema_version(self) -> int:
        return int(self._conn().execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(f"The store is busy: {exc}") from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction for adapters that keep their own tables in this file (operations)."""
        with self._write() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A connection for read-only queries by adapters that project this store (the local search index)."""
        with self._read() as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._conn()
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(f"The store is busy: {exc}") from exc

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- memories -------------------------------------------------------------------------------

    def _insert_one(
        self, conn: sqlite3.Connection, memory: Memory, history: HistoryEntry, vector: np.ndarray | None
    ) -> Memory:
        values = _memory_values(memory)
        values["embedding"] = _vector_blob(vector)
        existing = conn.execute(
            "SELECT id, expires_at FROM memories WHERE tenant = ? AND user_id = ? AND content_key = ?",
            (memory.tenant, memory.user_id, values["content_key"]),
        ).fetchone()
        if existing is not None:
            expired = existing["expires_at"] is not None and existing["expires_at"] <= values["created_at"]
            if not expired:
                raise DuplicateMemory(existing["id"])
            self._delete_rows(conn, memory.owner, [existing["id"]])
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
                _dumps(list(entry.changed_fields)),
            ),
        )

    def insert(self, memory: Memory, history: HistoryEntry, vector: np.ndarray | None = None) -> Memory:
        with self._write() as conn:
            return self._insert_one(conn, memory, history, vector)

    def insert_many(self, items: Sequence[tuple[Memory, HistoryEntry, np.ndarray | None]]) -> list[Memory | Exception]:
        results: list[Memory | Exception] = []
        with self._write() as conn:
            for memory, history, vector in items:
                try:
                    results.append(self._insert_one(conn, memory, history, vector))
                except DuplicateMemory as exc:
                    results.append(exc)
        return results

    def get(self, owner: Owner, memory_id: str, now: datetime) -> Memory | None:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_MEMORY_COLUMNS} FROM memories WHERE id = ? AND tenant = ? AND user_id = ?"
                " AND (expires_at IS NULL OR expires_at > ?)",
                (memory_id, owner.tenant, owner.user_id, to_micros(now)),
            ).fetchone()
        return None if row is None else _row_to_memory(row)

    def get_many(self, owner: Owner, memory_ids: Sequence[str], now: datetime) -> dict[str, Memory]:
        if not memory_ids:
            return {}
        placeholders = ", ".join("?" * len(memory_ids))
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_MEMORY_COLUMNS} FROM memories WHERE tenant = ? AND user_id = ? AND id IN ({placeholders})"
                " AND (expires_at IS NULL OR expires_at > ?)",
                [owner.tenant, owner.user_id, *memory_ids, to_micros(now)],
            ).fetchall()
        return {row["id"]: _row_to_memory(row) for row in rows}

    def record_access(self, owner: Owner, memory_ids: Sequence[str]) -> None:
        if not memory_ids:
            return
        placeholders = ", ".join("?" * len(memory_ids))
        with self._write() as conn:
            conn.execute(
                f"UPDATE memories SET access_count = access_count + 1"
                f" WHERE tenant = ? AND user_id = ? AND id IN ({placeholders})",
                [owner.tenant, owner.user_id, *memory_ids],
            )

    def vector_of(self, owner: Owner, memory_id: str) -> tuple[str, np.ndarray] | None:
        with self._read() as conn:
            row = conn.execute(
                "SELECT embedding_model, embedding FROM memories WHERE tenant = ? AND user_id = ? AND id = ?",
                (owner.tenant, owner.user_id, memory_id),
            ).fetchone()
        if row is None or row["embedding"] is None:
            return None
        return row["embedding_model"], np.frombuffer(row["embedding"], dtype=np.float32)

    def stats(self, tenant: str, user_id: str | None, now: datetime) -> MemoryStats:
        where = "tenant = ? AND superseded_by IS NULL AND (expires_at IS NULL OR expires_at > ?)"
        params: list[Any] = [tenant, to_micros(now)]
        if user_id is not None:
            where += " AND user_id = ?"
            params.append(user_id)
        with self._read() as conn:
            total, chars, avg_importance, avg_valence = conn.execute(
                f"SELECT COUNT(*), COALESCE(SUM(LENGTH(content)), 0), AVG(importance), AVG(valence)"
                f" FROM memories WHERE {where}",
                params,
            ).fetchone()
            buckets = conn.execute(
                f"SELECT MIN(CAST(importance * 10 AS INTEGER), 9) AS b, COUNT(*) FROM memories WHERE {where}"
                " GROUP BY b",
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
        histogram = [0] * 10
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

    @staticmethod
    def filter_sql(owner: Owner, filters: MemoryFilter, now: datetime) -> tuple[str, list[Any]]:
        """The SQL condition (on table `memories`) that scopes and filters memories; used by the index too."""
        clauses = ["tenant = ?", "user_id = ?", "(expires_at IS NULL OR expires_at > ?)"]
        params: list[Any] = [owner.tenant, owner.user_id, to_micros(now)]
        if not filters.include_superseded:
            clauses.append("superseded_by IS NULL")
        if filters.agent_id is not None:
            clauses.append("agent_id = ?")
            params.append(filters.agent_id)
        if filters.source is not None:
            clauses.append("source = ?")
            params.append(filters.source.value)
        if filters.topic is not None:
            clauses.append("EXISTS (SELECT 1 FROM json_each(memories.topics) WHERE json_each.value = ?)")
            params.append(filters.topic)
        if filters.created_after is not None:
            clauses.append("created_at > ?")
            params.append(to_micros(filters.created_after))
        if filters.created_before is not None:
            clauses.append("created_at < ?")
            params.append(to_micros(filters.created_before))
        if filters.min_importance is not None:
            clauses.append("importance >= ?")
            params.append(filters.min_importance)
        return " AND ".join(clauses), params

    def list_memories(
        self,
        owner: Owner,
        filters: MemoryFilter,
        now: datetime,
        limit: int,
        position: Position | None,
        offset: int,
    ) -> StoredPage:
        where, params = self.filter_sql(owner, filters, now)
        page_where, page_params = where, list(params)
        if position is not None:
            before = position.get("before_id")
            if not isinstance(before, str):
                raise ValueError("position needs before_id")
            page_where += " AND id < ?"
            page_params.append(before)
        with self._read() as conn:
            total = conn.execute(f"SELECT COUNT(*) FROM memories WHERE {where}", params).fetchone()[0]
            rows = conn.execute(
                f"SELECT {_MEMORY_COLUMNS} FROM memories WHERE {page_where} ORDER BY id DESC LIMIT ? OFFSET ?",
                [*page_params, limit + 1, offset],
            ).fetchall()
        items = [_row_to_memory(row) for row in rows[:limit]]
        next_position = {"before_id": items[-1].id} if len(rows) > limit else None
        return StoredPage(items=items, total=total, next_position=next_position)

    def update(
        self, memory: Memory, expected_version: int, history: HistoryEntry, vector: np.ndarray | None = None
    ) -> Memory:
        with self._write() as conn:
            return self._update_one(conn, memory, expected_version, history, vector)

    def update_many(self, changes: Sequence[tuple[Memory, int, HistoryEntry, np.ndarray | None]]) -> list[Memory]:
        with self._write() as conn:
            return self.update_many_within(conn, changes)

    def update_many_within(
        self, conn: sqlite3.Connection, changes: Sequence[tuple[Memory, int, HistoryEntry, np.ndarray | None]]
    ) -> list[Memory]:
        """`update_many` inside a write transaction that an adapter of this file already holds (`writing()`)."""
        return [self._update_one(conn, *change) for change in changes]

    def _update_one(
        self,
        conn: sqlite3.Connection,
        memory: Memory,
        expected_version: int,
        history: HistoryEntry,
        vector: np.ndarray | None,
    ) -> Memory:
        values = _memory_values(memory)
        if vector is not None:
            values["embedding"] = _vector_blob(vector)
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
        self._delete_rows(conn, memory.owner, [row["id"] for row in expired])
        assignments = ", ".join(f"{name} = :{name}" for name in values if name != "id")
        conn.execute(f"UPDATE memories SET {assignments} WHERE id = :id", values)
        self._add_history(conn, memory, history)
        return memory

    def memory_page(self, owner: Owner, after_id: str | None, limit: int) -> list[tuple[Memory, np.ndarray | None]]:
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_MEMORY_COLUMNS}, embedding FROM memories WHERE tenant = ? AND user_id = ? AND id > ?"
                " ORDER BY id LIMIT ?",
                (owner.tenant, owner.user_id, after_id or "", limit),
            ).fetchall()
        return [
            (
                _row_to_memory(row),
                None if row["embedding"] is None else np.frombuffer(row["embedding"], dtype=np.float32),
            )
            for row in rows
        ]

    def set_vectors(self, owner: Owner, model: str, vectors: Sequence[tuple[str, np.ndarray]]) -> int:
        with self._write() as conn:
            changed = 0
            for memory_id, vector in vectors:
                cursor = conn.execute(
                    "UPDATE memories SET embedding = ?, embedding_model = ?"
                    " WHERE id = ? AND tenant = ? AND user_id = ?",
                    (_vector_blob(vector), model, memory_id, owner.tenant, owner.user_id),
                )
                changed += cursor.rowcount
        return changed

    @staticmethod
    def _delete_rows(conn: sqlite3.Connection, owner: Owner, memory_ids: Sequence[str]) -> list[str]:
        deleted: list[str] = []
        for memory_id in memory_ids:
            cursor = conn.execute(
                "DELETE FROM memories WHERE id = ? AND tenant = ? AND user_id = ?",
                (memory_id, owner.tenant, owner.user_id),
            )
            if cursor.rowcount:
                deleted.append(memory_id)
                conn.execute(
                    "DELETE FROM memory_history WHERE memory_id = ? AND tenant = ? AND user_id = ?",
                    (memory_id, owner.tenant, owner.user_id),
                )
        return deleted

    def delete(self, owner: Owner, memory_ids: Sequence[str]) -> list[str]:
        with self._write() as conn:
            return self._delete_rows(conn, owner, list(dict.fromkeys(memory_ids)))

    def history(self, owner: Owner, memory_id: str) -> list[HistoryEntry]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT * FROM memory_history WHERE memory_id = ? AND tenant = ? AND user_id = ? ORDER BY version",
                (memory_id, owner.tenant, owner.user_id),
            ).fetchall()
        return [_row_to_history(row) for row in rows]

    # -- settings -------------------------------------------------------------------------------

    def get_settings(self, tenant: str) -> TenantSettings:
        with self._read() as conn:
            row = conn.execute("SELECT data FROM settings WHERE tenant = ?", (tenant,)).fetchone()
        return TenantSettings() if row is None else TenantSettings(**json.loads(row["data"]))

    def put_settings(self, tenant: str, settings: TenantSettings) -> TenantSettings:
        data = {
            "max_content_chars": settings.max_content_chars,
            "default_memory_mode": settings.default_memory_mode,
        }
        with self._write() as conn:
            conn.execute(
                "INSERT INTO settings (tenant, data) VALUES (?, ?)"
                " ON CONFLICT (tenant) DO UPDATE SET data = excluded.data",
                (tenant, _dumps(data)),
            )
        return settings

    # -- API keys -------------------------------------------------------------------------------

    def add_key(self, record: ApiKeyRecord, key_hash: str) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO api_keys (key_id, key_hash, tenant, scopes, name, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    record.key_id,
                    key_hash,
                    record.tenant,
                    _dumps(sorted(s.value for s in record.scopes)),
                    record.name,
                    to_micros(record.created_at),
                ),
            )

    def find_key(self, key_hash: str) -> ApiKeyRecord | None:
        with self._read() as conn:
            row = conn.execute("SELECT * FROM api_keys WHERE key_hash = ?", (key_hash,)).fetchone()
        return None if row is None else _row_to_key(row)

    def list_keys(self, tenant: str | None) -> list[ApiKeyRecord]:
        with self._read() as conn:
            if tenant is None:
                rows = conn.execute("SELECT * FROM api_keys ORDER BY created_at").fetchall()
            else:
                rows = conn.execute("SELECT * FROM api_keys WHERE tenant = ? ORDER BY created_at", (tenant,)).fetchall()
        return [_row_to_key(row) for row in rows]

    def revoke_key(self, key_id: str, at: datetime) -> bool:
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (to_micros(at), key_id),
            )
            return cursor.rowcount > 0

    # -- idempotency ----------------------------------------------------------------------------

    def reserve(self, tenant: str, key: str, fingerprint: str, now: datetime) -> StoredResponse | None:
        with self._write() as conn:
            # Expired outcomes, and reservations whose request died before completing, give the key back.
            conn.execute(
                "DELETE FROM idempotency WHERE tenant = ? AND key = ?"
                " AND (created_at < ? OR (status IS NULL AND created_at < ?))",
                (
                    tenant,
                    key,
                    to_micros(now) - IDEMPOTENCY_TTL_SECONDS * 1_000_000,
                    to_micros(now) - IDEMPOTENCY_LEASE_SECONDS * 1_000_000,
                ),
            )
            row = conn.execute(
                "SELECT fingerprint, status, body, created_at FROM idempotency WHERE tenant = ? AND key = ?",
                (tenant, key),
            ).fetchone()
            if row is not None:
                return StoredResponse(
                    fingerprint=row["fingerprint"],
                    status=row["status"],
                    body=bytes(row["body"]),
                    created_at=from_micros(row["created_at"]),
                )
            conn.execute(
                "INSERT INTO idempotency (tenant, key, fingerprint, status, body, created_at)"
                " VALUES (?, ?, ?, NULL, x'', ?)",
                (tenant, key, fingerprint, to_micros(now)),
            )
        return None

    def complete(self, tenant: str, key: str, status: int, body: bytes) -> None:
        with self._write() as conn:
            conn.execute(
                "UPDATE idempotency SET status = ?, body = ? WHERE tenant = ? AND key = ?",
                (status, body, tenant, key),
            )

    def release(self, tenant: str, key: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM idempotency WHERE tenant = ? AND key = ?", (tenant, key))
