"""Reading a user's memories for a job, and writing a job's changes to them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from agent_memory.domain.errors import DuplicateMemory, NotFound, VersionConflict
from agent_memory.domain.filtering import is_live
from agent_memory.domain.models import HistoryEntry, Memory, Owner
from agent_memory.domain.text import embedding_text
from agent_memory.ports import Embedder, MemoryStore, Vector

PAGE = 500
WRITE_BATCH = 25  # memories per transaction (DynamoDB: four actions each, at most 100 per transaction)

Change = tuple[Memory, int, HistoryEntry, np.ndarray | None]


def all_memories(store: MemoryStore, owner: Owner) -> Iterator[tuple[Memory, Vector | None]]:
    """Every memory of the user, superseded and expired included, in id order."""
    after: str | None = None
    while True:
        page = store.memory_page(owner, after, PAGE)
        yield from page
        if len(page) < PAGE:
            return
        after = page[-1][0].id


@dataclass
class Corpus:
    """A user's current memories (live, not superseded) with one vector each from the current model."""

    memories: list[Memory]
    vectors: np.ndarray

    @classmethod
    def load(cls, store: MemoryStore, embedder: Embedder, owner: Owner, now: datetime) -> Corpus:
        memories: list[Memory] = []
        rows: list[np.ndarray | None] = []
        for memory, vector in all_memories(store, owner):
            if memory.superseded_by is None and is_live(memory, now):
                current = vector is not None and memory.embedding_model == embedder.model_id
                memories.append(memory)
                rows.append(vector if current else None)
        missing = [i for i, row in enumerate(rows) if row is None]
        if missing:  # vectors of another model (or none): compared only after embedding with the current one
            fresh = embedder.embed([embedding_text(memories[i].content, memories[i].summary) for i in missing])
            for position, i in enumerate(missing):
                rows[i] = fresh[position]
        filled = [row for row in rows if row is not None]
        matrix = np.vstack(filled).astype(np.float32) if filled else np.zeros((0, embedder.dimension), np.float32)
        return cls(memories, matrix)


def apply_changes(store: MemoryStore, changes: Sequence[Change]) -> tuple[int, int]:
    """Write independent changes in transactions of WRITE_BATCH; a batch refused because a memory changed meanwhile
    is written one change at a time so the others still land. Returns (applied, conflicts)."""
    applied = conflicts = 0
    for start in range(0, len(changes), WRITE_BATCH):
        batch = list(changes[start : start + WRITE_BATCH])
        try:
            store.update_many(batch)
            applied += len(batch)
            continue
        except (VersionConflict, NotFound, DuplicateMemory):
            pass
        for change in batch:
            try:
                store.update_many([change])
                applied += 1
            except (VersionConflict, NotFound, DuplicateMemory):
                conflicts += 1
    return applied, conflicts
