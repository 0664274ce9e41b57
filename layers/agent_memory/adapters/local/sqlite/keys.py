"""API key records (by the key's hash, never the key) in the SQLite file (implements KeyStore)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from agent_memory.adapters.local.sqlite.database import SqliteDatabase, dumps, optional_datetime
from agent_memory.domain.clock import from_micros, to_micros
from agent_memory.domain.models import ApiKeyRecord, Scope


def _row_to_key(row: sqlite3.Row) -> ApiKeyRecord:
    return ApiKeyRecord(
        key_id=row["key_id"],
        tenant=row["tenant"],
        scopes=frozenset(Scope(s) for s in json.loads(row["scopes"])),
        name=row["name"],
        created_at=from_micros(row["created_at"]),
        revoked_at=optional_datetime(row["revoked_at"]),
        user_id=row["user_id"],
        agent_id=row["agent_id"],
    )


class SqliteKeys:
    def __init__(self, database: SqliteDatabase) -> None:
        self._database = database

    def add_key(self, record: ApiKeyRecord, key_hash: str) -> None:
        with self._database.write() as conn:
            conn.execute(
                "INSERT INTO api_keys (key_id, key_hash, tenant, scopes, name, created_at, user_id, agent_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.key_id,
                    key_hash,
                    record.tenant,
                    dumps(sorted(s.value for s in record.scopes)),
                    record.name,
                    to_micros(record.created_at),
                    record.user_id,
                    record.agent_id,
                ),
            )

    def find_key(self, key_hash: str) -> ApiKeyRecord | None:
        with self._database.read() as conn:
            row = conn.execute("SELECT * FROM api_keys WHERE key_hash = ?", (key_hash,)).fetchone()
        return None if row is None else _row_to_key(row)

    def list_keys(self, tenant: str | None) -> list[ApiKeyRecord]:
        with self._database.read() as conn:
            if tenant is None:
                rows = conn.execute("SELECT * FROM api_keys ORDER BY created_at").fetchall()
            else:
                rows = conn.execute("SELECT * FROM api_keys WHERE tenant = ? ORDER BY created_at", (tenant,)).fetchall()
        return [_row_to_key(row) for row in rows]

    def revoke_key(self, key_id: str, at: datetime) -> bool:
        with self._database.write() as conn:
            cursor = conn.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (to_micros(at), key_id),
            )
            return cursor.rowcount > 0
