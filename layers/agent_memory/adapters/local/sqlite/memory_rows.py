"""How memories and their history are laid out in the `memories` and `memory_history` tables, and the SQL condition
that scopes and filters them (shared by the memory store and the search index)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

import numpy as np

from agent_memory.adapters.local.sqlite.database import dumps, optional_datetime
from agent_memory.domain import knowledge
from agent_memory.domain.clock import from_micros, to_micros
from agent_memory.domain.models import Entity, HistoryEntry, HistoryEvent, Memory, MemoryFilter, Owner, Source
from agent_memory.domain.text import content_key

MEMORY_COLUMNS = (
    "id, tenant, user_id, agent_id, thread_id, content, summary, source, importance, valence, topics, entities,"
    " metadata, source_refs, access_count, created_at, updated_at, expires_at, supersedes, superseded_by,"
    " version, embedding_model, relations"
)


def _json(raw: str) -> Any:
    # Most memories have no topics, entities, metadata, references or relations: skip the parser for those.
    if raw == "[]":
        return []
    return {} if raw == "{}" else json.loads(raw)


def row_to_memory(row: sqlite3.Row) -> Memory:
    return Memory(
        id=row["id"],
        tenant=row["tenant"],
        user_id=row["user_id"],
        agent_id=row["agent_id"],
        thread_id=row["thread_id"],
        content=row["content"],
        summary=row["summary"],
        source=Source(row["source"]),
        importance=row["importance"],
        valence=row["valence"],
        topics=tuple(_json(row["topics"])),
        entities=tuple(Entity(**entity) for entity in _json(row["entities"])),
        metadata=_json(row["metadata"]),
        source_refs=tuple(_json(row["source_refs"])),
        access_count=row["access_count"],
        created_at=from_micros(row["created_at"]),
        updated_at=from_micros(row["updated_at"]),
        expires_at=optional_datetime(row["expires_at"]),
        supersedes=row["supersedes"],
        superseded_by=row["superseded_by"],
        version=row["version"],
        embedding_model=row["embedding_model"],
        relations=knowledge.from_json(_json(row["relations"])),
    )


def memory_values(memory: Memory) -> dict[str, Any]:
    """The memory's column values (all but `embedding`), by column name."""
    return {
        "id": memory.id,
        "tenant": memory.tenant,
        "user_id": memory.user_id,
        "agent_id": memory.agent_id,
        "thread_id": memory.thread_id,
        "content": memory.content,
        "content_key": content_key(memory.content),
        "summary": memory.summary,
        "source": memory.source.value,
        "importance": memory.importance,
        "valence": memory.valence,
        "topics": dumps(list(memory.topics)),
        "entities": dumps(
            [{"id": e.id, "name": e.name, "type": e.type, "mentions": e.mentions} for e in memory.entities]
        ),
        "metadata": dumps(memory.metadata),
        "source_refs": dumps(list(memory.source_refs)),
        "access_count": memory.access_count,
        "created_at": to_micros(memory.created_at),
        "updated_at": to_micros(memory.updated_at),
        "expires_at": None if memory.expires_at is None else to_micros(memory.expires_at),
        "supersedes": memory.supersedes,
        "superseded_by": memory.superseded_by,
        "version": memory.version,
        "embedding_model": memory.embedding_model,
        "relations": dumps(knowledge.to_json(memory.relations)),
    }


def vector_blob(vector: np.ndarray | None) -> bytes | None:
    return None if vector is None else np.asarray(vector, dtype=np.float32).tobytes()


def blob_vector(blob: bytes | None) -> np.ndarray | None:
    return None if blob is None else np.frombuffer(blob, dtype=np.float32)


def row_to_history(row: sqlite3.Row) -> HistoryEntry:
    return HistoryEntry(
        memory_id=row["memory_id"],
        version=row["version"],
        event=HistoryEvent(row["event"]),
        at=from_micros(row["at"]),
        content=row["content"],
        previous_content=row["previous_content"],
        changed_fields=tuple(json.loads(row["changed_fields"])),
    )


def filter_sql(owner: Owner, filters: MemoryFilter, now: datetime) -> tuple[str, list[Any]]:
    """The SQL condition (on table `memories`) that scopes and filters memories, and its parameters."""
    clauses = ["tenant = ?", "user_id = ?", "(expires_at IS NULL OR expires_at > ?)"]
    params: list[Any] = [owner.tenant, owner.user_id, to_micros(now)]
    if not filters.include_superseded:
        clauses.append("superseded_by IS NULL")
    if filters.agent_id is not None:
        clauses.append("agent_id = ?")
        params.append(filters.agent_id)
    if filters.source is not None:
        clauses.append("source = ?")
        params.append(filters.source.value)
    if filters.topic is not None:
        clauses.append("EXISTS (SELECT 1 FROM json_each(memories.topics) WHERE json_each.value = ?)")
        params.append(filters.topic)
    if filters.created_after is not None:
        clauses.append("created_at > ?")
        params.append(to_micros(filters.created_after))
    if filters.created_before is not None:
        clauses.append("created_at < ?")
        params.append(to_micros(filters.created_before))
    if filters.min_importance is not None:
        clauses.append("importance >= ?")
        params.append(filters.min_importance)
    return " AND ".join(clauses), params
