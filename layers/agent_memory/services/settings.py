"""Per-tenant memory settings: read, and change with every field checked."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from agent_memory.domain import limits
from agent_memory.domain.conversation import MAX_RECALL_LIMIT, MemoryMode
from agent_memory.domain.errors import InvalidInput
from agent_memory.domain.models import TenantSettings
from agent_memory.domain.retention import MAX_MEMORY_RETENTION_DAYS, RAW_LOG_RETENTION_DAYS
from agent_memory.ports import SettingsStore

MEMORY_MODES = tuple(mode.value for mode in MemoryMode)
NULLABLE = frozenset({"memory_retention_days", "raw_log_retention_days"})
"""Fields a client may set to null: retention off (keep forever)."""


def _integer(name: str, value: Any, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidInput(f"{name} must be a whole number between {low} and {high}.")
    return value


def _checked(name: str, value: Any) -> Any:
    """One field's new value, or InvalidInput saying what it may be."""
    if value is None:
        if name in NULLABLE:
            return None
        raise InvalidInput(f"{name} cannot be null.")
    if name == "max_content_chars":
        return _integer(name, value, 1, limits.MAX_CONTENT_CHARS_CEILING)
    if name == "default_memory_mode":
        if not isinstance(value, str) or value.lower() not in MEMORY_MODES:
            raise InvalidInput(f"default_memory_mode must be one of {', '.join(MEMORY_MODES)}.")
        return value.lower()
    if name == "extraction_enabled":
        if not isinstance(value, bool):
            raise InvalidInput("extraction_enabled must be true or false.")
        return value
    if name == "recall_limit":
        return _integer(name, value, 1, MAX_RECALL_LIMIT)
    if name == "min_salience":
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise InvalidInput("min_salience must be a number between 0 and 1.")
        if not 0.0 <= value <= 1.0:
            raise InvalidInput("min_salience must be a number between 0 and 1.")
        return float(value)
    if name == "memory_retention_days":
        return _integer(name, value, 1, MAX_MEMORY_RETENTION_DAYS)
    if name == "raw_log_retention_days":
        if isinstance(value, bool) or value not in RAW_LOG_RETENTION_DAYS:
            allowed = ", ".join(str(days) for days in RAW_LOG_RETENTION_DAYS)
            raise InvalidInput(f"raw_log_retention_days must be one of {allowed} (or null to keep logs).")
        return int(value)
    raise InvalidInput(f"{name} is not a memory setting.")


class SettingsService:
    def __init__(self, store: SettingsStore) -> None:
        self._store = store

    def get(self, tenant: str) -> TenantSettings:
        return self._store.get_settings(tenant)

    def update(self, tenant: str, changes: Mapping[str, Any]) -> TenantSettings:
        """Apply the fields given (each checked; one bad field changes nothing); fields left out keep their value."""
        checked = {name: _checked(name, value) for name, value in changes.items()}
        current = self._store.get_settings(tenant)
        return self._store.put_settings(tenant, replace(current, **checked))
