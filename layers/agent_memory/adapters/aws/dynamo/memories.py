"""Memories, their vectors, history and recall counters in the single table (implements MemoryStore).

A memory's items live in its user's partition (key design in `items`); every write of a memory is one transaction
(`memory_writes`), and its recalls are counted in a small counter item beside it (`recall_counters`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import numpy as np

from agent_memory.adapters.aws.dynamo import items
from agent_memory.adapters.aws.dynamo.items import Item, s
from agent_memory.adapters.aws.dynamo.memory_stats import tenant_memory_items
from agent_memory.adapters.aws.dynamo.memory_writes import (
    ERASURE_POSITION,
    UNIQUE_POSITION,
    Action,
    delete_actions,
    insert_actions,
    update_actions,
)
from agent_memory.adapters.aws.dynamo.recall_counters import count_recall, counted
from agent_memory.adapters.aws.dynamo.schema import LSI1
from agent_memory.adapters.aws.dynamo.table import DynamoTable
from agent_memory.adapters.aws.dynamo.user_data import DynamoUserData
from agent_memory.adapters.aws.errors import ConditionFailed, TransactionCancelled
from agent_memory.domain.errors import DuplicateMemory, NotFound, VersionConflict, being_erased
from agent_memory.domain.filtering import admits, is_live
from agent_memory.domain.models import HistoryEntry, Memory, MemoryFilter, MemoryStats, Owner
from agent_memory.domain.stats import summarise
from agent_memory.domain.text import content_key
from agent_memory.ports import Position, StoredPage

ACCESS_COUNT_CONCURRENCY = 8
MAX_MEMORIES_PER_TRANSACTION = 25
MAX_TRANSACTION_ACTIONS = 100

Change = tuple[Memory, int, HistoryEntry, np.ndarray | None]


class DynamoMemories:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table
        whole = DynamoUserData(table)
        # A user's memories as a whole (erase, verify, restore, the erasure marker): see user_data.
        self.erase_page = whole.erase_page
        self.residue = whole.residue
        self.user_ids = whole.user_ids
        self.restore = whole.restore
        self.begin_erasure = whole.begin_erasure
        self.end_erasure = whole.end_erasure
        self.erasure_of = whole.erasure_of

    def purge_expired(self, now: datetime, limit: int) -> int:
        """Nothing to do: memory items carry DynamoDB's TTL attribute, and DynamoDB deletes them (reads already
        leave out what has expired)."""
        return 0

    # -- writes ---------------------------------------------------------------------------------

    def _existing_id(self, memory: Memory, cancelled: TransactionCancelled, position: int) -> str:
        """The id of the memory holding `memory`'s content, from the failed uniqueness action (or read afresh)."""
        reason = cancelled.failed(position) or {}
        existing = reason.get("Item", {}).get("memory_id", {}).get("S")
        if existing is None:
            key = items.unique_key(memory.owner, memory.content)
            found = self._table.call("get_item", Key=key, ConsistentRead=True).get("Item")
            existing = "" if found is None else found["memory_id"]["S"]
        return str(existing)

    def insert(self, memory: Memory, history: HistoryEntry, vector: np.ndarray | None = None) -> Memory:
        try:
            self._table.transact(insert_actions(memory, history, vector))
        except TransactionCancelled as cancelled:
            if cancelled.failed(ERASURE_POSITION) is not None:
                raise being_erased(memory.owner) from None
            if cancelled.failed(UNIQUE_POSITION) is not None:
                raise DuplicateMemory(self._existing_id(memory, cancelled, UNIQUE_POSITION)) from None
            raise VersionConflict(f"Memory {memory.id} already exists.") from None
        return memory

    def insert_many(
        self, entries: Sequence[tuple[Memory, HistoryEntry, np.ndarray | None]]
    ) -> list[Memory | Exception]:
        # One transaction per memory (a batch of 100 would need 300 items; DynamoDB allows 100). If a write fails
        # for any reason but a duplicate, the memories this batch already wrote are deleted again before the error
        # propagates, so a failed batch leaves nothing behind (short of the process dying mid-way).
        results: list[Memory | Exception] = []
        try:
            for memory, history, vector in entries:
                try:
                    results.append(self.insert(memory, history, vector))
                except DuplicateMemory as exc:
                    results.append(exc)
        except BaseException:
            written = [result for result in results if isinstance(result, Memory)]
            for memory in written:
                self.delete(memory.owner, [memory.id])
            raise
        return results

    def update(
        self, memory: Memory, expected_version: int, history: HistoryEntry, vector: np.ndarray | None = None
    ) -> Memory:
        self.update_many([(memory, expected_version, history, vector)])
        return memory

    def _one_claim_per_content(self, changes: Sequence[Change]) -> None:
        """Two memories of one transaction with the same normalised content would write its uniqueness item twice,
        which DynamoDB rejects as a malformed request (ValidationException), not as a failed condition. Refused here,
        before anything is sent, as the duplicate it is, naming the memory that holds the content now."""
        claimed: dict[str, Memory] = {}
        for memory, *_ in changes:
            first = claimed.setdefault(content_key(memory.content), memory)
            if first.id != memory.id:
                key = items.unique_key(memory.owner, memory.content)
                holder = self._table.call("get_item", Key=key, ConsistentRead=True).get("Item")
                raise DuplicateMemory(first.id if holder is None else holder["memory_id"]["S"])

    def update_many(self, changes: Sequence[Change], also: Sequence[Action] = ()) -> list[Memory]:
        """All in one transaction (at most 25 memories: up to four actions each, DynamoDB takes 100). `also` are
        another store's actions on this table committed with them, first (a job's lock and operation): when one of
        those fails, TransactionCancelled is raised for that store to read."""
        if len(changes) > MAX_MEMORIES_PER_TRANSACTION:
            raise ValueError(f"at most {MAX_MEMORIES_PER_TRANSACTION} memories change in one transaction")
        self._one_claim_per_content(changes)
        actions: list[Action] = list(also)
        unique_positions: list[tuple[int, Memory]] = []
        for memory, expected, history, vector in changes:
            current = self._get_item(memory.owner, memory.id)
            if current is None:
                raise NotFound(f"Memory {memory.id} was not found for this user.")
            unique_positions.append((len(actions) + UNIQUE_POSITION, memory))
            actions.extend(update_actions(current, memory, expected, history, vector))
        if len(actions) > MAX_TRANSACTION_ACTIONS:
            raise ValueError(f"a transaction takes at most {MAX_TRANSACTION_ACTIONS} actions, not {len(actions)}")
        try:
            self._table.transact(actions)
        except TransactionCancelled as cancelled:
            if any(cancelled.failed(position) is not None for position in range(len(also))):
                raise
            for position, memory in unique_positions:
                if cancelled.failed(position) is not None:
                    raise DuplicateMemory(self._existing_id(memory, cancelled, position)) from None
            raise VersionConflict("A memory changed while it was being updated; read it again and retry.") from None
        return [memory for memory, *_ in changes]

    def set_vectors(self, owner: Owner, model: str, vectors: Sequence[tuple[str, np.ndarray]]) -> int:
        """Replace stored vectors without a new version: a vector is derived data, not a change of the memory.
        The table's stream carries the change to the search index."""
        changed = 0
        for memory_id, vector in vectors:
            try:
                self._table.call(
                    "update_item",
                    Key=items.memory_key(owner, memory_id),
                    UpdateExpression="SET vector = :vector, embedding_model = :model",
                    ConditionExpression="attribute_exists(pk)",
                    ExpressionAttributeValues={
                        ":vector": {"B": np.asarray(vector, dtype=np.float32).tobytes()},
                        ":model": s(model),
                    },
                )
                changed += 1
            except ConditionFailed:
                continue  # deleted meanwhile: nothing to re-embed
        return changed

    def delete(self, owner: Owner, memory_ids: Sequence[str]) -> list[str]:
        deleted: list[str] = []
        for memory_id in dict.fromkeys(memory_ids):
            current = self._get_item(owner, memory_id)
            if current is None:
                continue
            content = items.memory_from_item(current).content
            try:
                self._table.transact(delete_actions(owner, memory_id, content))
            except TransactionCancelled:
                raise VersionConflict(f"Memory {memory_id} changed while it was being deleted; retry.") from None
            # Its history follows in batches (a memory's history can outgrow one transaction).
            history = self._history(owner, memory_id, ProjectionExpression="pk, sk")
            self._table.batch_delete([{"pk": found["pk"], "sk": found["sk"]} for found in history])
            deleted.append(memory_id)
        return deleted

    # -- reads ----------------------------------------------------------------------------------

    def _get_item(self, owner: Owner, memory_id: str) -> Item | None:
        found: Item | None = self._table.call(
            "get_item", Key=items.memory_key(owner, memory_id), ConsistentRead=True
        ).get("Item")
        return found

    def get(self, owner: Owner, memory_id: str, now: datetime) -> Memory | None:
        return self.get_many(owner, [memory_id], now).get(memory_id)

    def get_many(self, owner: Owner, memory_ids: Sequence[str], now: datetime) -> dict[str, Memory]:
        # Each memory is read with its recall counter, in the same request.
        unique_ids = list(dict.fromkeys(memory_ids))
        keys = [key for i in unique_ids for key in (items.memory_key(owner, i), items.access_key(owner, i))]
        found = self._table.batch_get(keys)
        counts = dict(items.access_count_of(item) for item in found if items.is_access_item(item))
        result: dict[str, Memory] = {}
        for item in found:
            if items.is_memory_item(item):
                memory = counted(items.memory_from_item(item), counts)
                if is_live(memory, now):
                    result[memory.id] = memory
        return result

    def _with_counts(self, owner: Owner, memories: list[Memory]) -> list[Memory]:
        if not memories:
            return memories
        keys = [items.access_key(owner, memory.id) for memory in memories]
        counts = dict(items.access_count_of(item) for item in self._table.batch_get(keys))
        return [counted(memory, counts) for memory in memories]

    def _memory_items(self, owner: Owner) -> Iterator[Item]:
        return self._table.query(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={":pk": s(items.user_pk(owner)), ":prefix": s(items.MEMORY_PREFIX)},
            ScanIndexForward=False,
            ConsistentRead=True,
        )

    def changed_since(self, owner: Owner, since: datetime) -> list[tuple[Memory, np.ndarray | None]]:
        """Memories of one user written after `since`, read with strong consistency (the index may lag them)."""
        # LSI1 holds keys only: it names the recent memories, and the items themselves come from the table.
        recent = self._table.query(
            IndexName=LSI1,
            KeyConditionExpression="pk = :pk AND lsi1sk > :since",
            ExpressionAttributeValues={":pk": s(items.user_pk(owner)), ":since": s(items.recent_key(since))},
            ProjectionExpression="pk, sk",
            ConsistentRead=True,
        )
        found = self._table.batch_get([{"pk": key["pk"], "sk": key["sk"]} for key in recent])
        return [(items.memory_from_item(item), items.vector_from_item(item)) for item in found]

    def vector_of(self, owner: Owner, memory_id: str) -> tuple[str, np.ndarray] | None:
        """The stored vector of one memory with the model that made it."""
        found = self._get_item(owner, memory_id)
        vector = None if found is None else items.vector_from_item(found)
        if found is None or vector is None:
            return None
        return str(items.text(found, "embedding_model")), vector

    def list_memories(
        self,
        owner: Owner,
        filters: MemoryFilter,
        now: datetime,
        limit: int,
        position: Position | None,
        offset: int,
    ) -> StoredPage:
        # DynamoDB filters after reading anyway, so the filter runs here, on the same rule as everywhere else; one
        # pass gives both the total and the page.
        before = None if position is None else position.get("before_id")
        if position is not None and not isinstance(before, str):
            raise ValueError("position needs before_id")
        total = 0
        page: list[Memory] = []
        skipped = 0
        for found in self._memory_items(owner):
            memory = items.memory_from_item(found)
            if not admits(filters, memory, now):
                continue
            total += 1
            if before is not None and not memory.id < before:
                continue
            if skipped < offset:
                skipped += 1
                continue
            if len(page) <= limit:
                page.append(memory)
        next_position = {"before_id": page[limit - 1].id} if len(page) > limit else None
        return StoredPage(items=self._with_counts(owner, page[:limit]), total=total, next_position=next_position)

    def memory_page(self, owner: Owner, after_id: str | None, limit: int) -> list[tuple[Memory, np.ndarray | None]]:
        """Up to `limit` memories of one user in id order after `after_id`, with their vectors."""
        request: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": s(items.user_pk(owner)), ":prefix": s(items.MEMORY_PREFIX)},
            "ConsistentRead": True,
            "Limit": limit,
        }
        if after_id is not None:
            request["ExclusiveStartKey"] = items.memory_key(owner, after_id)
        found: list[tuple[Memory, np.ndarray | None]] = []
        for item in self._table.query(**request):
            found.append((items.memory_from_item(item), items.vector_from_item(item)))
            if len(found) == limit:
                break
        if not found:
            return found
        # The page is a contiguous id range, and so are its counters: one query reads them (summed, not per item).
        counters = self._table.query(
            KeyConditionExpression="pk = :pk AND sk BETWEEN :first AND :last",
            ExpressionAttributeValues={
                ":pk": s(items.user_pk(owner)),
                ":first": s(items.ACCESS_PREFIX + found[0][0].id),
                ":last": s(items.ACCESS_PREFIX + found[-1][0].id),
            },
            ConsistentRead=True,
        )
        counts = dict(items.access_count_of(item) for item in counters)
        return [(counted(memory, counts), vector) for memory, vector in found]

    def _history(self, owner: Owner, memory_id: str, **kwargs: Any) -> Iterator[Item]:
        found = self._table.query(**items.history_query(s(items.user_pk(owner)), memory_id), **kwargs)
        return (item for item in found if items.is_history_of(str(item["sk"]["S"]), memory_id))

    def history(self, owner: Owner, memory_id: str) -> list[HistoryEntry]:
        return [items.history_from_item(item) for item in self._history(owner, memory_id, ConsistentRead=True)]

    def stats(self, tenant: str, user_id: str | None, now: datetime) -> MemoryStats:
        if user_id is not None:
            found: Iterator[Item] = self._memory_items(Owner(tenant, user_id))
        else:
            found = iter(tenant_memory_items(self._table, tenant))
        live = [m for m in map(items.memory_from_item, found) if admits(MemoryFilter(), m, now)]
        return summarise(live)

    # -- recalls --------------------------------------------------------------------------------

    def record_access(self, owner: Owner, memory_ids: Sequence[str]) -> None:
        # DynamoDB has no batch update: the increments run side by side so a page of hits costs one round trip.
        unique = list(dict.fromkeys(memory_ids))
        if len(unique) <= 1:
            for memory_id in unique:
                count_recall(self._table, owner, memory_id)
            return
        with ThreadPoolExecutor(max_workers=min(ACCESS_COUNT_CONCURRENCY, len(unique))) as pool:
            list(pool.map(lambda memory_id: count_recall(self._table, owner, memory_id), unique))
