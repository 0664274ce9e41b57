"""Query parameters → MemoryFilter, shared by listing and search so both read filters the same way."""

from __future__ import annotations

from datetime import datetime

from agent_memory.domain.clock import as_utc
from agent_memory.domain.models import MemoryFilter, Source


def memory_filter(
    agent_id: str | None = None,
    source: Source | None = None,
    topic: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    min_importance: float | None = None,
    include_superseded: bool = False,
) -> MemoryFilter:
    return MemoryFilter(
        agent_id=agent_id,
        source=source,
        topic=topic,
        created_after=None if created_after is None else as_utc(created_after),
        created_before=None if created_before is None else as_utc(created_before),
        min_importance=min_importance,
        include_superseded=include_superseded,
    )
