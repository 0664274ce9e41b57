"""The single table's key design and the translation of records to and from DynamoDB attribute maps.

Items are written in DynamoDB's low-level format (`{"S": ...}`), the same format stream records carry, so the store
and the stream indexer share one decoder. Key design (docs/architecture.md):

| item            | pk                      | sk                            | GSI1 (gsi1pk / gsi1sk)                 |
|-----------------|-------------------------|-------------------------------|----------------------------------------|
| memory          | `U#{tenant}#{user}`     | `M#{memory id}`               | `T#{tenant}#{shard}` / `M#{user}#{id}` |
|   (LSI1)        | `U#{tenant}#{user}`     | lsi1sk `R#{updated_at µs}`    |                                        |
| recall counter  | `U#{tenant}#{user}`     | `A#{memory id}`               |                                        |
| uniqueness      | `U#{tenant}#{user}`     | `C#{sha256(content key)}`     |                                        |
| history entry   | `U#{tenant}#{user}`     | `H#{memory id}#{version:08d}` |                                        |
| erasure marker  | `U#{tenant}#{user}`     | `ERASURE`                     |                                        |
| recall          | `U#{tenant}#{user}`     | `Q#{recall id}`               |                                        |
| settings        | `T#{tenant}`            | `SETTINGS`                    |                                        |
| idempotency     | `T#{tenant}`            | `I#{key}`                     |                                        |
| API key         | `K#{sha256 of the key}` | `KEY`                         | `KEYS` / `{key id}`                    |

GSI1 projects only what its readers need (`schema.GSI1_ATTRIBUTES`: tenant-wide stats and the key listing), never the
vector; LSI1 projects keys only (the fresh-write merge reads the items themselves, strongly consistent). A memory's
recall count lives in its counter item, so a recall writes that small item and never the memory, its indexes or its
stream.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zlib
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote

import numpy as np

from agent_memory.adapters.aws.dynamo.schema import TTL_ATTRIBUTE
from agent_memory.domain import knowledge
from agent_memory.domain.clock import from_micros, to_micros
from agent_memory.domain.models import Entity, HistoryEntry, HistoryEvent, Memory, Owner, Source
from agent_memory.domain.text import content_key

Item = dict[str, Any]

MEMORY_PREFIX = "M#"
ACCESS_PREFIX = "A#"
UNIQUE_PREFIX = "C#"
HISTORY_PREFIX = "H#"
IDEMPOTENCY_PREFIX = "I#"
SETTINGS_SK = "SETTINGS"
ERASURE_SK = "ERASURE"
RECALL_PREFIX = "Q#"
LOCK_PREFIX = "L#"
KEY_SK = "KEY"
KEYS_INDEX_PK = "KEYS"
RECENT_PREFIX = "R#"
GRAPH_PREFIX = "G#"
# Tenant-wide GSI1 partitions per tenant: memory writes spread over them, tenant-wide reads query them side by side.
GSI1_SHARDS = 8


def part(value: str) -> str:
    # Ids may hold any visible character, '#' included: escape so a key can never be read two ways.
    return quote(value, safe="")


def user_pk(owner: Owner) -> str:
    return f"U#{part(owner.tenant)}#{part(owner.user_id)}"


def owner_of(pk: str) -> Owner:
    """The owner a user partition key names (`user_pk` read back)."""
    kind, tenant, user_id = pk.split("#")
    if kind != "U":
        raise ValueError(f"not a user partition key: {pk!r}")
    return Owner(unquote(tenant), unquote(user_id))


def tenant_pk(tenant: str) -> str:
    return f"T#{part(tenant)}"


def memory_shard(memory_id: str) -> int:
    return zlib.crc32(memory_id.encode()) % GSI1_SHARDS


def tenant_shard_pk(tenant: str, shard: int) -> str:
    """GSI1 partition of a tenant's memories: one of GSI1_SHARDS, so no single partition key takes every write."""
    return f"{tenant_pk(tenant)}#{shard}"


def tenant_memory_partitions(tenant: str) -> list[str]:
    """Every GSI1 partition a tenant's memories can be in: the shards, and the unsharded key of items written before
    sharding (each moves to its shard on its next write)."""
    return [tenant_shard_pk(tenant, shard) for shard in range(GSI1_SHARDS)] + [tenant_pk(tenant)]


def memory_key(owner: Owner, memory_id: str) -> Item:
    return {"pk": {"S": user_pk(owner)}, "sk": {"S": MEMORY_PREFIX + memory_id}}


def access_key(owner: Owner, memory_id: str) -> Item:
    """The memory's recall counter: a small item beside it in the same partition."""
    return {"pk": {"S": user_pk(owner)}, "sk": {"S": ACCESS_PREFIX + memory_id}}


def unique_key(owner: Owner, content: str) -> Item:
    digest = hashlib.sha256(content_key(content).encode()).hexdigest()
    return {"pk": {"S": user_pk(owner)}, "sk": {"S": UNIQUE_PREFIX + digest}}


def history_key(owner: Owner, memory_id: str, version: int) -> Item:
    return {"pk": {"S": user_pk(owner)}, "sk": {"S": f"{history_prefix(memory_id)}{version:08d}"}}


def history_prefix(memory_id: str) -> str:
    """What a memory's history entries' sort keys begin with; the entries of "m#x" begin with it too."""
    return f"{HISTORY_PREFIX}{memory_id}#"


def history_query(pk: Item, memory_id: str) -> dict[str, Any]:
    """The Query of a memory's history entries in its user's partition (`pk`); keep only those `is_history_of`."""
    return {
        "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
        "ExpressionAttributeValues": {":pk": pk, ":prefix": s(history_prefix(memory_id))},
    }


_VERSION = re.compile(r"\d{8,}")  # what follows a history entry's memory id in its sort key


def is_history_of(sort_key: str, memory_id: str) -> bool:
    """Whether a sort key is one of the memory's history entries: its prefix, then the version alone."""
    prefix = history_prefix(memory_id)
    return sort_key.startswith(prefix) and _VERSION.fullmatch(sort_key[len(prefix) :]) is not None


def erasure_key(owner: Owner) -> Item:
    """The marker of an erasure in progress: while it exists, no memory of the user can be created."""
    return {"pk": {"S": user_pk(owner)}, "sk": {"S": ERASURE_SK}}


def recent_key(moment: datetime) -> str:
    """LSI1 sort key: a user's memories by last write, read with strong consistency for fresh-write merges."""
    return f"{RECENT_PREFIX}{to_micros(moment):020d}"


def epoch_seconds(moment: datetime) -> int:
    return int(moment.timestamp())


# -- values ---------------------------------------------------------------------------------------


def s(value: str) -> Item:
    return {"S": value}


def n(value: float | int) -> Item:
    return {"N": repr(value) if isinstance(value, float) else str(value)}


def _optional(item: Item, name: str, value: Any, wrap: Any = s) -> None:
    if value is not None:
        item[name] = wrap(value)


def text(item: Item, name: str) -> str | None:
    value = item.get(name)
    return None if value is None or "NULL" in value else str(value["S"])


def number(item: Item, name: str) -> float | None:
    value = item.get(name)
    return None if value is None or "NULL" in value else float(value["N"])


def integer(item: Item, name: str) -> int | None:
    value = number(item, name)
    return None if value is None else int(value)


# -- memories -------------------------------------------------------------------------------------


def memory_item(memory: Memory, vector: np.ndarray | None) -> Item:
    owner = memory.owner
    item: Item = {
        **memory_key(owner, memory.id),
        "gsi1pk": s(tenant_shard_pk(memory.tenant, memory_shard(memory.id))),
        "gsi1sk": s(f"{MEMORY_PREFIX}{part(memory.user_id)}#{memory.id}"),
        "lsi1sk": s(recent_key(memory.updated_at)),
        "kind": s("memory"),
        "id": s(memory.id),
        "tenant": s(memory.tenant),
        "user_id": s(memory.user_id),
        "content": s(memory.content),
        "source": s(memory.source.value),
        "importance": n(float(memory.importance)),
        "valence": n(float(memory.valence)),
        "topics": {"L": [s(topic) for topic in memory.topics]},
        "entities": {
            "L": [
                {"M": {"id": s(e.id), "name": s(e.name), "type": s(e.type), "mentions": n(e.mentions)}}
                for e in memory.entities
            ]
        },
        "metadata": s(json.dumps(memory.metadata, ensure_ascii=False, sort_keys=True)),
        "source_refs": {"L": [s(ref) for ref in memory.source_refs]},
        # The count as it stood before recall counters: reported until the memory's counter item exists.
        "access_count": n(memory.access_count),
        "created_at": n(to_micros(memory.created_at)),
        "updated_at": n(to_micros(memory.updated_at)),
        "version": n(memory.version),
    }
    _optional(item, "agent_id", memory.agent_id)
    _optional(item, "thread_id", memory.thread_id)
    _optional(item, "summary", memory.summary)
    _optional(item, "supersedes", memory.supersedes)
    _optional(item, "superseded_by", memory.superseded_by)
    _optional(item, "embedding_model", memory.embedding_model)
    if memory.relations:
        item["relations"] = s(json.dumps(knowledge.to_json(memory.relations), ensure_ascii=False))
    if memory.expires_at is not None:
        item["expires_at"] = n(to_micros(memory.expires_at))
        item[TTL_ATTRIBUTE] = n(epoch_seconds(memory.expires_at))  # DynamoDB's TTL attribute: removes the item, late
    if vector is not None:
        item["vector"] = {"B": np.asarray(vector, dtype=np.float32).tobytes()}
    return item


def is_memory_item(item: Item) -> bool:
    return str(item.get("sk", {}).get("S", "")).startswith(MEMORY_PREFIX)


def memory_from_item(item: Item) -> Memory:
    expires = integer(item, "expires_at")
    return Memory(
        id=str(item["id"]["S"]),
        tenant=str(item["tenant"]["S"]),
        user_id=str(item["user_id"]["S"]),
        content=str(item["content"]["S"]),
        source=Source(item["source"]["S"]),
        created_at=from_micros(int(item["created_at"]["N"])),
        updated_at=from_micros(int(item["updated_at"]["N"])),
        agent_id=text(item, "agent_id"),
        thread_id=text(item, "thread_id"),
        summary=text(item, "summary"),
        importance=float(item["importance"]["N"]),
        valence=float(item["valence"]["N"]),
        topics=tuple(value["S"] for value in item.get("topics", {}).get("L", [])),
        entities=tuple(
            Entity(
                id=e["M"]["id"]["S"],
                name=e["M"]["name"]["S"],
                type=e["M"]["type"]["S"],
                mentions=int(e["M"]["mentions"]["N"]),
            )
            for e in item.get("entities", {}).get("L", [])
        ),
        metadata=json.loads(text(item, "metadata") or "{}"),
        source_refs=tuple(value["S"] for value in item.get("source_refs", {}).get("L", [])),
        access_count=int(item.get("access_count", {"N": "0"})["N"]),
        expires_at=None if expires is None else from_micros(expires),
        supersedes=text(item, "supersedes"),
        superseded_by=text(item, "superseded_by"),
        version=int(item["version"]["N"]),
        embedding_model=text(item, "embedding_model"),
        relations=knowledge.from_json(json.loads(text(item, "relations") or "[]")),
    )


def is_access_item(item: Item) -> bool:
    return str(item.get("sk", {}).get("S", "")).startswith(ACCESS_PREFIX)


def access_count_of(counter: Item) -> tuple[str, int]:
    """(memory id, recalls) of a counter item."""
    return str(counter["sk"]["S"])[len(ACCESS_PREFIX) :], int(counter.get("access_count", {"N": "0"})["N"])


def vector_from_item(item: Item) -> np.ndarray | None:
    blob = item.get("vector", {}).get("B")
    if blob is None:
        return None
    # boto3 hands binary values over as bytes; Lambda's stream events carry them base64-encoded.
    raw = base64.b64decode(blob) if isinstance(blob, str) else bytes(blob)
    return np.frombuffer(raw, dtype=np.float32)


def unique_item(memory: Memory) -> Item:
    item: Item = {**unique_key(memory.owner, memory.content), "memory_id": s(memory.id)}
    if memory.expires_at is not None:
        item["expires_at"] = n(to_micros(memory.expires_at))
        item[TTL_ATTRIBUTE] = n(epoch_seconds(memory.expires_at))
    return item


# -- history --------------------------------------------------------------------------------------


def history_item(owner: Owner, entry: HistoryEntry) -> Item:
    item: Item = {
        **history_key(owner, entry.memory_id, entry.version),
        "memory_id": s(entry.memory_id),
        "version": n(entry.version),
        "event": s(entry.event.value),
        "at": n(to_micros(entry.at)),
        "content": s(entry.content),
        "changed_fields": {"L": [s(name) for name in entry.changed_fields]},
    }
    _optional(item, "previous_content", entry.previous_content)
    return item


def history_from_item(item: Item) -> HistoryEntry:
    return HistoryEntry(
        memory_id=item["memory_id"]["S"],
        version=int(item["version"]["N"]),
        event=HistoryEvent(item["event"]["S"]),
        at=from_micros(int(item["at"]["N"])),
        content=item["content"]["S"],
        previous_content=text(item, "previous_content"),
        changed_fields=tuple(value["S"] for value in item.get("changed_fields", {}).get("L", [])),
    )
