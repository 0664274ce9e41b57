"""Operations and job locks in the SQLite file of the local backend (implements OperationStore)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from agent_memory.adapters.local.sqlite.database import SqliteDatabase
from agent_memory.adapters.local.sqlite.memories import SqliteMemories
from agent_memory.domain.clock import to_micros
from agent_memory.domain.models import HistoryEntry, Memory
from agent_memory.domain.operations import (
    JobKind,
    Operation,
    OperationAbandoned,
    OperationStatus,
    abandoned,
    from_record,
    to_record,
)

if TYPE_CHECKING:
    import numpy as np


def _load(row: sqlite3.Row | None) -> Operation | None:
    return None if row is None else from_record(json.loads(row["data"]))


class SqliteOperations:
    def __init__(self, database: SqliteDatabase, memories: SqliteMemories) -> None:
        self._database = database
        self._memories = memories  # `save_with_changes` applies memory updates in its own transaction

    @staticmethod
    def _put(conn: sqlite3.Connection, operation: Operation) -> None:
        conn.execute(
            "INSERT INTO operations (id, tenant, user_id, kind, status, data) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET status = excluded.status, data = excluded.data",
            (
                operation.id,
                operation.tenant,
                operation.user_id,
                operation.kind.value,
                operation.status.value,
                json.dumps(to_record(operation), ensure_ascii=False),
            ),
        )

    @staticmethod
    def _get(conn: sqlite3.Connection, tenant: str, operation_id: str) -> Operation | None:
        row = conn.execute("SELECT data FROM operations WHERE tenant = ? AND id = ?", (tenant, operation_id)).fetchone()
        return _load(row)

    def open_operation(self, operation: Operation, lock_until: datetime, now: datetime) -> tuple[Operation, bool]:
        scope = (operation.tenant, operation.user_id, operation.kind.value)
        with self._database.write() as conn:
            lock = conn.execute(
                "SELECT operation_id, expires_at FROM job_locks WHERE tenant = ? AND user_id = ? AND kind = ?", scope
            ).fetchone()
            if lock is not None:
                holder = self._get(conn, operation.tenant, lock["operation_id"])
                if holder is not None and not holder.status.finished:
                    if lock["expires_at"] > to_micros(now):
                        return holder, False
                    self._put(conn, abandoned(holder, now))
            conn.execute(
                "INSERT OR REPLACE INTO job_locks (tenant, user_id, kind, operation_id, expires_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (*scope, operation.id, to_micros(lock_until)),
            )
            self._put(conn, operation)
        return operation, True

    def get_operation(self, tenant: str, operation_id: str) -> Operation | None:
        with self._database.read() as conn:
            return self._get(conn, tenant, operation_id)

    def list_operations(
        self,
        tenant: str,
        user_id: str | None,
        kind: JobKind | None,
        status: OperationStatus | None,
        limit: int,
        before_id: str | None,
    ) -> list[Operation]:
        clauses, params = ["tenant = ?"], [tenant]
        for column, value in (("user_id", user_id), ("kind", kind), ("status", status)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(str(value))
        if before_id is not None:
            clauses.append("id < ?")
            params.append(before_id)
        with self._database.read() as conn:
            rows = conn.execute(
                f"SELECT data FROM operations WHERE {' AND '.join(clauses)} ORDER BY id DESC LIMIT ?",
                [*params, limit],
            ).fetchall()
        return [from_record(json.loads(row["data"])) for row in rows]

    @staticmethod
    def _hold(conn: sqlite3.Connection, operation: Operation, lock_until: datetime | None) -> None:
        """Check the operation still holds its lock, then renew it (unfinished) or release it (finished)."""
        scope = (operation.tenant, operation.user_id, operation.kind.value)
        lock = conn.execute(
            "SELECT operation_id FROM job_locks WHERE tenant = ? AND user_id = ? AND kind = ?", scope
        ).fetchone()
        if lock is None or lock["operation_id"] != operation.id:
            raise OperationAbandoned(f"Operation {operation.id} no longer holds its lock.")
        if operation.status.finished:
            conn.execute("DELETE FROM job_locks WHERE tenant = ? AND user_id = ? AND kind = ?", scope)
        elif lock_until is not None:
            conn.execute(
                "UPDATE job_locks SET expires_at = ? WHERE tenant = ? AND user_id = ? AND kind = ?",
                (to_micros(lock_until), *scope),
            )

    def save_operation(self, operation: Operation, lock_until: datetime | None) -> Operation:
        with self._database.write() as conn:
            self._hold(conn, operation, lock_until)
            self._put(conn, operation)
        return operation

    def save_with_changes(
        self,
        operation: Operation,
        lock_until: datetime,
        changes: Sequence[tuple[Memory, int, HistoryEntry, np.ndarray | None]],
    ) -> Operation:
        with self._database.write() as conn:  # one transaction: an error in any part rolls back all of it
            self._hold(conn, operation, lock_until)
            self._memories.update_many_within(conn, changes)
            self._put(conn, operation)
        return operation

    def unfinished_operations(self) -> list[Operation]:
        """Queued and running operations of every tenant, oldest first: what a restarted worker takes up again."""
        with self._database.read() as conn:
            rows = conn.execute(
                "SELECT data FROM operations WHERE status IN ('queued', 'running') ORDER BY id"
            ).fetchall()
        return [from_record(json.loads(row["data"])) for row in rows]

    def erase_user(self, tenant: str, user_id: str, keep: JobKind) -> int:
        with self._database.write() as conn:
            conn.execute(
                "DELETE FROM job_locks WHERE tenant = ? AND user_id = ? AND kind != ?", (tenant, user_id, keep.value)
            )
            deleted = conn.execute(
                "DELETE FROM operations WHERE tenant = ? AND user_id = ? AND kind != ?", (tenant, user_id, keep.value)
            ).rowcount
        return int(deleted)
