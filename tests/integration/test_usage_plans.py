"""API keys joining an API Gateway usage plan (moto): metered under their hash, disabled on revoke."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from agent_memory.adapters.aws.usage_plans import UsagePlanKeys, gateway_key_name
from agent_memory.domain.errors import ConfigurationError
from agent_memory.domain.models import Scope
from agent_memory.services.keys import KeyService, hash_key
from tests.aws_support import REGION, dynamo_table, fake_credentials


@pytest.fixture
def gateway() -> Iterator[tuple[Any, str, KeyService]]:
    fake_credentials()
    with mock_aws(), dynamo_table() as stores:
        client = boto3.client("apigateway", region_name=REGION)
        plan = client.create_usage_plan(name="agent-memory-dev", throttle={"rateLimit": 50, "burstLimit": 100})
        keys = KeyService(stores.keys, registry=UsagePlanKeys(lambda: client, plan["id"]))
        yield client, plan["id"], keys


def _gateway_key(client: Any, key_id: str) -> dict[str, Any]:
    found = client.get_api_keys(nameQuery=gateway_key_name(key_id), includeValues=True)["items"]
    assert len(found) == 1
    return dict(found[0])


def test_a_new_key_joins_the_usage_plan_under_its_hash(gateway) -> None:
    client, plan_id, keys = gateway
    # When a key is created
    plaintext, record = keys.create("acme", frozenset({Scope.READ}))
    # Then API Gateway holds its hash (what the authorizer returns as usageIdentifierKey), never the key itself
    registered = _gateway_key(client, record.key_id)
    assert registered["value"] == hash_key(plaintext) and registered["enabled"] is True
    members = client.get_usage_plan_keys(usagePlanId=plan_id)["items"]
    assert [m["id"] for m in members] == [registered["id"]]
    # And the key authenticates as before
    assert keys.authenticate(plaintext).tenant == "acme"


def test_revoking_a_key_disables_it_at_the_gateway(gateway) -> None:
    client, _, keys = gateway
    _, record = keys.create("acme", frozenset({Scope.READ}))
    keys.revoke(record.key_id)
    assert _gateway_key(client, record.key_id)["enabled"] is False


def test_a_key_the_store_refuses_is_not_left_enabled_at_the_gateway(gateway, monkeypatch) -> None:
    client, _, keys = gateway

    def refuse(*_: Any) -> None:
        raise RuntimeError("table unavailable")

    # Given a store that fails to save the key after the gateway registered it
    monkeypatch.setattr(keys._store, "add_key", refuse)
    with pytest.raises(RuntimeError):
        keys.create("acme", frozenset({Scope.READ}))
    # Then the gateway key was disabled again: nothing can be metered against a key that does not exist
    items = client.get_api_keys()["items"]
    assert len(items) == 1 and items[0]["enabled"] is False


class PlanGone:
    """API Gateway as it answers when the usage plan was deleted (moto does not check plan ids)."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def create_usage_plan_key(self, **_: Any) -> None:
        error = {"Error": {"Code": "NotFoundException", "Message": "Invalid Usage Plan ID specified"}}
        raise ClientError(error, "CreateUsagePlanKey")


def test_an_unknown_usage_plan_is_a_configuration_error_and_leaves_nothing(gateway) -> None:
    client, _, keys = gateway
    keys._registry = UsagePlanKeys(lambda: PlanGone(client), "nosuchplan")
    with pytest.raises(ConfigurationError, match="usage plan"):
        keys.create("acme", frozenset({Scope.READ}))
    # And neither the store nor the gateway keeps a key for it
    assert keys.list_keys("acme") == []
    assert client.get_api_keys()["items"] == []
