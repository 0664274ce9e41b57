"""Recall counters: a memory's access count in a small item beside it (`A#{memory id}`), so counting a recall writes
that item and never the memory, its indexes or its stream. A memory written before counters carries its own count,
which its counter starts from.
"""

from __future__ import annotations

from agent_memory.adapters.aws.dynamo import items
from agent_memory.adapters.aws.dynamo.items import n
from agent_memory.adapters.aws.dynamo.table import DynamoTable
from agent_memory.adapters.aws.errors import ConditionFailed, TransactionCancelled
from agent_memory.domain.errors import StoreUnavailable
from agent_memory.domain.models import Memory, Owner


def counted(memory: Memory, counts: dict[str, int]) -> Memory:
    """The memory with its recall count: the counter item's, or (no recall since counters) the one it carries."""
    count = counts.get(memory.id)
    return memory if count is None else memory.with_changes(access_count=count)


def count_recall(table: DynamoTable, owner: Owner, memory_id: str) -> None:
    """One recall: +1 on the memory's counter item (a small item; the memory, its indexes and its stream are not
    touched). The first recall creates the counter, starting from the count the memory carries, and only while
    the memory exists (one transaction), so a counter never outlives its memory: delete removes both together."""
    for attempt in range(2):
        try:
            table.call(
                "update_item",
                Key=items.access_key(owner, memory_id),
                UpdateExpression="ADD access_count :one",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":one": n(1)},
            )
            return
        except ConditionFailed:
            pass  # no counter yet
        found = table.call(
            "get_item",
            Key=items.memory_key(owner, memory_id),
            ProjectionExpression="access_count",
            ConsistentRead=True,
        ).get("Item")
        if found is None:
            return  # deleted meanwhile: nothing to count
        try:
            table.transact(
                [
                    {
                        "ConditionCheck": {
                            "Key": items.memory_key(owner, memory_id),
                            "ConditionExpression": "attribute_exists(pk)",
                        }
                    },
                    {
                        "Update": {
                            "Key": items.access_key(owner, memory_id),
                            "UpdateExpression": "SET access_count = if_not_exists(access_count, :stored) + :one",
                            "ExpressionAttributeValues": {
                                ":stored": n(items.integer(found, "access_count") or 0),
                                ":one": n(1),
                            },
                        }
                    },
                ]
            )
            return
        except TransactionCancelled:
            return  # deleted meanwhile
        except StoreUnavailable:
            if attempt:
                raise  # a concurrent first recall created the counter: the next round adds to it
