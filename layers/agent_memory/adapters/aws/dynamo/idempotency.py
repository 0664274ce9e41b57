"""Idempotency-Key records in the single table (implements IdempotencyStore): one item per (tenant, key), with a TTL.

A key is reserved by a conditional put, so of two concurrent requests with one key exactly one does the work.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

from agent_memory.adapters.aws.dynamo import items
from agent_memory.adapters.aws.dynamo.items import Item, n, s
from agent_memory.adapters.aws.dynamo.schema import TTL_ATTRIBUTE
from agent_memory.adapters.aws.dynamo.table import DynamoTable
from agent_memory.adapters.aws.errors import ConditionFailed
from agent_memory.domain.clock import from_micros, to_micros
from agent_memory.domain.limits import IDEMPOTENCY_LEASE_SECONDS, IDEMPOTENCY_TTL_SECONDS
from agent_memory.domain.models import StoredResponse


def _idempotency_key(tenant: str, key: str) -> Item:
    return {"pk": s(items.tenant_pk(tenant)), "sk": s(items.IDEMPOTENCY_PREFIX + key)}


class DynamoIdempotency:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def reserve(
        self, tenant: str, key: str, fingerprint: str, now: datetime, user_ids: Sequence[str] = ()
    ) -> StoredResponse | None:
        stale = to_micros(now - timedelta(seconds=IDEMPOTENCY_TTL_SECONDS))
        record: Item = {
            **_idempotency_key(tenant, key),
            "fingerprint": s(fingerprint),
            "created_at": n(to_micros(now)),
            TTL_ATTRIBUTE: n(items.epoch_seconds(now) + IDEMPOTENCY_TTL_SECONDS),
        }
        if user_ids:
            record["user_ids"] = {"SS": sorted(set(user_ids))}
        try:
            self._table.call(
                "put_item",
                Item=record,
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
            found = self._table.call("get_item", Key=_idempotency_key(tenant, key), ConsistentRead=True)["Item"]
            return StoredResponse(
                fingerprint=found["fingerprint"]["S"],
                status=items.integer(found, "status"),
                body=bytes(found["body"]["B"]) if "body" in found else b"",
                created_at=from_micros(int(found["created_at"]["N"])),
            )

    def complete(self, tenant: str, key: str, status: int, body: bytes) -> None:
        self._table.call(
            "update_item",
            Key=_idempotency_key(tenant, key),
            UpdateExpression="SET #status = :status, body = :body",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":status": n(status), ":body": {"B": body}},
        )

    def release(self, tenant: str, key: str) -> None:
        self._table.call("delete_item", Key=_idempotency_key(tenant, key))

    def _records_about(self, tenant: str, user_id: str) -> Iterator[Item]:
        return self._table.query(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            FilterExpression="contains(user_ids, :user)",
            ExpressionAttributeValues={
                ":pk": s(items.tenant_pk(tenant)),
                ":prefix": s(items.IDEMPOTENCY_PREFIX),
                ":user": s(user_id),
            },
            ProjectionExpression="pk, sk",
            ConsistentRead=True,
        )

    def erase_user(self, tenant: str, user_id: str) -> int:
        found = [{"pk": item["pk"], "sk": item["sk"]} for item in self._records_about(tenant, user_id)]
        self._table.batch_delete(found)
        return len(found)

    def holds_user(self, tenant: str, user_id: str) -> bool:
        return next(self._records_about(tenant, user_id), None) is not None
