"""DynamoDB store specifics beyond the shared contract: faults, late TTL, big histories, awkward ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest
from botocore.stub import Stubber

from agent_memory.adapters.aws.dynamo_items import history_item
from agent_memory.adapters.aws.dynamo_store import DynamoStore
from agent_memory.domain.errors import ConfigurationError, StoreUnavailable, VersionConflict
from agent_memory.domain.ids import UlidGenerator
from agent_memory.domain.models import HistoryEntry, HistoryEvent, Memory, MemoryFilter, Owner, Source
from tests.aws_support import REGION, TABLE, dynamo_table, fake_credentials

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


def stubbed_store() -> tuple[DynamoStore, Stubber]:
    fake_credentials()
    client = boto3.client("dynamodb", region_name=REGION)
    return DynamoStore("t", lambda: client), Stubber(client)


@pytest.mark.parametrize(
    "code", ["ProvisionedThroughputExceededException", "ThrottlingException", "InternalServerError"]
)
def test_throttling_that_outlasts_retries_is_a_503(code: str) -> None:
    # Given DynamoDB answering with a throttling error
    store, stubber = stubbed_store()
    stubber.add_client_error("get_item", service_error_code=code, http_status_code=400)
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
        store = DynamoStore("no-such-table", existing._client_factory)
        with pytest.raises(ConfigurationError, match="no-such-table"):
            store.get(Owner("acme", "alice"), "m1", T0)


def test_expired_items_are_hidden_although_dynamodb_has_not_deleted_them_yet() -> None:
    with dynamo_table() as store:
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
    with dynamo_table() as store:
        owner = Owner("acme", "alice")
        current = memory("version 1")
        store.insert(current, created(current))
        # Given more history entries than one transaction could hold (written directly: updating 150 times is slow)
        entries = [
            history_item(owner, HistoryEntry(current.id, v, HistoryEvent.UPDATED, T0, f"v{v}", None, ()))
            for v in range(2, 152)
        ]
        for start in range(0, len(entries), 25):
            store._call(
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
    with dynamo_table() as store:
        tricky = Owner("acme", "a#M#b")
        plain = Owner("acme", "a")
        item = memory("secret", owner=tricky)
        store.insert(item, created(item))
        assert store.get(tricky, item.id, T0) is not None
        assert store.list_memories(plain, MemoryFilter(), T0, 10, None, 0).total == 0


def test_a_stale_version_loses_the_race() -> None:
    with dynamo_table() as store:
        item = memory("v1")
        store.insert(item, created(item))
        first = item.with_changes(content="v2 by one writer", version=2)
        second = item.with_changes(content="v2 by another", version=2)
        entry = HistoryEntry(item.id, 2, HistoryEvent.UPDATED, T0, "x", "v1", ("content",))
        store.update(first, 1, entry)
        with pytest.raises(VersionConflict):
            store.update(second, 1, entry)
        assert store.get(item.owner, item.id, T0).content == "v2 by one writer"
