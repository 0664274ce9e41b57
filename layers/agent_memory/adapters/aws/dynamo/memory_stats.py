"""Statistics over memories: a tenant's memories read from its GSI1 partitions, and the aggregates of MemoryStats."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from agent_memory.adapters.aws.dynamo import items
from agent_memory.adapters.aws.dynamo.items import Item, s
from agent_memory.adapters.aws.dynamo.schema import GSI1
from agent_memory.adapters.aws.dynamo.table import DynamoTable

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
