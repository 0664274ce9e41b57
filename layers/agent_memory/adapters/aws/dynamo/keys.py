"""API key records in the single table (implements KeyStore): one item per key hash, listed through GSI1."""

from __future__ import annotations

from datetime import datetime

from agent_memory.adapters.aws.dynamo import items
from agent_memory.adapters.aws.dynamo.items import Item, n, s
from agent_memory.adapters.aws.dynamo.schema import GSI1
from agent_memory.adapters.aws.dynamo.table import DynamoTable
from agent_memory.adapters.aws.errors import ConditionFailed
from agent_memory.domain.clock import from_micros, to_micros
from agent_memory.domain.models import ApiKeyRecord, Scope


def _key_key(key_hash: str) -> Item:
    return {"pk": s(f"K#{key_hash}"), "sk": s(items.KEY_SK)}


def _key_record(item: Item) -> ApiKeyRecord:
    revoked = items.integer(item, "revoked_at")
    return ApiKeyRecord(
        key_id=item["key_id"]["S"],
        tenant=item["tenant"]["S"],
        scopes=frozenset(Scope(value["S"]) for value in item["scopes"]["L"]),
        created_at=from_micros(int(item["created_at"]["N"])),
        name=items.text(item, "name"),
        revoked_at=None if revoked is None else from_micros(revoked),
        user_id=items.text(item, "user_id"),
        agent_id=items.text(item, "agent_id"),
    )


class DynamoKeys:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def add_key(self, record: ApiKeyRecord, key_hash: str) -> None:
        item: Item = {
            **_key_key(key_hash),
            "gsi1pk": s(items.KEYS_INDEX_PK),
            "gsi1sk": s(record.key_id),
            "key_id": s(record.key_id),
            "tenant": s(record.tenant),
            "scopes": {"L": [s(scope.value) for scope in sorted(record.scopes)]},
            "created_at": n(to_micros(record.created_at)),
        }
        for name, value in (("name", record.name), ("user_id", record.user_id), ("agent_id", record.agent_id)):
            if value is not None:
                item[name] = s(value)
        self._table.call("put_item", Item=item, ConditionExpression="attribute_not_exists(pk)")

    def find_key(self, key_hash: str) -> ApiKeyRecord | None:
        found = self._table.call("get_item", Key=_key_key(key_hash), ConsistentRead=True).get("Item")
        return None if found is None else _key_record(found)

    def _key_items(self, key_id: str | None = None) -> list[Item]:
        condition = "gsi1pk = :pk" + ("" if key_id is None else " AND gsi1sk = :id")
        values: Item = {":pk": s(items.KEYS_INDEX_PK)}
        if key_id is not None:
            values[":id"] = s(key_id)
        return list(
            self._table.query(IndexName=GSI1, KeyConditionExpression=condition, ExpressionAttributeValues=values)
        )

    def list_keys(self, tenant: str | None) -> list[ApiKeyRecord]:
        records = [_key_record(item) for item in self._key_items()]
        return sorted(
            (r for r in records if tenant is None or r.tenant == tenant), key=lambda r: (r.created_at, r.key_id)
        )

    def revoke_key(self, key_id: str, at: datetime) -> bool:
        for found in self._key_items(key_id):
            try:
                self._table.call(
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
