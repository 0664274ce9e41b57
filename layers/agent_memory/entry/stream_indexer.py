"""Applies DynamoDB stream records (INSERT / MODIFY / REMOVE of memory items) to the search index.

Idempotent: an upsert replaces the memory's document and a delete of a missing document succeeds, so a redelivered
record changes nothing. Records that are not memories (uniqueness, history, keys...) are skipped. A record that
fails raises, so the batch reports it as a partial failure and Lambda retries from it (then bisects, then sends it
to the on-failure destination).
"""

from __future__ import annotations

from typing import Any

from agent_memory.adapters.aws.dynamo import items
from agent_memory.adapters.aws.opensearch_index import OpenSearchIndex
from agent_memory.entry import shared
from agent_memory.entry.stream_batches import stream_handler

# Attributes whose change alone does not alter what search sees (recalls wrote one on the memory item before they
# moved to counter items, which are skipped like every item that is not a memory).
NOT_INDEXED = frozenset({"access_count"})


class IndexingFailed(Exception):
    """The index refused a record; the message says why (kept short: it lands in logs and DLQ metadata)."""


class StreamIndexer:
    def __init__(self, index: OpenSearchIndex) -> None:
        self._index = index

    @staticmethod
    def _only_unindexed_changes(old: dict[str, Any], new: dict[str, Any]) -> bool:
        changed = {name for name in old.keys() | new.keys() if old.get(name) != new.get(name)}
        return changed <= NOT_INDEXED

    def apply(self, record: dict[str, Any]) -> str:
        """Apply one stream record; returns what was done (`indexed`, `deleted`, `skipped`)."""
        event = record.get("eventName")
        change = record.get("dynamodb") or {}
        keys = change.get("Keys") or {}
        if event not in {"INSERT", "MODIFY", "REMOVE"} or not keys:
            raise IndexingFailed(f"not a DynamoDB stream record (eventName={event!r})")
        if not items.is_memory_item(keys):
            return "skipped"
        if event == "REMOVE":
            memory_id = str(keys["sk"]["S"])[len(items.MEMORY_PREFIX) :]
            outcome = self._index.delete(items.owner_of(str(keys["pk"]["S"])), [memory_id])
            if outcome.failed:
                raise IndexingFailed(f"delete of {memory_id} failed: {outcome.failed[memory_id]}")
            return "deleted"
        new = change.get("NewImage")
        if not new:
            raise IndexingFailed("INSERT/MODIFY record without NewImage: the stream must send NEW_AND_OLD_IMAGES")
        old = change.get("OldImage")
        if event == "MODIFY" and old and self._only_unindexed_changes(old, new):
            return "skipped"
        try:
            memory = items.memory_from_item(new)
            vector = items.vector_from_item(new)
        except (KeyError, ValueError, TypeError) as exc:
            raise IndexingFailed(f"malformed memory image: {type(exc).__name__}: {exc}") from None
        outcome = self._index.upsert([(memory, vector)])
        if outcome.failed:
            raise IndexingFailed(f"index of {memory.id} failed: {outcome.failed[memory.id]}")
        return "indexed"


handler = stream_handler(lambda: shared.shared_runtime().stream_indexer.apply, "StreamRecords")
