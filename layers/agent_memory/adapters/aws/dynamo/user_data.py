"""A user's memories as a whole, in the single table: erasing them page by page, what is left, restoring an export,
and the erasure marker that refuses new memories of a user while they are being erased.

Everything of one user's memories shares the user's partition (`U#{tenant}#{user}`), so a query of that partition
finds every memory, history entry, recall counter, uniqueness claim and graph item there is: what an erasure deletes
and what its verification counts. Job locks (`L#`) and the erasure marker belong to the operation store and the
erasure itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

import numpy as np

from agent_memory.adapters.aws.dynamo import items
from agent_memory.adapters.aws.dynamo.items import Item, n, s
from agent_memory.adapters.aws.dynamo.memory_stats import tenant_memory_items
from agent_memory.adapters.aws.dynamo.memory_writes import UNIQUE_POSITION, not_being_erased
from agent_memory.adapters.aws.dynamo.table import DynamoTable
from agent_memory.adapters.aws.errors import TransactionCancelled
from agent_memory.domain.clock import to_micros, utcnow
from agent_memory.domain.errors import DuplicateMemory, VersionConflict, being_erased
from agent_memory.domain.models import HistoryEntry, Memory, Owner

KINDS = {
    items.MEMORY_PREFIX: "memories",
    items.HISTORY_PREFIX: "history",
    items.ACCESS_PREFIX: "recall_counters",
    items.UNIQUE_PREFIX: "uniqueness_claims",
    items.RECALL_PREFIX: "recalls",
    items.GRAPH_PREFIX: "graph",
}
RESTORE_ERASURE_POSITION = 2
MAX_HISTORY_IN_TRANSACTION = 90
"""History entries written in a restored memory's transaction; the rest follow in batches."""


def _kind(item: Item) -> str | None:
    sort_key = str(item["sk"]["S"])
    return next((kind for prefix, kind in KINDS.items() if sort_key.startswith(prefix)), None)


class DynamoUserData:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def _records(self, owner: Owner) -> Iterator[Item]:
        """Keys of the user's memory records (not their job locks, not the erasure marker)."""
        for item in self._table.query(
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": s(items.user_pk(owner))},
            ProjectionExpression="pk, sk",
            ConsistentRead=True,
        ):
            if _kind(item) is not None:
                yield item

    def erase_page(self, owner: Owner, limit: int) -> dict[str, int]:
        page: list[Item] = []
        for item in self._records(owner):
            page.append(item)
            if len(page) == limit:
                break
        self._table.batch_delete(page)
        counts: dict[str, int] = {}
        for item in page:
            kind = str(_kind(item))
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    def residue(self, owner: Owner) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self._records(owner):
            kind = str(_kind(item))
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    def user_ids(self, tenant: str) -> list[str]:
        return sorted({str(items.text(item, "user_id")) for item in tenant_memory_items(self._table, tenant)})

    def begin_erasure(self, owner: Owner, operation_id: str, now: datetime) -> None:
        self._table.call(
            "put_item",
            Item={**items.erasure_key(owner), "operation_id": s(operation_id), "started_at": n(to_micros(now))},
        )

    def end_erasure(self, owner: Owner) -> None:
        self._table.call("delete_item", Key=items.erasure_key(owner))

    def erasure_of(self, owner: Owner) -> str | None:
        answer = self._table.call("get_item", Key=items.erasure_key(owner), ConsistentRead=True)
        mark = answer.get("Item")
        return None if mark is None else items.text(mark, "operation_id")

    def restore(
        self, entries: Sequence[tuple[Memory, Sequence[HistoryEntry], np.ndarray | None]]
    ) -> list[Memory | Exception]:
        results: list[Memory | Exception] = []
        for memory, history, vector in entries:
            try:
                results.append(self._restore_one(memory, history, vector))
            except (DuplicateMemory, VersionConflict) as exc:
                results.append(exc)
        return results

    def _restore_one(self, memory: Memory, history: Sequence[HistoryEntry], vector: np.ndarray | None) -> Memory:
        owner = memory.owner
        first, rest = list(history[:MAX_HISTORY_IN_TRANSACTION]), list(history[MAX_HISTORY_IN_TRANSACTION:])
        actions = [
            {"Put": {"Item": items.memory_item(memory, vector), "ConditionExpression": "attribute_not_exists(pk)"}},
            {
                "Put": {
                    "Item": items.unique_item(memory),
                    # As on insert: an expired memory (kept until TTL removes it) no longer reserves its content.
                    "ConditionExpression": "attribute_not_exists(pk) OR expires_at <= :now",
                    "ExpressionAttributeValues": {":now": n(to_micros(utcnow()))},
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            },
            not_being_erased(owner),
            *({"Put": {"Item": items.history_item(owner, entry)}} for entry in first),
        ]
        try:
            self._table.transact(actions)
        except TransactionCancelled as cancelled:
            if cancelled.failed(RESTORE_ERASURE_POSITION) is not None:
                raise being_erased(owner) from None
            if cancelled.failed(0) is not None:
                raise VersionConflict(f"Memory {memory.id} already exists.") from None
            held = cancelled.failed(UNIQUE_POSITION)
            if held is not None:
                raise DuplicateMemory(str(held.get("Item", {}).get("memory_id", {}).get("S", ""))) from None
            raise VersionConflict(f"Memory {memory.id} already exists.") from None
        self._table.batch_put([items.history_item(owner, entry) for entry in rest])
        return memory
