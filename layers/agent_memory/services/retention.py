"""The retention sweep: what the tenants' retention settings say must go, and memories whose expiry has passed.

New memories carry their end from the moment they are written (`expires_at`, see MemoryService), so they vanish on
time without a sweep. The sweep removes what predates a retention setting (memories created before the cutoff, raw
logs last written before it) and, where the database has no TTL of its own (SQLite), expired memories. It runs
hourly in the local server, daily on AWS (a scheduled function), and on demand (`agent-memory retention-sweep`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from agent_memory.domain.clock import utcnow
from agent_memory.domain.models import Owner
from agent_memory.ports import ConversationArchive, MemoryStore, SettingsStore

PAGE = 500


class RetentionService:
    def __init__(
        self,
        store: MemoryStore,
        settings: SettingsStore,
        archive: ConversationArchive,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._settings = settings
        self._archive = archive
        self._clock = clock

    def sweep(self) -> dict[str, int]:
        """Every tenant with a retention setting, then expired memories everywhere; counts of what went."""
        counts = {"memories_past_retention": 0, "raw_logs_past_retention": 0, "expired_memories": 0}
        for tenant in self._settings.tenants_with_retention():
            for kind, count in self.sweep_tenant(tenant).items():
                counts[kind] += count
        now = self._clock()
        while purged := self._store.purge_expired(now, PAGE):
            counts["expired_memories"] += purged
        return counts

    def sweep_tenant(self, tenant: str) -> dict[str, int]:
        settings = self._settings.get_settings(tenant)
        now = self._clock()
        counts = {"memories_past_retention": 0, "raw_logs_past_retention": 0}
        if settings.memory_retention_days is not None:
            cutoff = now - timedelta(days=settings.memory_retention_days)
            for user_id in self._store.user_ids(tenant):
                counts["memories_past_retention"] += self._expire_memories(Owner(tenant, user_id), cutoff)
        if settings.raw_log_retention_days is not None:
            cutoff = now - timedelta(days=settings.raw_log_retention_days)
            counts["raw_logs_past_retention"] = self._archive.expire(tenant, cutoff)
        return counts

    def _expire_memories(self, owner: Owner, created_before: datetime) -> int:
        deleted = 0
        after: str | None = None
        while page := self._store.memory_page(owner, after, PAGE):
            old = [memory.id for memory, _ in page if memory.created_at < created_before]
            if old:
                deleted += len(self._store.delete(owner, old))
            after = page[-1][0].id
        return deleted
