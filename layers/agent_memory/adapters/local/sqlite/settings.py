"""Per-tenant memory settings in the SQLite file (implements SettingsStore)."""

from __future__ import annotations

import json

from agent_memory.adapters.local.sqlite.database import SqliteDatabase, dumps
from agent_memory.domain.models import TenantSettings


class SqliteSettings:
    def __init__(self, database: SqliteDatabase) -> None:
        self._database = database

    def get_settings(self, tenant: str) -> TenantSettings:
        with self._database.read() as conn:
            row = conn.execute("SELECT data FROM settings WHERE tenant = ?", (tenant,)).fetchone()
        return TenantSettings() if row is None else TenantSettings.from_record(json.loads(row["data"]))

    def put_settings(self, tenant: str, settings: TenantSettings) -> TenantSettings:
        data = settings.as_record()
        with self._database.write() as conn:
            conn.execute(
                "INSERT INTO settings (tenant, data) VALUES (?, ?)"
                " ON CONFLICT (tenant) DO UPDATE SET data = excluded.data",
                (tenant, dumps(data)),
            )
        return settings

    def tenants_with_retention(self) -> list[str]:
        with self._database.read() as conn:
            rows = conn.execute("SELECT tenant, data FROM settings ORDER BY tenant").fetchall()
        return [row["tenant"] for row in rows if TenantSettings.from_record(json.loads(row["data"])).keeps_retention]
