"""Statistics over memories: a tenant's memories read from its GSI1 partitions, and the aggregates of MemoryStats."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from agent_memory.adapters.aws.dynamo import items
from agent_memory.adapters.aws.dynamo.items import Item, s
from agent_memory.adapters.aws.dynamo.schema import GSI1
from agent_memory.adapters.aws.dynamo.table import DynamoTable
from agent_memory.domain.models import Memory, MemoryStats

GSI1_QUERY_CONCURRENCY = 9


def tenant_memory_items(table: DynamoTable, tenant: str) -> list[Item]:
    """A tenant's memories from GSI1 (its projected attributes), its partitions queried side by side."""

    def partition(pk: str) -> list[Item]:
        return list(
            table.query(
                IndexName=GSI1,
                KeyConditionExpression="gsi1pk = :pk AND begins_with(gsi1sk, :prefix)",
                ExpressionAttributeValues={":pk": s(pk), ":prefix": s(items.MEMORY_PREFIX)},
            )
        )

    partitions = items.tenant_memory_partitions(tenant)
    with ThreadPoolExecutor(max_workers=min(GSI1_QUERY_CONCURRENCY, len(partitions))) as pool:
        return [item for found in pool.map(partition, partitions) for item in found]


def summarise(memories: list[Memory]) -> MemoryStats:
    histogram = [0] * 10
    by_source: dict[str, int] = {}
    by_agent: dict[str, int] = {}
    by_topic: dict[str, int] = {}
    for memory in memories:
        histogram[min(int(memory.importance * 10), 9)] += 1
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
