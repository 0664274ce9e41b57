"""DynamoDB store specifics beyond the shared contract: faults, late TTL, big histories, awkward ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import numpy as np
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from agent_memory.adapters.aws.dynamo import open_stores
from agent_memory.adapters.aws.dynamo.items import access_key, history_item, memory_key, tenant_memory_partitions
from agent_memory.adapters.aws.dynamo.memories import DynamoMemories
from agent_memory.adapters.aws.dynamo.schema import GSI1, table_definition
from agent_memory.adapters.aws.dynamo.table import DynamoTable
from agent_memory.domain.errors import ConfigurationError, StoreUnavailable, VersionConflict
from agent_memory.domain.ids import UlidGenerator
from agent_memory.domain.models import HistoryEntry, HistoryEvent, Memory, MemoryFilter, Owner, Source
from tests.aws_support import REGION, TABLE, StreamPump, dynamo_table, dynamodb_client, fake_credentials

T0 = datetime(2026, 1, 1, tzinfo=UTC)
_ids = UlidGenerator()


def memory(content: str, owner: Owner = Owner("acme", "alice"), **fields) -> Memory:
    return Memory(
        id=_ids(),
        tenant=owner.tenant,
        user_id=owner.user_id,
        content=content,
        source=Source.API,
        **{"created_at": T0, "updated_at": T0, **fields},
    )


def created(item: Memory) -> HistoryEntry:
    return HistoryEntry(item.id, 1, HistoryEvent.CREATED, T0, item.content, None, ())


def stubbed_store() -> tuple[DynamoMemories, Stubber]:
    fake_credentials()
    client = boto3.client("dynamodb", region_name=REGION)
    return open_stores("t", lambda: client).memories, Stubber(client)


@pytest.mark.parametrize(
    "code", ["ProvisionedThroughputExceededException", "ThrottlingException", "InternalServerError"]
)
def test_throttling_that_outlasts_retries_is_a_503(code: str) -> None:
    # Given DynamoDB answering with a throttling error
    store, stubber = stubbed_store()
    stubber.add_client_error("batch_get_item", service_error_code=code, http_status_code=400)
    # Then the read fails as StoreUnavailable (503 + Retry-After at the edge), not as a crash
    with stubber, pytest.raises(StoreUnavailable):
        store.get(Owner("acme", "alice"), "m1", T0)


def test_a_transaction_cancelled_by_a_concurrent_one_is_retryable() -> None:
    store, stubber = stubbed_store()
    stubber.add_client_error(
        "transact_write_items",
        service_error_code="TransactionCanceledException",
        http_status_code=400,
        response_meta={},
        modeled_fields={"CancellationReasons": [{"Code": "TransactionConflict"}, {"Code": "None"}, {"Code": "None"}]},
    )
    item = memory("likes tea")
    with stubber, pytest.raises(StoreUnavailable):
        store.insert(item, created(item))


def test_a_missing_table_is_a_configuration_error() -> None:
    with dynamo_table() as existing:
        assert existing is not None
        store = open_stores("no-such-table", existing.table._client_factory).memories
        with pytest.raises(ConfigurationError, match="no-such-table"):
            store.get(Owner("acme", "alice"), "m1", T0)


def test_expired_items_are_hidden_although_dynamodb_has_not_deleted_them_yet() -> None:
    with dynamo_table() as stores:
        store = stores.memories
        owner = Owner("acme", "alice")
        item = memory("short-lived", expires_at=T0 + timedelta(minutes=1))
        store.insert(item, created(item))
        later = T0 + timedelta(minutes=2)
        assert store.get(owner, item.id, T0) is not None
        assert store.get(owner, item.id, later) is None
        assert store.get_many(owner, [item.id], later) == {}
        assert store.list_memories(owner, MemoryFilter(), later, 10, None, 0).total == 0
        # And its content can be stored again once it has expired
        again = memory("short-lived", created_at=later, updated_at=later)
        store.insert(again, created(again))
        assert store.get(owner, again.id, later) is not None


def test_deleting_a_memory_with_a_long_history_removes_all_of_it() -> None:
    with dynamo_table() as stores:
        store = stores.memories
        owner = Owner("acme", "alice")
        current = memory("version 1")
        store.insert(current, created(current))
        # Given more history entries than one transaction could hold (written directly: updating 150 times is slow)
        entries = [
            history_item(owner, HistoryEntry(current.id, v, HistoryEvent.UPDATED, T0, f"v{v}", None, ()))
            for v in range(2, 152)
        ]
        for start in range(0, len(entries), 25):
            stores.table.call(
                "batch_write_item",
                RequestItems={TABLE: [{"PutRequest": {"Item": item}} for item in entries[start : start + 25]]},
            )
        assert len(store.history(owner, current.id)) == 151
        # When it is deleted, then all of it goes, and its content is free again
        assert store.delete(owner, [current.id]) == [current.id]
        assert store.history(owner, current.id) == []
        fresh = memory("version 1")
        store.insert(fresh, created(fresh))


def test_ids_with_key_separators_cannot_reach_another_users_records() -> None:
    with dynamo_table() as stores:
        store = stores.memories
        tricky = Owner("acme", "a#M#b")
        plain = Owner("acme", "a")
        item = memory("secret", owner=tricky)
        store.insert(item, created(item))
        assert store.get(tricky, item.id, T0) is not None
        assert store.list_memories(plain, MemoryFilter(), T0, 10, None, 0).total == 0


def test_a_stale_version_loses_the_race() -> None:
    with dynamo_table() as stores:
        store = stores.memories
        item = memory("v1")
        store.insert(item, created(item))
        first = item.with_changes(content="v2 by one writer", version=2)
        second = item.with_changes(content="v2 by another", version=2)
        entry = HistoryEntry(item.id, 2, HistoryEvent.UPDATED, T0, "x", "v1", ("content",))
        store.update(first, 1, entry)
        with pytest.raises(VersionConflict):
            store.update(second, 1, entry)
        assert store.get(item.owner, item.id, T0).content == "v2 by one writer"


# -- recall counters, index projections and the sharded tenant partition ---------------------------------------


def _raw(table: DynamoTable, key: dict) -> dict | None:
    return table.call("get_item", Key=key, ConsistentRead=True).get("Item")


def test_a_recall_writes_only_the_small_counter_item_never_the_memory_its_indexes_or_its_stream() -> None:
    with dynamo_table() as stores:
        store = stores.memories
        owner = Owner("acme", "alice")
        # Given a memory with a full-size vector, and its writes already read from the stream
        item = memory("likes tea", embedding_model="titan-1024")
        store.insert(item, created(item), np.ones(1024, dtype=np.float32) / 32)
        before = _raw(stores.table, memory_key(owner, item.id))
        changed: list[str] = []
        pump = StreamPump(TABLE, lambda record: changed.append(record["dynamodb"]["Keys"]["sk"]["S"]))
        pump.drain()
        changed.clear()
        # When it is recalled twice
        store.record_access(owner, [item.id])
        store.record_access(owner, [item.id])
        # Then the memory item is exactly as it was, and the stream carries only the counter's changes
        assert _raw(stores.table, memory_key(owner, item.id)) == before
        pump.drain()
        assert changed and set(changed) == {f"A#{item.id}"}
        # And every read reports the recalls
        assert store.get(owner, item.id, T0).access_count == 2
        assert store.get_many(owner, [item.id], T0)[item.id].access_count == 2
        assert store.list_memories(owner, MemoryFilter(), T0, 10, None, 0).items[0].access_count == 2
        assert store.memory_page(owner, None, 10)[0][0].access_count == 2


def test_a_memory_written_before_counters_keeps_its_count_and_goes_on_from_it() -> None:
    with dynamo_table() as stores:
        store = stores.memories
        owner = Owner("acme", "alice")
        # Given a memory whose item carries its count, as every item did before counter items
        item = memory("likes tea", access_count=7)
        store.insert(item, created(item))
        assert _raw(stores.table, access_key(owner, item.id)) is None
        assert store.get(owner, item.id, T0).access_count == 7
        # When it is recalled
        store.record_access(owner, [item.id])
        # Then the count goes on from the stored one, in the counter; the memory item is left as it was
        assert store.get(owner, item.id, T0).access_count == 8
        assert _raw(stores.table, access_key(owner, item.id))["access_count"] == {"N": "8"}
        assert _raw(stores.table, memory_key(owner, item.id))["access_count"] == {"N": "7"}
        # And an update of the memory keeps reporting the counter's count
        current = store.get(owner, item.id, T0)
        entry = HistoryEntry(item.id, 2, HistoryEvent.UPDATED, T0, "likes green tea", item.content, ("content",))
        store.update(current.with_changes(content="likes green tea", version=2), 1, entry)
        store.record_access(owner, [item.id])
        assert store.get(owner, item.id, T0).access_count == 9


def test_a_counter_never_outlives_its_memory() -> None:
    with dynamo_table() as stores:
        store = stores.memories
        owner = Owner("acme", "alice")
        item = memory("likes tea")
        store.insert(item, created(item))
        store.record_access(owner, [item.id])
        assert _raw(stores.table, access_key(owner, item.id)) is not None
        # When the memory is deleted, its counter goes with it
        store.delete(owner, [item.id])
        assert _raw(stores.table, access_key(owner, item.id)) is None
        # And a recall arriving after the delete (a search that hydrated it just before) creates none
        store.record_access(owner, [item.id])
        assert _raw(stores.table, access_key(owner, item.id)) is None


def test_a_first_recall_racing_a_delete_creates_no_counter(monkeypatch) -> None:
    with dynamo_table() as stores:
        store = stores.memories
        owner = Owner("acme", "alice")
        item = memory("likes tea")
        store.insert(item, created(item))
        # Given the memory deleted between the recall's read of its stored count and the counter's creation
        original = stores.table.transact

        def delete_first(actions):
            if any("ConditionCheck" in action for action in actions):
                store.delete(owner, [item.id])
            return original(actions)

        monkeypatch.setattr(stores.table, "transact", delete_first)
        store.record_access(owner, [item.id])
        monkeypatch.undo()
        # Then no counter was left behind
        assert _raw(stores.table, access_key(owner, item.id)) is None


def test_indexes_carry_no_vector_and_the_tenant_partition_is_spread_over_shards() -> None:
    definition = table_definition("t")
    (gsi1,) = definition["GlobalSecondaryIndexes"]
    (lsi1,) = definition["LocalSecondaryIndexes"]
    assert gsi1["Projection"]["ProjectionType"] == "INCLUDE" and "vector" not in gsi1["Projection"]["NonKeyAttributes"]
    assert lsi1["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    with dynamo_table() as stores:
        store = stores.memories
        # Given forty memories of one tenant, with vectors
        for n in range(40):
            item = memory(f"fact {n}", owner=Owner("acme", f"user-{n % 4}"), embedding_model="titan-1024")
            store.insert(item, created(item), np.ones(1024, dtype=np.float32) / 32)
        # Then GSI1 holds no vector and spreads them over several partitions
        indexed = [
            found
            for pk in tenant_memory_partitions("acme")
            for found in stores.table.query(
                IndexName=GSI1, KeyConditionExpression="gsi1pk = :pk", ExpressionAttributeValues={":pk": {"S": pk}}
            )
        ]
        assert len(indexed) == 40 and not any("vector" in found for found in indexed)
        assert len({found["gsi1pk"]["S"] for found in indexed}) > 4
        # And tenant-wide statistics count them all
        assert store.stats("acme", None, T0).total == 40


def test_tenant_statistics_count_memories_written_before_sharding() -> None:
    with dynamo_table() as stores:
        store = stores.memories
        item = memory("written long ago")
        store.insert(item, created(item))
        # Given an item still in the unsharded tenant partition
        stores.table.call(
            "update_item",
            Key=memory_key(item.owner, item.id),
            UpdateExpression="SET gsi1pk = :legacy",
            ExpressionAttributeValues={":legacy": {"S": "T#acme"}},
        )
        fresh = memory("written now")
        store.insert(fresh, created(fresh))
        # Then tenant-wide statistics still count it
        assert store.stats("acme", None, T0).total == 2


@pytest.mark.parametrize("legacy", [False, True], ids=["lean-indexes", "legacy-indexes"])
def test_the_store_reads_tables_with_either_index_projection(legacy: bool) -> None:
    # Given a table created with the current projections, or one created before them (everything projected)
    fake_credentials()
    with mock_aws():
        dynamodb_client().create_table(**table_definition(TABLE, legacy_projections=legacy))
        store = open_stores(TABLE, dynamodb_client).memories
        owner = Owner("acme", "alice")
        item = memory("likes tea", embedding_model="titan-4")
        store.insert(item, created(item), np.array([1, 0, 0, 0], dtype=np.float32))
        # Then the fresh-write read and tenant statistics work alike
        ((recent, vector),) = store.changed_since(owner, T0 - timedelta(seconds=1))
        assert recent == item and vector is not None and vector.tolist() == [1, 0, 0, 0]
        assert store.stats("acme", None, T0).total == 1
