"""Per-tenant memory settings in the single table (implements SettingsStore): one item per tenant."""

from __future__ import annotations

import json

from agent_memory.adapters.aws.dynamo import items
from agent_memory.adapters.aws.dynamo.items import Item, s
from agent_memory.adapters.aws.dynamo.table import DynamoTable
from agent_memory.domain.models import TenantSettings


def _settings_key(tenant: str) -> Item:
    return {"pk": s(items.tenant_pk(tenant)), "sk": s(items.SETTINGS_SK)}


class DynamoSettings:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def get_settings(self, tenant: str) -> TenantSettings:
        found = self._table.call("get_item", Key=_settings_key(tenant), ConsistentRead=True).get("Item")
        return TenantSettings() if found is None else TenantSettings.from_record(json.loads(found["data"]["S"]))

    def put_settings(self, tenant: str, settings: TenantSettings) -> TenantSettings:
        data = settings.as_record()
        self._table.call("put_item", Item={**_settings_key(tenant), "data": s(json.dumps(data))})
        return settings
