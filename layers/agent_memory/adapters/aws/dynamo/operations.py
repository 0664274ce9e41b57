"""Operations and job locks in the single table (implements OperationStore).

| item      | pk                  | sk               |
|-----------|---------------------|------------------|
| operation | `T#{tenant}`        | `O#{operation}`  |
| job lock  | `U#{tenant}#{user}` | `L#{kind}`       |

Taking a lock is a transaction conditioned on the lock being exactly as it was read (absent, or held by an operation
that has finished or stopped reporting), so of two concurrent requests exactly one writes and the other reads back
the winner.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from agent_memory.adapters.aws.dynamo import items
from agent_memory.adapters.aws.dynamo.items import Item, n, s
from agent_memory.adapters.aws.dynamo.memories import DynamoMemories
from agent_memory.adapters.aws.dynamo.schema import TTL_ATTRIBUTE
from agent_memory.adapters.aws.dynamo.table import DynamoTable
from agent_memory.adapters.aws.errors import TransactionCancelled
from agent_memory.domain.clock import to_micros
from agent_memory.domain.errors import StoreUnavailable
from agent_memory.domain.models import HistoryEntry, Memory, Owner
from agent_memory.domain.operations import (
    JobKind,
    Operation,
    OperationAbandoned,
    OperationStatus,
    abandoned,
    from_record,
    to_record,
)

if TYPE_CHECKING:
    import numpy as np

OPERATION_PREFIX = "O#"
LOCK_PREFIX = items.LOCK_PREFIX
OPEN_ATTEMPTS = 3


def operation_key(tenant: str, operation_id: str) -> Item:
    return {"pk": s(items.tenant_pk(tenant)), "sk": s(OPERATION_PREFIX + operation_id)}


def lock_key(operation: Operation) -> Item:
    owner = Owner(operation.tenant, operation.user_id)
    return {"pk": s(items.user_pk(owner)), "sk": s(LOCK_PREFIX + operation.kind.value)}


def operation_item(operation: Operation) -> Item:
    return {
        **operation_key(operation.tenant, operation.id),
        "kind": s("operation"),
        "user_id": s(operation.user_id),
        "job": s(operation.kind.value),
        "status": s(operation.status.value),
        "data": s(json.dumps(to_record(operation), ensure_ascii=False)),
    }


class DynamoOperations:
    def __init__(self, table: DynamoTable, memories: DynamoMemories) -> None:
        self._table = table
        self._memories = memories

    def _get(self, tenant: str, operation_id: str) -> Operation | None:
        found = self._table.call("get_item", Key=operation_key(tenant, operation_id), ConsistentRead=True).get("Item")
        return None if found is None else from_record(json.loads(found["data"]["S"]))

    def _lock(self, operation: Operation) -> Item | None:
        found: Item | None = self._table.call("get_item", Key=lock_key(operation), ConsistentRead=True).get("Item")
        return found

    def open_operation(self, operation: Operation, lock_until: datetime, now: datetime) -> tuple[Operation, bool]:
        for _ in range(OPEN_ATTEMPTS):
            lock = self._lock(operation)
            actions: list[dict[str, Any]] = []
            if lock is None:
                condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
            else:
                holder = self._get(operation.tenant, lock["operation_id"]["S"])
                if holder is not None and not holder.status.finished:
                    if int(lock["expires_at"]["N"]) > to_micros(now):
                        return holder, False
                    actions.append({"Put": {"Item": operation_item(abandoned(holder, now))}})
                condition = {
                    "ConditionExpression": "operation_id = :seen AND expires_at = :seen_expiry",
                    "ExpressionAttributeValues": {":seen": lock["operation_id"], ":seen_expiry": lock["expires_at"]},
                }
            lock_item = {
                **lock_key(operation),
                "operation_id": s(operation.id),
                "expires_at": n(to_micros(lock_until)),
                TTL_ATTRIBUTE: n(items.epoch_seconds(lock_until) + 86_400),  # DynamoDB removes long-dead locks
            }
            actions[:0] = [
                {"Put": {"Item": lock_item, **condition}},
                {"Put": {"Item": operation_item(operation), "ConditionExpression": "attribute_not_exists(pk)"}},
            ]
            try:
                self._table.transact(actions)
            except TransactionCancelled:
                continue  # another request took the lock between our read and write: read the winner
            return operation, True
        raise StoreUnavailable("The job lock is changing hands too fast; retry shortly.")

    def get_operation(self, tenant: str, operation_id: str) -> Operation | None:
        return self._get(tenant, operation_id)

    def list_operations(
        self,
        tenant: str,
        user_id: str | None,
        kind: JobKind | None,
        status: OperationStatus | None,
        limit: int,
        before_id: str | None,
    ) -> list[Operation]:
        upper = OPERATION_PREFIX + (before_id if before_id is not None else "\U0010ffff")
        found: list[Operation] = []
        for item in self._table.query(
            KeyConditionExpression="pk = :pk AND sk BETWEEN :lower AND :upper",
            ExpressionAttributeValues={
                ":pk": s(items.tenant_pk(tenant)),
                ":lower": s(OPERATION_PREFIX),
                ":upper": s(upper),
            },
            ScanIndexForward=False,
        ):
            operation = from_record(json.loads(item["data"]["S"]))
            if operation.id == before_id:
                continue  # BETWEEN includes its bounds
            if user_id is not None and operation.user_id != user_id:
                continue
            if (kind is not None and operation.kind is not kind) or (
                status is not None and operation.status is not status
            ):
                continue
            found.append(operation)
            if len(found) == limit:
                break
        return found

    @staticmethod
    def _save_actions(operation: Operation, lock_until: datetime | None) -> list[dict[str, Any]]:
        """The lock, conditioned on being this operation's (renewed while unfinished, deleted once finished), and
        the operation record."""
        held = {"ConditionExpression": "operation_id = :me", "ExpressionAttributeValues": {":me": s(operation.id)}}
        if operation.status.finished:
            lock_action: dict[str, Any] = {"Delete": {"Key": lock_key(operation), **held}}
        elif lock_until is not None:
            lock_action = {
                "Update": {
                    "Key": lock_key(operation),
                    "UpdateExpression": "SET expires_at = :until",
                    **held,
                    "ExpressionAttributeValues": {":me": s(operation.id), ":until": n(to_micros(lock_until))},
                }
            }
        else:
            lock_action = {"ConditionCheck": {"Key": lock_key(operation), **held}}
        return [lock_action, {"Put": {"Item": operation_item(operation)}}]

    def save_operation(self, operation: Operation, lock_until: datetime | None) -> Operation:
        try:
            self._table.transact(self._save_actions(operation, lock_until))
        except TransactionCancelled:
            raise OperationAbandoned(f"Operation {operation.id} no longer holds its lock.") from None
        return operation

    def save_with_changes(
        self,
        operation: Operation,
        lock_until: datetime,
        changes: Sequence[tuple[Memory, int, HistoryEntry, np.ndarray | None]],
    ) -> Operation:
        """One TransactWriteItems: the lock and operation first, then the memories' actions (so a job's batch
        holds at most 24 memories: 4 x 24 + 2 of DynamoDB's 100 actions)."""
        try:
            self._memories.update_many(changes, also=self._save_actions(operation, lock_until))
        except TransactionCancelled:  # only the lock's condition is left to fail: update_many read the rest
            raise OperationAbandoned(f"Operation {operation.id} no longer holds its lock.") from None
        return operation

    def erase_user(self, tenant: str, user_id: str, keep: JobKind) -> int:
        operations = [
            {"pk": item["pk"], "sk": item["sk"]}
            for item in self._table.query(
                KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
                FilterExpression="user_id = :user AND job <> :keep",
                ExpressionAttributeValues={
                    ":pk": s(items.tenant_pk(tenant)),
                    ":prefix": s(OPERATION_PREFIX),
                    ":user": s(user_id),
                    ":keep": s(keep.value),
                },
                ProjectionExpression="pk, sk",
                ConsistentRead=True,
            )
        ]
        locks = [
            {"pk": item["pk"], "sk": item["sk"]}
            for item in self._table.query(
                KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
                ExpressionAttributeValues={":pk": s(items.user_pk(Owner(tenant, user_id))), ":prefix": s(LOCK_PREFIX)},
                ProjectionExpression="pk, sk",
                ConsistentRead=True,
            )
            if item["sk"]["S"] != LOCK_PREFIX + keep.value
        ]
        self._table.batch_delete([*operations, *locks])
        return len(operations)
