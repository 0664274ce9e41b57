"""API keys as API Gateway sees them: metered by a usage plan under the key's hash, never its clear text.

The authorizer returns the hash as `usageIdentifierKey`, so throttling and quotas apply per key while API Gateway
stores nothing that could authenticate a request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from agent_memory.adapters.aws.errors import error_code
from agent_memory.domain.errors import ConfigurationError, StoreUnavailable
from agent_memory.domain.models import ApiKeyRecord

NAME_PREFIX = "agent-memory-"


def gateway_key_name(key_id: str) -> str:
    return f"{NAME_PREFIX}{key_id}"


def _call(operation: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return operation(**kwargs)
    except ClientError as exc:
        if error_code(exc) == "NotFoundException":
            raise ConfigurationError(
                "The API Gateway usage plan in AGENT_MEMORY_USAGE_PLAN_ID does not exist."
            ) from None
        raise StoreUnavailable(f"API Gateway refused the key change ({error_code(exc)}); retry.") from None
    except BotoCoreError as exc:
        raise StoreUnavailable(f"API Gateway could not be reached ({type(exc).__name__}); retry.") from None


class UsagePlanKeys:
    def __init__(self, client_factory: Callable[[], Any], usage_plan_id: str) -> None:
        self._client_factory = client_factory
        self._usage_plan_id = usage_plan_id

    def register(self, record: ApiKeyRecord, key_hash: str) -> None:
        client = self._client_factory()
        created = _call(
            client.create_api_key,
            name=gateway_key_name(record.key_id),
            description=f"tenant {record.tenant}",
            enabled=True,
            value=key_hash,
            tags={"tenant": record.tenant},
        )
        try:
            _call(client.create_usage_plan_key, usagePlanId=self._usage_plan_id, keyId=created["id"], keyType="API_KEY")
        except Exception:
            _call(client.delete_api_key, apiKey=created["id"])  # a key outside every plan would be refused anyway
            raise

    def disable(self, key_id: str) -> None:
        client = self._client_factory()
        found = _call(client.get_api_keys, nameQuery=gateway_key_name(key_id), limit=10)
        for item in found.get("items", []):
            if item.get("name") == gateway_key_name(key_id):
                patch = [{"op": "replace", "path": "/enabled", "value": "false"}]
                _call(client.update_api_key, apiKey=item["id"], patchOperations=patch)
