"""The TransactWriteItems actions of memory writes, built from the memory and, for changes, the item it replaces.

A memory is written with its uniqueness item (normalised content per user) and a history entry, all in one
transaction: the conditions on those actions are what refuse duplicates and lost updates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent_memory.adapters.aws.dynamo import items
from agent_memory.adapters.aws.dynamo.items import Item, n, s
from agent_memory.domain.clock import to_micros
from agent_memory.domain.errors import VersionConflict
from agent_memory.domain.models import HistoryEntry, Memory, Owner
from agent_memory.domain.text import content_key

if TYPE_CHECKING:
    import numpy as np

Action = dict[str, Any]

UNIQUE_POSITION = 1
"""Where the uniqueness item's action is among a memory's actions: its failure means the content is taken."""
ERASURE_POSITION = 3
"""Where a new memory's check that its user is not being erased is among its actions."""


def insert_actions(memory: Memory, history: HistoryEntry, vector: np.ndarray | None) -> list[Action]:
    """A new memory, its uniqueness item (refused while another live memory holds the content) and its history."""
    now = n(to_micros(memory.updated_at))
    return [
        {"Put": {"Item": items.memory_item(memory, vector), "ConditionExpression": "attribute_not_exists(pk)"}},
        {
            "Put": {
                "Item": items.unique_item(memory),
                # A uniqueness item of an expired memory no longer reserves its content.
                "ConditionExpression": "attribute_not_exists(pk) OR expires_at <= :now",
                "ExpressionAttributeValues": {":now": now},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        },
        {"Put": {"Item": items.history_item(memory.owner, history)}},
        not_being_erased(memory.owner),
    ]


def not_being_erased(owner: Owner) -> Action:
    return {"ConditionCheck": {"Key": items.erasure_key(owner), "ConditionExpression": "attribute_not_exists(pk)"}}


def update_actions(
    current: Item, memory: Memory, expected_version: int, history: HistoryEntry, vector: np.ndarray | None
) -> list[Action]:
    """`memory` replacing the stored item `current` if that is still at `expected_version`; a None vector keeps the
    stored one. A changed content moves the uniqueness item. Raises VersionConflict if `current` is already newer."""
    stored = items.memory_from_item(current)
    if stored.version != expected_version:
        raise VersionConflict(
            f"Memory {memory.id} is at version {stored.version}, not {expected_version}; read it again and retry."
        )
    kept_vector = vector if vector is not None else items.vector_from_item(current)
    now = n(to_micros(memory.updated_at))
    actions: list[Action] = [
        {
            "Put": {
                "Item": items.memory_item(memory, kept_vector),
                "ConditionExpression": "version = :expected",
                "ExpressionAttributeValues": {":expected": n(expected_version)},
            }
        },
        {
            "Put": {
                "Item": items.unique_item(memory),
                "ConditionExpression": "attribute_not_exists(pk) OR memory_id = :id OR expires_at <= :now",
                "ExpressionAttributeValues": {":id": s(memory.id), ":now": now},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        },
        {"Put": {"Item": items.history_item(memory.owner, history)}},
    ]
    if content_key(stored.content) != content_key(memory.content):
        actions.append(
            {
                "Delete": {
                    "Key": items.unique_key(memory.owner, stored.content),
                    "ConditionExpression": "attribute_not_exists(pk) OR memory_id = :id",
                    "ExpressionAttributeValues": {":id": s(memory.id)},
                }
            }
        )
    return actions


def delete_actions(owner: Owner, memory_id: str, content: str) -> list[Action]:
    """The record, its uniqueness item (unless another memory holds it now) and its recall counter, together."""
    return [
        {"Delete": {"Key": items.memory_key(owner, memory_id)}},
        {
            "Delete": {
                "Key": items.unique_key(owner, content),
                "ConditionExpression": "attribute_not_exists(pk) OR memory_id = :id",
                "ExpressionAttributeValues": {":id": s(memory_id)},
            }
        },
        {"Delete": {"Key": items.access_key(owner, memory_id)}},
    ]
