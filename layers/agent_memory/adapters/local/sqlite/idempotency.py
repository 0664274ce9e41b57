"""Idempotency-Key reservations and stored responses in the SQLite file (implements IdempotencyStore)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from agent_memory.adapters.local.sqlite.database import SqliteDatabase
from agent_memory.domain.clock import from_micros, to_micros
from agent_memory.domain.limits import IDEMPOTENCY_LEASE_SECONDS, IDEMPOTENCY_TTL_SECONDS
from agent_memory.domain.models import StoredResponse

SEPARATOR = "\x1f"  # no identifier holds a control character


def _users_column(user_ids: Sequence[str]) -> str | None:
    """The users a record is about, each between separators so one can be matched exactly."""
    return None if not user_ids else SEPARATOR + SEPARATOR.join(user_ids) + SEPARATOR


class SqliteIdempotency:
    def __init__(self, database: SqliteDatabase) -> None:
        self._database = database

    def reserve(
        self, tenant: str, key: str, fingerprint: str, now: datetime, user_ids: Sequence[str] = ()
    ) -> StoredResponse | None:
        with self._database.write() as conn:
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
                "INSERT INTO idempotency (tenant, key, fingerprint, status, body, created_at, user_id)"
                " VALUES (?, ?, ?, NULL, x'', ?, ?)",
                (tenant, key, fingerprint, to_micros(now), _users_column(user_ids)),
            )
        return None

    def complete(self, tenant: str, key: str, status: int, body: bytes) -> None:
        with self._database.write() as conn:
            conn.execute(
                "UPDATE idempotency SET status = ?, body = ? WHERE tenant = ? AND key = ?",
                (status, body, tenant, key),
            )

    def release(self, tenant: str, key: str) -> None:
        with self._database.write() as conn:
            conn.execute("DELETE FROM idempotency WHERE tenant = ? AND key = ?", (tenant, key))

    def erase_user(self, tenant: str, user_id: str) -> int:
        with self._database.write() as conn:
            return int(
                conn.execute(
                    "DELETE FROM idempotency WHERE tenant = ? AND instr(user_id, ?) > 0",
                    (tenant, SEPARATOR + user_id + SEPARATOR),
                ).rowcount
            )

    def holds_user(self, tenant: str, user_id: str) -> bool:
        with self._database.read() as conn:
            row = conn.execute(
                "SELECT 1 FROM idempotency WHERE tenant = ? AND instr(user_id, ?) > 0 LIMIT 1",
                (tenant, SEPARATOR + user_id + SEPARATOR),
            ).fetchone()
        return row is not None
