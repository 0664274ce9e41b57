"""Statistics of a user's (or tenant's) memories: the importance histogram's buckets and the summary of a list."""

from __future__ import annotations

from agent_memory.domain.models import Memory, MemoryStats

HISTOGRAM_BUCKETS = 10


def importance_bucket(importance: float) -> int:
    """[0, 0.1) → 0, …, [0.9, 1.0] → 9: the top bucket includes 1.0."""
    return min(int(importance * HISTOGRAM_BUCKETS), HISTOGRAM_BUCKETS - 1)


def importance_bucket_sql(column: str) -> str:
    """The same rule as an SQL expression, for stores that aggregate in the database."""
    return f"MIN(CAST({column} * {HISTOGRAM_BUCKETS} AS INTEGER), {HISTOGRAM_BUCKETS - 1})"


def summarise(memories: list[Memory]) -> MemoryStats:
    """Stats of memories already loaded (a store that can aggregate where the data is may do so instead, by the
    same rules)."""
    histogram = [0] * HISTOGRAM_BUCKETS
    by_source: dict[str, int] = {}
    by_agent: dict[str, int] = {}
    by_topic: dict[str, int] = {}
    for memory in memories:
        histogram[importance_bucket(memory.importance)] += 1
        by_source[memory.source.value] = by_source.get(memory.source.value, 0) + 1
        agent = memory.agent_id or ""
        by_agent[agent] = by_agent.get(agent, 0) + 1
        for topic in memory.topics:
            by_topic[topic] = by_topic.get(topic, 0) + 1
    count = len(memories)
    return MemoryStats(
        total=count,
        content_chars=sum(len(m.content) for m in memories),
        average_importance=sum(m.importance for m in memories) / count if count else None,
        average_valence=sum(m.valence for m in memories) / count if count else None,
        importance_histogram=histogram,
        by_source=by_source,
        by_agent=by_agent,
        by_topic=by_topic,
    )
