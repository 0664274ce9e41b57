"""The knowledge graph in the single table: adjacency items in the user's partition (implements GraphStore), and the
projector that keeps them in step with the memory items through the table's stream.

| sort key                                          | item                                              |
|---------------------------------------------------|---------------------------------------------------|
| `G#E#{entity}#{memory}`                           | the memory names the entity (name, type)          |
| `G#S#{subject}#{predicate}#{object}#{memory}`     | the memory states the relation (by its subject)   |
| `G#O#{object}#{predicate}#{subject}#{memory}`     | the same statement, found from its object         |

So one Query of the partition by prefix answers "every mention of an entity" and "every relation touching it" in
either direction. Items are projections of one memory item each: the projector rewrites them from the stream's new
image and deletes what the old image had and the new one has not; puts are conditioned on the memory item still
being at the record's version, so a late or redelivered record never brings back what a newer write or an erasure
removed. Each item carries the memory's expiry (and TTL), so an expired memory's graph is hidden and then removed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from agent_memory.adapters.aws.dynamo import items
from agent_memory.adapters.aws.dynamo.items import Item, n, s
from agent_memory.adapters.aws.dynamo.schema import TTL_ATTRIBUTE
from agent_memory.adapters.aws.dynamo.table import DynamoTable
from agent_memory.adapters.aws.errors import TransactionCancelled
from agent_memory.domain.clock import from_micros, to_micros, utcnow
from agent_memory.domain.graph import Mention, Statement
from agent_memory.domain.knowledge import USER
from agent_memory.domain.models import Entity, Memory, Owner

MENTION, SUBJECT, OBJECT = f"{items.GRAPH_PREFIX}E#", f"{items.GRAPH_PREFIX}S#", f"{items.GRAPH_PREFIX}O#"
WRITES_PER_TRANSACTION = 99  # and the memory's version check: DynamoDB's limit is 100 actions


def _sk(prefix: str, *parts: str) -> str:
    return prefix + "#".join(items.part(value) for value in parts)


def _common(memory: Memory, sort_key: str) -> Item:
    item: Item = {"pk": s(items.user_pk(memory.owner)), "sk": s(sort_key), "memory_id": s(memory.id)}
    if memory.agent_id is not None:
        item["agent_id"] = s(memory.agent_id)
    if memory.expires_at is not None:
        item["expires_at"] = n(to_micros(memory.expires_at))
        item[TTL_ATTRIBUTE] = n(items.epoch_seconds(memory.expires_at))
    return item


def graph_items(memory: Memory) -> list[Item]:
    """The adjacency items one memory projects to (none for a memory that names nothing)."""
    named: dict[str, Entity] = {}
    for entity in (*memory.entities, *(e for r in memory.relations for e in (r.subject, r.object))):
        if entity.id != USER.id:
            named.setdefault(entity.id, entity)
    projected = [
        {
            **_common(memory, _sk(MENTION, entity.id, memory.id)),
            "entity_id": s(entity.id),
            "name": s(entity.name),
            "type": s(entity.type),
        }
        for entity in named.values()
    ]
    valid_to = memory.updated_at if memory.superseded_by is not None else None
    for relation in memory.relations:
        ends = (relation.subject.id, relation.predicate, relation.object.id)
        for prefix, order in ((SUBJECT, ends), (OBJECT, (ends[2], ends[1], ends[0]))):
            item = {
                **_common(memory, _sk(prefix, *order, memory.id)),
                "subject_id": s(ends[0]),
                "predicate": s(ends[1]),
                "object_id": s(ends[2]),
                "valid_from": n(to_micros(memory.created_at)),
            }
            if valid_to is not None:
                item["valid_to"] = n(to_micros(valid_to))
            projected.append(item)
    return projected


def _expired(image: Item) -> bool:
    """Whether a memory item's image had expired: what TTL removes (an ordinary delete takes its remains itself)."""
    expires = items.integer(image, "expires_at")
    return expires is not None and expires <= to_micros(utcnow())


def _key(item: Item) -> Item:
    return {"pk": item["pk"], "sk": item["sk"]}


class GraphProjector:
    """Applies a memory item's stream record to its adjacency items (idempotent: a redelivery changes nothing)."""

    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def apply(self, record: dict[str, Any]) -> str:
        """Returns what was done: `projected`, `removed`, `unchanged` (no graph either side), `stale` (a newer write
        applies) or `skipped`."""
        change = record.get("dynamodb") or {}
        keys = change.get("Keys") or {}
        if not keys or not items.is_memory_item(keys):
            return "skipped"
        old, new = change.get("OldImage"), change.get("NewImage")
        before = graph_items(items.memory_from_item(old)) if old else None
        if record.get("eventName") == "REMOVE" or not new:
            self._table.batch_delete([_key(item) for item in before or self._orphans(keys)])
            if old and _expired(old):
                self._remove_remains(keys)
            return "removed"
        memory = items.memory_from_item(new)
        after = graph_items(memory)
        if not after and not before:
            return "unchanged"
        # Items equal to the old image's are put again all the same: the record that should have put them may have
        # been stale (the memory had moved on), and this record, at the memory's version, is the one that counts.
        kept = {item["sk"]["S"] for item in after}
        # Deletes need no condition: records of one item arrive in order, so a later record's puts come after them.
        self._table.batch_delete([_key(item) for item in before or () if item["sk"]["S"] not in kept])
        check = {
            "ConditionCheck": {
                "Key": items.memory_key(memory.owner, memory.id),
                "ConditionExpression": "version = :version",
                "ExpressionAttributeValues": {":version": n(memory.version)},
            }
        }
        for start in range(0, len(after), WRITES_PER_TRANSACTION):
            puts = [{"Put": {"Item": item}} for item in after[start : start + WRITES_PER_TRANSACTION]]
            try:
                self._table.transact([check, *puts])
            except TransactionCancelled:
                return "stale"
        return "projected"

    def _remove_remains(self, keys: Item) -> None:
        """The history and recall counter of an expired memory that is gone. A delete removes them itself; DynamoDB's
        TTL removes the memory item alone. Each batch is conditioned on the memory still being absent, so a memory
        imported again under its id keeps what it brought."""
        memory_id = str(keys["sk"]["S"])[len(items.MEMORY_PREFIX) :]
        found = self._table.query(**items.history_query(keys["pk"], memory_id), ProjectionExpression="pk, sk")
        remains = [_key(item) for item in found if items.is_history_of(str(item["sk"]["S"]), memory_id)]
        remains.append({"pk": keys["pk"], "sk": s(items.ACCESS_PREFIX + memory_id)})
        absent = {"ConditionCheck": {"Key": _key(keys), "ConditionExpression": "attribute_not_exists(pk)"}}
        for start in range(0, len(remains), WRITES_PER_TRANSACTION):
            deletes = [{"Delete": {"Key": key}} for key in remains[start : start + WRITES_PER_TRANSACTION]]
            try:
                self._table.transact([absent, *deletes])
            except TransactionCancelled as cancelled:
                if cancelled.failed(0) is not None:
                    return  # the memory is back: what remains is its own
                raise  # a conflict or throttling: the stream retries the record

    def _orphans(self, keys: Item) -> list[Item]:
        """Graph items of a removed memory whose record carried no old image (the stream must send both)."""
        memory_id = str(keys["sk"]["S"])[len(items.MEMORY_PREFIX) :]
        return list(
            self._table.query(
                KeyConditionExpression="pk = :pk AND begins_with(sk, :graph)",
                FilterExpression="memory_id = :memory",
                ExpressionAttributeValues={
                    ":pk": keys["pk"],
                    ":graph": s(items.GRAPH_PREFIX),
                    ":memory": s(memory_id),
                },
                ProjectionExpression="pk, sk",
            )
        )


class DynamoGraph:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def _items(self, owner: Owner, now: datetime, prefixes: Sequence[str]) -> Iterator[Item]:
        moment = to_micros(now)
        for prefix in prefixes:
            for item in self._table.query(
                KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
                ExpressionAttributeValues={":pk": s(items.user_pk(owner)), ":prefix": s(prefix)},
            ):
                expires = items.integer(item, "expires_at")
                if expires is None or expires > moment:
                    yield item

    @staticmethod
    def _prefixes(kinds: Sequence[str], entity_ids: Sequence[str] | None) -> list[str]:
        if entity_ids is None:
            return [kinds[0]]
        return [_sk(kind, entity_id) + "#" for entity_id in sorted(set(entity_ids)) for kind in kinds]

    def mentions(self, owner: Owner, now: datetime, entity_ids: Sequence[str] | None = None) -> list[Mention]:
        return [
            Mention(
                Entity(item["entity_id"]["S"], item["name"]["S"], item["type"]["S"]),
                item["memory_id"]["S"],
                items.text(item, "agent_id"),
            )
            for item in self._items(owner, now, self._prefixes([MENTION], entity_ids))
        ]

    def statements(self, owner: Owner, now: datetime, entity_ids: Sequence[str] | None = None) -> list[Statement]:
        found: dict[tuple[str, str, str, str], Statement] = {}
        for item in self._items(owner, now, self._prefixes([SUBJECT, OBJECT], entity_ids)):
            ended = items.integer(item, "valid_to")
            statement = Statement(
                subject_id=item["subject_id"]["S"],
                predicate=item["predicate"]["S"],
                object_id=item["object_id"]["S"],
                memory_id=item["memory_id"]["S"],
                agent_id=items.text(item, "agent_id"),
                valid_from=from_micros(int(item["valid_from"]["N"])),
                valid_to=None if ended is None else from_micros(ended),
            )
            found[(*statement.key, statement.memory_id)] = statement
        return list(found.values())
