"""Which memories a filter admits, as a rule in code, for stores that cannot express it in their query language."""

from __future__ import annotations

from datetime import datetime

from agent_memory.domain.models import Memory, MemoryFilter


def is_live(memory: Memory, now: datetime) -> bool:
    """Not expired. Stores whose expiry deletes late (DynamoDB TTL) must check this on every read."""
    return memory.expires_at is None or memory.expires_at > now


def admits(filters: MemoryFilter, memory: Memory, now: datetime) -> bool:
    if not is_live(memory, now):
        return False
    if not filters.include_superseded and memory.superseded_by is not None:
        return False
    if filters.agent_id is not None and memory.agent_id != filters.agent_id:
        return False
    if filters.source is not None and memory.source is not filters.source:
        return False
    if filters.topic is not None and filters.topic not in memory.topics:
        return False
    if filters.created_after is not None and not memory.created_at > filters.created_after:
        return False
    if filters.created_before is not None and not memory.created_at < filters.created_before:
        return False
    return filters.min_importance is None or memory.importance >= filters.min_importance
