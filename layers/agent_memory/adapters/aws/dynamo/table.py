"""The one DynamoDB table every store of the aws backend shares: its client, created on first use and reused across
warm invocations, and the calls they make on it, with boto errors in domain terms (`errors.call`).

Every write that must be atomic is one TransactWriteItems call; every check that protects data is a condition on that
call (no read-then-write races).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from agent_memory.adapters.aws.errors import call

if TYPE_CHECKING:
    from agent_memory.adapters.aws.dynamo.items import Item

BATCH_GET_LIMIT = 100
BATCH_WRITE_LIMIT = 25
# Calls that name their table inside the request, not as TableName.
_MULTI_TABLE = frozenset({"batch_get_item", "batch_write_item", "transact_write_items"})


class DynamoTable:
    """One table by name; no client exists, and nothing is sent, until the first call."""

    def __init__(self, name: str, client_factory: Callable[[], Any]) -> None:
        self.name = name
        self._client_factory = client_factory

    @cached_property
    def _client(self) -> Any:
        return self._client_factory()

    def call(self, operation: str, **kwargs: Any) -> Any:
        """One DynamoDB call on this table. Raises ConditionFailed, TransactionCancelled, or a domain error."""
        if operation not in _MULTI_TABLE:
            kwargs.setdefault("TableName", self.name)
        return call(self._client, operation, self.name, **kwargs)

    def transact(self, actions: list[dict[str, Any]]) -> None:
        """All these actions (`{"Put"|"Update"|"Delete"|"ConditionCheck": {...}}`) on this table, or none of them."""
        for action in actions:
            next(iter(action.values()))["TableName"] = self.name
        self.call("transact_write_items", TransactItems=actions)

    def query(self, **kwargs: Any) -> Iterator[Item]:
        """Every item the query matches, page after page, read as they are consumed."""
        while True:
            answer = self.call("query", **kwargs)
            yield from answer.get("Items", [])
            if "LastEvaluatedKey" not in answer:
                return
            kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def batch_get(self, keys: Sequence[Item]) -> list[Item]:
        """The items of these keys that exist (strongly consistent), in pages of BATCH_GET_LIMIT."""
        found: list[Item] = []
        for start in range(0, len(keys), BATCH_GET_LIMIT):
            request: dict[str, Any] = {
                self.name: {"Keys": list(keys[start : start + BATCH_GET_LIMIT]), "ConsistentRead": True}
            }
            while request:
                answer = self.call("batch_get_item", RequestItems=request)
                found.extend(answer.get("Responses", {}).get(self.name, []))
                request = answer.get("UnprocessedKeys") or {}
        return found

    def batch_delete(self, keys: Sequence[Item]) -> None:
        """Delete the items of these keys (not atomically), in batches of BATCH_WRITE_LIMIT."""
        self._batch_write([{"DeleteRequest": {"Key": key}} for key in keys])

    def batch_put(self, entries: Sequence[Item]) -> None:
        """Write these items (not atomically), in batches of BATCH_WRITE_LIMIT."""
        self._batch_write([{"PutRequest": {"Item": item}} for item in entries])

    def _batch_write(self, requests: Sequence[Item]) -> None:
        for start in range(0, len(requests), BATCH_WRITE_LIMIT):
            request: dict[str, Any] = {self.name: list(requests[start : start + BATCH_WRITE_LIMIT])}
            while request:
                request = self.call("batch_write_item", RequestItems=request).get("UnprocessedItems") or {}
