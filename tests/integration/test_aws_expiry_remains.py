"""What a memory leaves behind when DynamoDB's TTL removes it: the memory item goes alone, and the graph projector,
reading the stream's REMOVE record, takes its history and recall counter with it (the local sweep deletes them in
its own transaction)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
from fastapi.testclient import TestClient

from agent_memory.adapters.aws.dynamo import items
from agent_memory.domain.clock import to_micros
from agent_memory.domain.models import Owner, Scope
from agent_memory.http.app import create_app
from tests.aws_support import REGION, TABLE, aws_runtime

ALICE = Owner("acme", "alice")


def _remains(memory_id: str) -> list[str]:
    answer = boto3.client("dynamodb", region_name=REGION).query(
        TableName=TABLE,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": items.user_pk(ALICE)}},
    )
    return [item["sk"]["S"] for item in answer["Items"] if memory_id in item["sk"]["S"]]


def test_given_a_memory_that_expired_when_ttl_removes_it_then_its_history_and_recall_counter_go_too() -> None:
    with aws_runtime() as (runtime, _):
        key, _ = runtime.keys.create("acme", frozenset({Scope.READ, Scope.WRITE}))
        client = TestClient(create_app(runtime), headers={"X-API-Key": key})
        # Given alice's memory, edited once and recalled once, and a memory of hers that stays
        expiring = client.post("/v1/memories", json={"user_id": "alice", "content": "Parking in bay 12"}).json()["id"]
        client.patch(f"/v1/memories/{expiring}", json={"user_id": "alice", "content": "Parking in bay 14"})
        kept = client.post("/v1/memories", json={"user_id": "alice", "content": "Parking permit renews in May"}).json()
        hits = client.get("/v1/memories/search", params={"user_id": "alice", "q": "bay 14"}).json()["results"]
        assert expiring in [hit["memory"]["id"] for hit in hits]
        before = _remains(expiring)
        assert any(sk.startswith(items.HISTORY_PREFIX) for sk in before)
        assert items.ACCESS_PREFIX + expiring in before
        # And its expiry passed (set on the item, as a write with expires_at would have)
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        past = datetime.now(UTC) - timedelta(minutes=1)
        dynamodb.update_item(
            TableName=TABLE,
            Key=items.memory_key(ALICE, expiring),
            UpdateExpression="SET expires_at = :at",
            ExpressionAttributeValues={":at": {"N": str(to_micros(past))}},
        )
        # When TTL removes the memory item alone, and the stream's REMOVE record reaches the projector
        dynamodb.delete_item(TableName=TABLE, Key=items.memory_key(ALICE, expiring))
        runtime.graph_store.mentions(ALICE, datetime.now(UTC))  # drains the stream through the projector
        # Then nothing of it is left, and the other memory keeps its history
        assert _remains(expiring) == []
        history = client.get(f"/v1/memories/{kept['id']}/history", params={"user_id": "alice"}).json()
        assert len(history["entries"]) == 1
