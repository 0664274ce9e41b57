"""Recalls and their feedback in the single table (implements RecallLog): one item per recall in the user's
partition (`Q#{recall id}`), erased with the user's other records.

A recall is written with UpdateItem on `memory_ids` and `recalled_at` alone: the search function's role may update
only those attributes and `access_count` (permissions.count_recalls), so it can record what it returned and change
nothing else."""

from __future__ import annotations

from collections.abc import Sequence

from agent_memory.adapters.aws.dynamo import items
from agent_memory.adapters.aws.dynamo.items import Item, n, s
from agent_memory.adapters.aws.dynamo.table import DynamoTable
from agent_memory.adapters.aws.errors import ConditionFailed
from agent_memory.domain.clock import from_micros, to_micros
from agent_memory.domain.models import Owner
from agent_memory.domain.recalls import Recall, RecallStats


def recall_key(owner: Owner, recall_id: str) -> Item:
    return {"pk": s(items.user_pk(owner)), "sk": s(items.RECALL_PREFIX + recall_id)}


def _strings(item: Item, name: str) -> tuple[str, ...]:
    return tuple(value["S"] for value in item.get(name, {}).get("L", []))


class DynamoRecalls:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def save_recall(self, owner: Owner, recall: Recall) -> None:
        self._table.call(
            "update_item",
            Key=recall_key(owner, recall.id),
            UpdateExpression="SET memory_ids = :ids, recalled_at = :at",
            ExpressionAttributeValues={
                ":ids": {"L": [s(memory_id) for memory_id in recall.memory_ids]},
                ":at": n(to_micros(recall.at)),
            },
            ReturnValues="NONE",
        )

    def get_recall(self, owner: Owner, recall_id: str) -> Recall | None:
        found = self._table.call("get_item", Key=recall_key(owner, recall_id), ConsistentRead=True).get("Item")
        if found is None:
            return None
        return Recall(
            id=recall_id,
            memory_ids=_strings(found, "memory_ids"),
            at=from_micros(int(found["recalled_at"]["N"])),
            used=_strings(found, "used"),
            ignored=_strings(found, "ignored"),
        )

    def save_feedback(self, owner: Owner, recall_id: str, used: Sequence[str], ignored: Sequence[str]) -> None:
        try:
            self._table.call(
                "update_item",
                Key=recall_key(owner, recall_id),
                UpdateExpression="SET used = :used, ignored = :ignored",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={
                    ":used": {"L": [s(memory_id) for memory_id in used]},
                    ":ignored": {"L": [s(memory_id) for memory_id in ignored]},
                },
            )
        except ConditionFailed:
            return  # erased meanwhile: there is nothing to give feedback on

    def recall_stats(self, tenant: str, user_id: str | None) -> RecallStats:
        if user_id is not None:
            users = [user_id]
        else:
            from agent_memory.adapters.aws.dynamo.user_data import DynamoUserData

            users = DynamoUserData(self._table).user_ids(tenant)
        total = used = ignored = 0
        for user in users:
            for item in self._table.query(
                KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
                ExpressionAttributeValues={
                    ":pk": s(items.user_pk(Owner(tenant, user))),
                    ":prefix": s(items.RECALL_PREFIX),
                },
                ProjectionExpression="used, ignored",
            ):
                total += 1
                used += len(item.get("used", {}).get("L", []))
                ignored += len(item.get("ignored", {}).get("L", []))
        return RecallStats(total_recalls=total, used_count=used, ignored_count=ignored)
