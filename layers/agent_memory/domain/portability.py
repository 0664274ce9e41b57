"""The export format: what an export holds and how it reads back, so export → clear → import gives the same memories.

An export is NDJSON (one JSON object per line, `type` first) or one JSON document with the same parts:

    {"type": "header", "format": "agent-memory.export/1", "exported_at", "tenant", "user_id" (null: whole tenant)}
    {"type": "settings", "settings": {...}}
    {"type": "memory", "memory": {...every field, "history": [...]}}            one per memory
    {"type": "operation", "operation": {...}}                                    one per operation
    {"type": "end", "counts": {"memories": n, "history": n, "operations": n}}

The end line tells a complete download from a cut one. Vectors are not exported: they are derived from the content
and re-made by the importing server's model.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from agent_memory.domain import knowledge, limits, validation
from agent_memory.domain.clock import as_utc
from agent_memory.domain.errors import AgentMemoryError, InvalidExport
from agent_memory.domain.models import Entity, HistoryEntry, HistoryEvent, Memory, Source

EXPORT_FORMAT = "agent-memory.export/1"
LINE_TYPES = ("header", "settings", "memory", "operation", "end")
MAX_HISTORY_ENTRIES = 10_000
MAX_COUNTER = 2**53 - 1  # what every store (SQLite integers, DynamoDB numbers, JSON readers) holds exactly


def instant(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def memory_record(memory: Memory, history: list[HistoryEntry]) -> dict[str, Any]:
    return {
        "id": memory.id,
        "user_id": memory.user_id,
        "agent_id": memory.agent_id,
        "thread_id": memory.thread_id,
        "content": memory.content,
        "summary": memory.summary,
        "source": memory.source.value,
        "importance": memory.importance,
        "valence": memory.valence,
        "topics": list(memory.topics),
        "entities": [{"id": e.id, "name": e.name, "type": e.type, "mentions": e.mentions} for e in memory.entities],
        "relations": knowledge.to_json(memory.relations),
        "metadata": memory.metadata,
        "source_refs": list(memory.source_refs),
        "access_count": memory.access_count,
        "created_at": instant(memory.created_at),
        "updated_at": instant(memory.updated_at),
        "expires_at": instant(memory.expires_at),
        "supersedes": memory.supersedes,
        "superseded_by": memory.superseded_by,
        "version": memory.version,
        "embedding_model": memory.embedding_model,
        "history": [
            {
                "version": entry.version,
                "event": entry.event.value,
                "at": instant(entry.at),
                "content": entry.content,
                "previous_content": entry.previous_content,
                "changed_fields": list(entry.changed_fields),
            }
            for entry in history
        ],
    }


# -- reading back ---------------------------------------------------------------------------------


def _field(record: Mapping[str, Any], name: str, kind: type | tuple[type, ...], optional: bool = False) -> Any:
    value = record.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float, (int, float))):
        raise InvalidExport(f"{name} is missing or of the wrong type.")
    return value


def _number(record: Mapping[str, Any], name: str) -> float:
    value = _field(record, name, (int, float))
    if not math.isfinite(value):
        raise InvalidExport(f"{name} must be a finite number.")
    return float(value)


def _when(record: Mapping[str, Any], name: str, optional: bool = False) -> datetime | None:
    text = _field(record, name, str, optional)
    if text is None:
        return None
    try:
        return as_utc(datetime.fromisoformat(text))
    except ValueError:
        raise InvalidExport(f"{name} is not an ISO 8601 date and time.") from None


def _strings(record: Mapping[str, Any], name: str) -> list[str]:
    values = _field(record, name, list)
    if not all(isinstance(value, str) for value in values):
        raise InvalidExport(f"{name} must be a list of strings.")
    return [str(value) for value in values]


def _entity(value: Any) -> Entity:
    if not isinstance(value, dict):
        raise InvalidExport("entities must be objects.")
    mentions = _field(value, "mentions", int)
    return Entity(_field(value, "id", str), _field(value, "name", str), _field(value, "type", str), mentions)


def is_text(value: Any) -> bool:
    """JSON can write an unpaired surrogate ("\\ud800"), which no store can encode: every string must be text."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _history_entry(memory_id: str, value: Any) -> HistoryEntry:
    if not isinstance(value, dict):
        raise InvalidExport("history entries must be objects.")
    try:
        event = HistoryEvent(_field(value, "event", str))
    except ValueError:
        raise InvalidExport("a history entry's event is not one of created, updated, superseded.") from None
    version = _field(value, "version", int)
    if not 1 <= version <= MAX_COUNTER:
        raise InvalidExport(f"a history entry's version must be 1 to {MAX_COUNTER}.")
    previous = _field(value, "previous_content", str, optional=True)
    return HistoryEntry(
        memory_id=memory_id,
        version=version,
        event=event,
        at=_when(value, "at"),  # type: ignore[arg-type]
        content=validation.content(_field(value, "content", str), limits.MAX_CONTENT_CHARS_CEILING),
        previous_content=None if previous is None else validation.content(previous, limits.MAX_CONTENT_CHARS_CEILING),
        changed_fields=tuple(_strings(value, "changed_fields")),
    )


def memory_from_record(record: Any, tenant: str, max_chars: int) -> tuple[Memory, list[HistoryEntry]]:
    """An exported memory of `tenant` (the importing caller's, whatever the file says), checked by the same rules
    as a new memory. Raises InvalidExport (or the InvalidInput of the rule it breaks)."""
    if not isinstance(record, dict):
        raise InvalidExport("a memory line must hold a memory object.")
    if not is_text(record):
        raise InvalidExport("a memory holds an unpaired surrogate (\\ud800-\\udfff), which is not text.")
    try:
        source = Source(_field(record, "source", str))
    except ValueError:
        raise InvalidExport("source is not a known memory source.") from None
    memory_id = validation.identifier("id", _field(record, "id", str))
    history_records = _field(record, "history", list)
    if not 1 <= len(history_records) <= MAX_HISTORY_ENTRIES:
        raise InvalidExport(f"a memory's history holds 1 to {MAX_HISTORY_ENTRIES} entries.")
    version = _field(record, "version", int)
    access_count = _field(record, "access_count", int)
    if not 1 <= version <= MAX_COUNTER or not 0 <= access_count <= MAX_COUNTER:
        raise InvalidExport(f"version must be 1 to {MAX_COUNTER} and access_count 0 to {MAX_COUNTER}.")
    try:
        memory = Memory(
            id=memory_id,
            tenant=tenant,
            user_id=validation.identifier("user_id", _field(record, "user_id", str)),
            agent_id=validation.optional_identifier("agent_id", _field(record, "agent_id", str, optional=True)),
            thread_id=validation.optional_identifier("thread_id", _field(record, "thread_id", str, optional=True)),
            content=validation.content(_field(record, "content", str), max_chars),
            summary=validation.summary(_field(record, "summary", str, optional=True)),
            source=source,
            importance=validation.unit_interval("importance", _number(record, "importance")),
            valence=validation.signed_unit_interval("valence", _number(record, "valence")),
            topics=validation.topics(_strings(record, "topics")),
            entities=validation.entities(_entity(value) for value in _field(record, "entities", list)),
            relations=knowledge.checked(knowledge.from_json(record.get("relations"))),
            metadata=validation.metadata(_field(record, "metadata", dict)),
            source_refs=validation.source_refs(_strings(record, "source_refs")),
            access_count=access_count,
            created_at=_when(record, "created_at"),  # type: ignore[arg-type]
            updated_at=_when(record, "updated_at"),  # type: ignore[arg-type]
            expires_at=_when(record, "expires_at", optional=True),
            supersedes=validation.optional_identifier("supersedes", _field(record, "supersedes", str, optional=True)),
            superseded_by=validation.optional_identifier(
                "superseded_by", _field(record, "superseded_by", str, optional=True)
            ),
            version=version,
        )
        history = [_history_entry(memory_id, value) for value in history_records]
        if len({entry.version for entry in history}) != len(history):
            raise InvalidExport("a memory's history holds one entry per version; a version repeats.")
    except InvalidExport:
        raise
    except AgentMemoryError as exc:
        raise InvalidExport(exc.detail) from None
    if len(memory.content) > limits.MAX_CONTENT_CHARS_CEILING:
        raise InvalidExport("content is longer than any tenant allows.")
    return memory, history
