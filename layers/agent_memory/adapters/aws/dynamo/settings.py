"""Per-tenant memory settings in the single table (implements SettingsStore): one item per tenant."""

from __future__ import annotations

import json

from agent_memory.adapters.aws.dynamo import items
from agent_memory.adapters.aws.dynamo.items import Item, s
from agent_memory.adapters.aws.dynamo.schema import GSI1
from agent_memory.adapters.aws.dynamo.table import DynamoTable
from agent_memory.domain.models import TenantSettings

RETENTION_INDEX_PK = "RETENTION"


def _settings_key(tenant: str) -> Item:
    return {"pk": s(items.tenant_pk(tenant)), "sk": s(items.SETTINGS_SK)}


class DynamoSettings:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def get_settings(self, tenant: str) -> TenantSettings:
        found = self._table.call("get_item", Key=_settings_key(tenant), ConsistentRead=True).get("Item")
        return TenantSettings() if found is None else TenantSettings.from_record(json.loads(found["data"]["S"]))

    def put_settings(self, tenant: str, settings: TenantSettings) -> TenantSettings:
        item: Item = {**_settings_key(tenant), "tenant": s(tenant), "data": s(json.dumps(settings.as_record()))}
        if settings.keeps_retention:
            # Listed in GSI1 under one key, so the retention sweep finds these tenants without a scan.
            item.update({"gsi1pk": s(RETENTION_INDEX_PK), "gsi1sk": s(items.tenant_pk(tenant))})
        self._table.call("put_item", Item=item)
        return settings

    def tenants_with_retention(self) -> list[str]:
        found = self._table.query(
            IndexName=GSI1,
            KeyConditionExpression="gsi1pk = :pk",
            ExpressionAttributeValues={":pk": s(RETENTION_INDEX_PK)},
        )
        return sorted(str(items.text(item, "tenant")) for item in found)
