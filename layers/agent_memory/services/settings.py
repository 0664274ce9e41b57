"""Per-tenant memory settings."""

from __future__ import annotations

from agent_memory.domain import limits
from agent_memory.domain.conversation import MemoryMode
from agent_memory.domain.errors import InvalidInput
from agent_memory.domain.models import TenantSettings
from agent_memory.ports import SettingsStore

MEMORY_MODES = tuple(mode.value for mode in MemoryMode)


class SettingsService:
    def __init__(self, store: SettingsStore) -> None:
        self._store = store

    def get(self, tenant: str) -> TenantSettings:
        return self._store.get_settings(tenant)

    def update(
        self, tenant: str, max_content_chars: int | None = None, default_memory_mode: str | None = None
    ) -> TenantSettings:
        current = self._store.get_settings(tenant)
        if max_content_chars is not None and not 1 <= max_content_chars <= limits.MAX_CONTENT_CHARS_CEILING:
            raise InvalidInput(f"max_content_chars must be between 1 and {limits.MAX_CONTENT_CHARS_CEILING}.")
        if default_memory_mode is not None and default_memory_mode not in MEMORY_MODES:
            raise InvalidInput(f"default_memory_mode must be one of {', '.join(MEMORY_MODES)}.")
        updated = TenantSettings(
            max_content_chars=current.max_content_chars if max_content_chars is None else max_content_chars,
            default_memory_mode=current.default_memory_mode if default_memory_mode is None else default_memory_mode,
        )
        return self._store.put_settings(tenant, updated)
