"""The graph projector Lambda: stream records of memory items become adjacency items, in order, idempotently, and
never from a record older than the memory it describes."""

from __future__ import annotations

import pytest

from agent_memory.adapters.aws.dynamo import items
from agent_memory.domain.clock import utcnow
from agent_memory.domain.models import Owner
from tests.aws_support import aws_runtime, dynamodb_client
from tests.integration.test_aws_search import _Context, _event

ALICE = Owner("acme", "alice")


@pytest.fixture
def projector(monkeypatch):
    import functions.streams.graph as module

    from agent_memory.entry import shared

    with aws_runtime() as (runtime, _):
        monkeypatch.setattr(shared, "shared_runtime", lambda: runtime)
        yield module.handler, runtime


def _graph(runtime) -> tuple[set[str], set[tuple[str, str, str]]]:
    store = runtime.aws.stores.graph  # read directly: no stream pump in between
    now = utcnow()
    return {m.entity.id for m in store.mentions(ALICE, now)}, {s.key for s in store.statements(ALICE, now)}


def _put_memory_at(record: dict) -> None:
    dynamodb_client().put_item(TableName="agent-memory-test", Item=record["dynamodb"]["NewImage"])


def test_given_a_memory_already_at_version_2_when_its_records_arrive_then_only_version_2_is_projected(
    projector,
) -> None:
    handler, runtime = projector
    event = _event("graph_memory_written.json")
    _put_memory_at(event["Records"][2])  # the table holds version 2, as it does once both writes happened

    assert handler(event, _Context()) == {"batchItemFailures": []}

    # The INSERT of version 1 was stale (its put is conditioned on the version) and the MODIFY projected version 2.
    assert _graph(runtime) == (
        {"place:berlin", "person:sofia"},
        {("user", "lives_in", "place:berlin"), ("user", "partner_of", "person:sofia")},
    )
    # When the same batch is delivered again, nothing changes.
    assert handler(event, _Context()) == {"batchItemFailures": []}
    assert _graph(runtime)[0] == {"place:berlin", "person:sofia"}


def test_given_a_projected_memory_when_it_is_removed_then_every_adjacency_item_goes_twice_without_complaint(
    projector,
) -> None:
    handler, runtime = projector
    event = _event("graph_memory_written.json")
    _put_memory_at(event["Records"][2])
    handler(event, _Context())

    dynamodb_client().delete_item(
        TableName="agent-memory-test", Key=items.memory_key(ALICE, "01JBX0TQ3M8W5N6Z2K4R7Y9C1D")
    )
    for _ in range(2):
        assert handler(_event("graph_memory_removed.json"), _Context()) == {"batchItemFailures": []}

    assert _graph(runtime) == (set(), set())


def test_given_a_removal_without_an_old_image_then_the_memorys_items_are_found_and_deleted(projector) -> None:
    handler, runtime = projector
    event = _event("graph_memory_written.json")
    _put_memory_at(event["Records"][2])
    handler(event, _Context())
    removal = _event("graph_memory_removed.json")
    del removal["Records"][0]["dynamodb"]["OldImage"]

    assert handler(removal, _Context()) == {"batchItemFailures": []}
    assert _graph(runtime) == (set(), set())


def test_given_a_malformed_memory_image_then_only_that_record_is_reported_as_failed(projector) -> None:
    handler, runtime = projector
    event = _event("graph_memory_written.json")
    _put_memory_at(event["Records"][2])
    del event["Records"][0]["dynamodb"]["NewImage"]["content"]

    answer = handler(event, _Context())

    assert answer == {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["dynamodb"]["SequenceNumber"]}]}
    assert _graph(runtime)[0] == {"place:berlin", "person:sofia"}
