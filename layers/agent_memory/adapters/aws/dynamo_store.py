"""DynamoDB single-table store: memories, uniqueness, history, settings, API keys and idempotency records.

Every write that must be atomic is one TransactWriteItems call; every check that protects data is a condition on that
call (no read-then-write races). boto errors become domain errors here and nowhere else.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

import numpy as np

from agent_memory.adapters.aws import dynamo_items as items
from agent_memory.adapters.aws.dynamo_items import Item, n, s
from agent_memory.adapters.aws.errors import ConditionFailed, TransactionCancelled, call
from agent_memory.domain.clock import from_micros, to_micros
from agent_memory.domain.errors import DuplicateMemory, NotFound, StoreUnavailable, VersionConflict
from agent_memory.domain.filtering import admits, is_live
from agent_memory.domain.limits import IDEMPOTENCY_LEASE_SECONDS, IDEMPOTENCY_TTL_SECONDS
from agent_memory.domain.models import (
    ApiKeyRecord,
    HistoryEntry,
    Memory,
    MemoryFilter,
    MemoryStats,
    Owner,
    Scope,
    StoredResponse,
    TenantSettings,
)
from agent_memory.domain.text import content_key
from agent_memory.ports import Position, StoredPage

BATCH_GET_LIMIT = 100
BATCH_WRITE_LIMIT = 25
ACCESS_COUNT_CONCURRENCY = 8
GSI1_QUERY_CONCURRENCY = 9
MAX_MEMORIES_PER_TRANSACTION = 25
MAX_TRANSACTION_ACTIONS = 100


def table_definition(name: str, legacy_projections: bool = False) -> dict[str, Any]:
    """The table as CreateTable arguments: the CDK stack declares the same keys, index, stream and TTL.

    GSI1 carries only the attributes its readers use and LSI1 only keys, so a memory's ~4 KB vector is written once,
    not three times. `legacy_projections` declares both indexes as tables created before that had them (everything
    projected): DynamoDB cannot change an existing index's projection (an LSI's never), and the store reads either."""
    gsi1_projection: dict[str, Any] = (
        {"ProjectionType": "ALL"}
        if legacy_projections
        else {"ProjectionType": "INCLUDE", "NonKeyAttributes": list(items.GSI1_ATTRIBUTES)}
    )
    lsi1_projection = {"ProjectionType": "ALL" if legacy_projections else "KEYS_ONLY"}
    return {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": attribute, "AttributeType": "S"}
            for attribute in ("pk", "sk", "gsi1pk", "gsi1sk", "lsi1sk")
        ],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": items.GSI1,
                "KeySchema": [
                    {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                    {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": gsi1_projection,
            }
        ],
        "LocalSecondaryIndexes": [
            {
                "IndexName": items.LSI1,
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "lsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": lsi1_projection,
            }
        ],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    }


class DynamoStore:
    """Implements MemoryStore, SettingsStore, KeyStore and IdempotencyStore on one DynamoDB table."""

    def __init__(self, table_name: str, client_factory: Callable[[], Any]) -> None:
        self._table = table_name
        self._client_factory = client_factory

    @cached_property
    def _client(self) -> Any:
        return self._client_factory()

    def call(self, operation: str, **kwargs: Any) -> Any:
        """One DynamoDB call on this table with errors in domain terms (for adapters sharing the table)."""
        return self._call(operation, **kwargs)

    def transact(self, actions: list[dict[str, Any]]) -> None:
        self._transact(actions)

    def query(self, **kwargs: Any) -> Iterator[Item]:
        return self._query(**kwargs)

    def _call(self, operation: str, **kwargs: Any) -> Any:
        if operation not in {"batch_get_item", "batch_write_item", "transact_write_items"}:
            kwargs.setdefault("TableName", self._table)
        return call(self._client, operation, self._table, **kwargs)

    def _transact(self, actions: list[dict[str, Any]]) -> None:
        for action in actions:
            next(iter(action.values()))["TableName"] = self._table
        self._call("transact_write_items", TransactItems=actions)

    # -- memories -------------------------------------------------------------------------------

    def _put_memory_actions(self, memory: Memory, history: HistoryEntry, vector: np.ndarray | None) -> list[Any]:
        now = n(to_micros(memory.updated_at))
        return [
            {"Put": {"Item": items.memory_item(memory, vector), "ConditionExpression": "attribute_not_exists(pk)"}},
            {
                "Put": {
                    "Item": items.unique_item(memory),
                    # A uniqueness item of an expired memory no longer reserves its content.
                    "ConditionExpression": "attribute_not_exists(pk) OR expires_at <= :now",
                    "ExpressionAttributeValues": {":now": now},
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            },
            {"Put": {"Item": items.history_item(memory.owner, history)}},
        ]

    def _existing_id(self, memory: Memory, cancelled: TransactionCancelled, position: int) -> str:
        reason = cancelled.failed(position) or {}
        existing = reason.get("Item", {}).get("memory_id", {}).get("S")
        if existing is None:
            found = self._call("get_item", Key=items.unique_key(memory.owner, memory.content), ConsistentRead=True).get(
                "Item"
            )
            existing = "" if found is None else found["memory_id"]["S"]
        return str(existing)

    def insert(self, memory: Memory, history: HistoryEntry, vector: np.ndarray | None = None) -> Memory:
        try:
            self._transact(self._put_memory_actions(memory, history, vector))
        except TransactionCancelled as cancelled:
            if cancelled.failed(1) is not None:
                raise DuplicateMemory(self._existing_id(memory, cancelled, 1)) from None
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

    def _get_item(self, owner: Owner, memory_id: str) -> Item | None:
        found: Item | None = self._call("get_item", Key=items.memory_key(owner, memory_id), ConsistentRead=True).get(
            "Item"
        )
        return found

    def get(self, owner: Owner, memory_id: str, now: datetime) -> Memory | None:
        return self.get_many(owner, [memory_id], now).get(memory_id)

    def _batch_get(self, keys: Sequence[Item]) -> list[Item]:
        """The items of these keys that exist (strongly consistent), in pages of BATCH_GET_LIMIT."""
        found: list[Item] = []
        for start in range(0, len(keys), BATCH_GET_LIMIT):
            request: dict[str, Any] = {
                self._table: {"Keys": list(keys[start : start + BATCH_GET_LIMIT]), "ConsistentRead": True}
            }
            while request:
                answer = self._call("batch_get_item", RequestItems=request)
                found.extend(answer.get("Responses", {}).get(self._table, []))
                request = answer.get("UnprocessedKeys") or {}
        return found

    def get_many(self, owner: Owner, memory_ids: Sequence[str], now: datetime) -> dict[str, Memory]:
        # Each memory is read with its recall counter, in the same request.
        unique_ids = list(dict.fromkeys(memory_ids))
        keys = [key for i in unique_ids for key in (items.memory_key(owner, i), items.access_key(owner, i))]
        found = self._batch_get(keys)
        counts = dict(items.access_count_of(item) for item in found if items.is_access_item(item))
        result: dict[str, Memory] = {}
        for item in found:
            if items.is_memory_item(item):
                memory = self._counted(items.memory_from_item(item), counts)
                if is_live(memory, now):
                    result[memory.id] = memory
        return result

    @staticmethod
    def _counted(memory: Memory, counts: dict[str, int]) -> Memory:
        """The memory with its recall count: the counter item's, or (no recall since counters) the one it carries."""
        count = counts.get(memory.id)
        return memory if count is None else memory.with_changes(access_count=count)

    def _with_counts(self, owner: Owner, memories: list[Memory]) -> list[Memory]:
        if not memories:
            return memories
        keys = [items.access_key(owner, memory.id) for memory in memories]
        counts = dict(items.access_count_of(item) for item in self._batch_get(keys))
        return [self._counted(memory, counts) for memory in memories]

    def _query(self, **kwargs: Any) -> Iterator[Item]:
        while True:
            answer = self._call("query", **kwargs)
            yield from answer.get("Items", [])
            if "LastEvaluatedKey" not in answer:
                return
            kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def _memory_items(self, owner: Owner) -> Iterator[Item]:
        return self._query(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={":pk": s(items.user_pk(owner)), ":prefix": s(items.MEMORY_PREFIX)},
            ScanIndexForward=False,
            ConsistentRead=True,
        )

    def memories_of(self, owner: Owner) -> Iterator[tuple[Memory, np.ndarray | None]]:
        """Every memory of one user with its vector, newest first (for index rebuilds and fresh-write merges)."""
        for found in self._memory_items(owner):
            yield items.memory_from_item(found), items.vector_from_item(found)

    def changed_since(self, owner: Owner, since: datetime) -> list[tuple[Memory, np.ndarray | None]]:
        """Memories of one user written after `since`, read with strong consistency (the index may lag them)."""
        # LSI1 holds keys only: it names the recent memories, and the items themselves come from the table.
        recent = self._query(
            IndexName=items.LSI1,
            KeyConditionExpression="pk = :pk AND lsi1sk > :since",
            ExpressionAttributeValues={":pk": s(items.user_pk(owner)), ":since": s(items.recent_key(since))},
            ProjectionExpression="pk, sk",
            ConsistentRead=True,
        )
        found = self._batch_get([{"pk": key["pk"], "sk": key["sk"]} for key in recent])
        return [(items.memory_from_item(item), items.vector_from_item(item)) for item in found]

    def vector_of(self, owner: Owner, memory_id: str) -> tuple[str, np.ndarray] | None:
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

    def _update_actions(
        self, memory: Memory, expected_version: int, history: HistoryEntry, vector: np.ndarray | None
    ) -> list[Any]:
        current = self._get_item(memory.owner, memory.id)
        if current is None:
            raise NotFound(f"Memory {memory.id} was not found for this user.")
        stored = items.memory_from_item(current)
        if stored.version != expected_version:
            raise VersionConflict(
                f"Memory {memory.id} is at version {stored.version}, not {expected_version}; read it again and retry."
            )
        kept_vector = vector if vector is not None else items.vector_from_item(current)
        now = n(to_micros(memory.updated_at))
        actions: list[dict[str, Any]] = [
            {
                "Put": {
                    "Item": items.memory_item(memory, kept_vector),
                    "ConditionExpression": "version = :expected",
                    "ExpressionAttributeValues": {":expected": n(expected_version)},
                }
            },
            {
                "Put": {
                    "Item": items.unique_item(memory),
                    "ConditionExpression": "attribute_not_exists(pk) OR memory_id = :id OR expires_at <= :now",
                    "ExpressionAttributeValues": {":id": s(memory.id), ":now": now},
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            },
            {"Put": {"Item": items.history_item(memory.owner, history)}},
        ]
        if content_key(stored.content) != content_key(memory.content):
            actions.append(
                {
                    "Delete": {
                        "Key": items.unique_key(memory.owner, stored.content),
                        "ConditionExpression": "attribute_not_exists(pk) OR memory_id = :id",
                        "ExpressionAttributeValues": {":id": s(memory.id)},
                    }
                }
            )
        return actions

    def update(
        self, memory: Memory, expected_version: int, history: HistoryEntry, vector: np.ndarray | None = None
    ) -> Memory:
        self.update_many([(memory, expected_version, history, vector)])
        return memory

    def _one_claim_per_content(self, changes: Sequence[tuple[Memory, int, HistoryEntry, np.ndarray | None]]) -> None:
        """Two memories of one transaction with the same normalised content would write its uniqueness item twice,
        which DynamoDB rejects as a malformed request (ValidationException), not as a failed condition. Refused here,
        before anything is sent, as the duplicate it is, naming the memory that holds the content now."""
        claimed: dict[str, Memory] = {}
        for memory, *_ in changes:
            first = claimed.setdefault(content_key(memory.content), memory)
            if first.id != memory.id:
                key = items.unique_key(memory.owner, memory.content)
                holder = self._call("get_item", Key=key, ConsistentRead=True).get("Item")
                raise DuplicateMemory(first.id if holder is None else holder["memory_id"]["S"])

    def update_many(
        self,
        changes: Sequence[tuple[Memory, int, HistoryEntry, np.ndarray | None]],
        also: Sequence[dict[str, Any]] = (),
    ) -> list[Memory]:
        """All in one transaction (at most 25 memories: up to four actions each, DynamoDB takes 100). `also` are
        another adapter's actions on this table committed with them, first (a job's lock and operation): when one of
        those fails, TransactionCancelled is raised for that adapter to read."""
        if len(changes) > MAX_MEMORIES_PER_TRANSACTION:
            raise ValueError(f"at most {MAX_MEMORIES_PER_TRANSACTION} memories change in one transaction")
        self._one_claim_per_content(changes)
        actions: list[dict[str, Any]] = list(also)
        unique_positions: list[tuple[int, Memory]] = []
        for memory, expected, history, vector in changes:
            unique_positions.append((len(actions) + 1, memory))
            actions.extend(self._update_actions(memory, expected, history, vector))
        if len(actions) > MAX_TRANSACTION_ACTIONS:
            raise ValueError(f"a transaction takes at most {MAX_TRANSACTION_ACTIONS} actions, not {len(actions)}")
        try:
            self._transact(actions)
        except TransactionCancelled as cancelled:
            if any(cancelled.failed(position) is not None for position in range(len(also))):
                raise
            for position, memory in unique_positions:
                if cancelled.failed(position) is not None:
                    raise DuplicateMemory(self._existing_id(memory, cancelled, position)) from None
            raise VersionConflict("A memory changed while it was being updated; read it again and retry.") from None
        return [memory for memory, *_ in changes]

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
        for item in self._query(**request):
            found.append((items.memory_from_item(item), items.vector_from_item(item)))
            if len(found) == limit:
                break
        if not found:
            return found
        # The page is a contiguous id range, and so are its counters: one query reads them (summed, not per item).
        counters = self._query(
            KeyConditionExpression="pk = :pk AND sk BETWEEN :first AND :last",
            ExpressionAttributeValues={
                ":pk": s(items.user_pk(owner)),
                ":first": s(items.ACCESS_PREFIX + found[0][0].id),
                ":last": s(items.ACCESS_PREFIX + found[-1][0].id),
            },
            ConsistentRead=True,
        )
        counts = dict(items.access_count_of(item) for item in counters)
        return [(self._counted(memory, counts), vector) for memory, vector in found]

    def set_vectors(self, owner: Owner, model: str, vectors: Sequence[tuple[str, np.ndarray]]) -> int:
        """Replace stored vectors without a new version: a vector is derived data, not a change of the memory.
        The table's stream carries the change to the search index."""
        changed = 0
        for memory_id, vector in vectors:
            try:
                self._call(
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

    def _history_keys(self, owner: Owner, memory_id: str) -> list[Item]:
        return [
            {"pk": found["pk"], "sk": found["sk"]}
            for found in self._query(
                KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
                ExpressionAttributeValues={
                    ":pk": s(items.user_pk(owner)),
                    ":prefix": s(f"{items.HISTORY_PREFIX}{memory_id}#"),
                },
                ProjectionExpression="pk, sk",
            )
        ]

    def _batch_delete(self, keys: list[Item]) -> None:
        for start in range(0, len(keys), BATCH_WRITE_LIMIT):
            request: dict[str, Any] = {
                self._table: [{"DeleteRequest": {"Key": key}} for key in keys[start : start + BATCH_WRITE_LIMIT]]
            }
            while request:
                request = self._call("batch_write_item", RequestItems=request).get("UnprocessedItems") or {}

    def delete(self, owner: Owner, memory_ids: Sequence[str]) -> list[str]:
        deleted: list[str] = []
        for memory_id in dict.fromkeys(memory_ids):
            current = self._get_item(owner, memory_id)
            if current is None:
                continue
            content = items.memory_from_item(current).content
            try:
                # The record, its uniqueness item and its recall counter go together; its history follows in
                # batches (a memory's history can outgrow one transaction).
                self._transact(
                    [
                        {"Delete": {"Key": items.memory_key(owner, memory_id)}},
                        {
                            "Delete": {
                                "Key": items.unique_key(owner, content),
                                "ConditionExpression": "attribute_not_exists(pk) OR memory_id = :id",
                                "ExpressionAttributeValues": {":id": s(memory_id)},
                            }
                        },
                        {"Delete": {"Key": items.access_key(owner, memory_id)}},
                    ]
                )
            except TransactionCancelled:
                raise VersionConflict(f"Memory {memory_id} changed while it was being deleted; retry.") from None
            self._batch_delete(self._history_keys(owner, memory_id))
            deleted.append(memory_id)
        return deleted

    def history(self, owner: Owner, memory_id: str) -> list[HistoryEntry]:
        found = self._query(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={
                ":pk": s(items.user_pk(owner)),
                ":prefix": s(f"{items.HISTORY_PREFIX}{memory_id}#"),
            },
            ConsistentRead=True,
        )
        return [items.history_from_item(item) for item in found]

    def _count_access(self, owner: Owner, memory_id: str) -> None:
        """One recall: +1 on the memory's counter item (a small item; the memory, its indexes and its stream are not
        touched). The first recall creates the counter, starting from the count the memory carries, and only while
        the memory exists (one transaction), so a counter never outlives its memory: delete removes both together."""
        for attempt in range(2):
            try:
                self._call(
                    "update_item",
                    Key=items.access_key(owner, memory_id),
                    UpdateExpression="ADD access_count :one",
                    ConditionExpression="attribute_exists(pk)",
                    ExpressionAttributeValues={":one": n(1)},
                )
                return
            except ConditionFailed:
                pass  # no counter yet
            found = self._call(
                "get_item",
                Key=items.memory_key(owner, memory_id),
                ProjectionExpression="access_count",
                ConsistentRead=True,
            ).get("Item")
            if found is None:
                return  # deleted meanwhile: nothing to count
            try:
                self._transact(
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

    def record_access(self, owner: Owner, memory_ids: Sequence[str]) -> None:
        # DynamoDB has no batch update: the increments run side by side so a page of hits costs one round trip.
        unique = list(dict.fromkeys(memory_ids))
        if len(unique) <= 1:
            for memory_id in unique:
                self._count_access(owner, memory_id)
            return
        with ThreadPoolExecutor(max_workers=min(ACCESS_COUNT_CONCURRENCY, len(unique))) as pool:
            list(pool.map(lambda memory_id: self._count_access(owner, memory_id), unique))

    def stats(self, tenant: str, user_id: str | None, now: datetime) -> MemoryStats:
        if user_id is not None:
            found: Iterator[Item] = self._memory_items(Owner(tenant, user_id))
        else:
            found = iter(self._tenant_memory_items(tenant))
        live = [m for m in map(items.memory_from_item, found) if admits(MemoryFilter(), m, now)]
        return summarise(live)

    def _tenant_memory_items(self, tenant: str) -> list[Item]:
        """A tenant's memories from GSI1 (its projected attributes), its partitions queried side by side."""

        def partition(pk: str) -> list[Item]:
            return list(
                self._query(
                    IndexName=items.GSI1,
                    KeyConditionExpression="gsi1pk = :pk AND begins_with(gsi1sk, :prefix)",
                    ExpressionAttributeValues={":pk": s(pk), ":prefix": s(items.MEMORY_PREFIX)},
                )
            )

        partitions = items.tenant_memory_partitions(tenant)
        with ThreadPoolExecutor(max_workers=min(GSI1_QUERY_CONCURRENCY, len(partitions))) as pool:
            return [item for found in pool.map(partition, partitions) for item in found]

    # -- settings -------------------------------------------------------------------------------

    def _settings_key(self, tenant: str) -> Item:
        return {"pk": s(items.tenant_pk(tenant)), "sk": s(items.SETTINGS_SK)}

    def get_settings(self, tenant: str) -> TenantSettings:
        found = self._call("get_item", Key=self._settings_key(tenant), ConsistentRead=True).get("Item")
        return TenantSettings() if found is None else TenantSettings(**json.loads(found["data"]["S"]))

    def put_settings(self, tenant: str, settings: TenantSettings) -> TenantSettings:
        data = {"max_content_chars": settings.max_content_chars, "default_memory_mode": settings.default_memory_mode}
        self._call("put_item", Item={**self._settings_key(tenant), "data": s(json.dumps(data))})
        return settings

    # -- API keys -------------------------------------------------------------------------------

    def add_key(self, record: ApiKeyRecord, key_hash: str) -> None:
        item: Item = {
            "pk": s(f"K#{key_hash}"),
            "sk": s(items.KEY_SK),
            "gsi1pk": s(items.KEYS_INDEX_PK),
            "gsi1sk": s(record.key_id),
            "key_id": s(record.key_id),
            "tenant": s(record.tenant),
            "scopes": {"L": [s(scope.value) for scope in sorted(record.scopes)]},
            "created_at": n(to_micros(record.created_at)),
        }
        if record.name is not None:
            item["name"] = s(record.name)
        self._call("put_item", Item=item, ConditionExpression="attribute_not_exists(pk)")

    @staticmethod
    def _key_record(item: Item) -> ApiKeyRecord:
        revoked = items.integer(item, "revoked_at")
        return ApiKeyRecord(
            key_id=item["key_id"]["S"],
            tenant=item["tenant"]["S"],
            scopes=frozenset(Scope(value["S"]) for value in item["scopes"]["L"]),
            created_at=from_micros(int(item["created_at"]["N"])),
            name=items.text(item, "name"),
            revoked_at=None if revoked is None else from_micros(revoked),
        )

    def find_key(self, key_hash: str) -> ApiKeyRecord | None:
        found = self._call("get_item", Key={"pk": s(f"K#{key_hash}"), "sk": s(items.KEY_SK)}, ConsistentRead=True).get(
            "Item"
        )
        return None if found is None else self._key_record(found)

    def _key_items(self, key_id: str | None = None) -> list[Item]:
        condition = "gsi1pk = :pk" + ("" if key_id is None else " AND gsi1sk = :id")
        values: Item = {":pk": s(items.KEYS_INDEX_PK)}
        if key_id is not None:
            values[":id"] = s(key_id)
        return list(
            self._query(IndexName=items.GSI1, KeyConditionExpression=condition, ExpressionAttributeValues=values)
        )

    def list_keys(self, tenant: str | None) -> list[ApiKeyRecord]:
        records = [self._key_record(item) for item in self._key_items()]
        return sorted(
            (r for r in records if tenant is None or r.tenant == tenant), key=lambda r: (r.created_at, r.key_id)
        )

    def revoke_key(self, key_id: str, at: datetime) -> bool:
        for found in self._key_items(key_id):
            try:
                self._call(
                    "update_item",
                    Key={"pk": found["pk"], "sk": found["sk"]},
                    UpdateExpression="SET revoked_at = :at",
                    ConditionExpression="attribute_exists(pk) AND attribute_not_exists(revoked_at)",
                    ExpressionAttributeValues={":at": n(to_micros(at))},
                )
                return True
            except ConditionFailed:
                return False
        return False

    # -- idempotency ----------------------------------------------------------------------------

    def _idempotency_key(self, tenant: str, key: str) -> Item:
        return {"pk": s(items.tenant_pk(tenant)), "sk": s(items.IDEMPOTENCY_PREFIX + key)}

    def reserve(self, tenant: str, key: str, fingerprint: str, now: datetime) -> StoredResponse | None:
        stale = to_micros(now - timedelta(seconds=IDEMPOTENCY_TTL_SECONDS))
        try:
            self._call(
                "put_item",
                Item={
                    **self._idempotency_key(tenant, key),
                    "fingerprint": s(fingerprint),
                    "created_at": n(to_micros(now)),
                    "ttl": n(items.epoch_seconds(now) + IDEMPOTENCY_TTL_SECONDS),
                },
                # Expired outcomes, and reservations whose request died before completing, give the key back.
                ConditionExpression=(
                    "attribute_not_exists(pk) OR created_at < :stale"
                    " OR (attribute_not_exists(#status) AND created_at < :lapsed)"
                ),
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":stale": n(stale),
                    ":lapsed": n(to_micros(now - timedelta(seconds=IDEMPOTENCY_LEASE_SECONDS))),
                },
            )
            return None
        except ConditionFailed:
            found = self._call("get_item", Key=self._idempotency_key(tenant, key), ConsistentRead=True)["Item"]
            return StoredResponse(
                fingerprint=found["fingerprint"]["S"],
                status=items.integer(found, "status"),
                body=bytes(found["body"]["B"]) if "body" in found else b"",
                created_at=from_micros(int(found["created_at"]["N"])),
            )

    def complete(self, tenant: str, key: str, status: int, body: bytes) -> None:
        self._call(
            "update_item",
            Key=self._idempotency_key(tenant, key),
            UpdateExpression="SET #status = :status, body = :body",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":status": n(status), ":body": {"B": body}},
        )

    def release(self, tenant: str, key: str) -> None:
        self._call("delete_item", Key=self._idempotency_key(tenant, key))


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
