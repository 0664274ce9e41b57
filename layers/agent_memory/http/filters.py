"""Query parameters shared by listing and search (and → MemoryFilter), so both read them the same way."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Query

from agent_memory.domain import limits
from agent_memory.domain.clock import as_utc
from agent_memory.domain.models import MemoryFilter, Source

UserId = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=limits.MAX_ID_CHARS,
        description="The end-user; required unless the API key is bound to one (then it is that user, and no other).",
    ),
]
"""Optional only because a bound key supplies it: routes resolve it with `principal.owner(user_id)`."""
ClusterId = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=limits.MAX_ID_CHARS,
        description="Only the members of this cluster (an id from GET /v1/clusters).",
    ),
]


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
