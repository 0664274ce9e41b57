"""Reading a user's memories for a job, and writing a job's changes to them with the progress that counts them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from agent_memory.domain.errors import DuplicateMemory, NotFound, VersionConflict
from agent_memory.domain.filtering import is_live
from agent_memory.domain.models import Memory, Owner
from agent_memory.domain.text import embedding_text
from agent_memory.ports import Embedder, MemoryStore, Vector
from agent_memory.services.jobs.steps import Change, Checkpoint, PhaseProgress

PAGE = 500
WRITE_BATCH = 24  # memories per transaction (DynamoDB: up to four actions each and the operation's two, of 100)


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


def apply_changes(
    checkpoint: Checkpoint, changes: Sequence[Change], progress: PhaseProgress, counted: str, advance: bool = False
) -> PhaseProgress:
    """Write independent changes in transactions of WRITE_BATCH, each saving `progress` with `counted` raised by what
    it writes (and `advanced`, with `advance`), so the counts saved are those of the changes applied. A batch refused
    because a memory changed meanwhile is written one change at a time so the others still land; a refused change
    counts as a conflict. Returns the progress after all of them."""
    for start in range(0, len(changes), WRITE_BATCH):
        batch = list(changes[start : start + WRITE_BATCH])
        written = progress.plus(advanced=len(batch) if advance else 0, counts={counted: len(batch)})
        try:
            checkpoint.apply(batch, written)
            progress = written
            continue
        except (VersionConflict, NotFound, DuplicateMemory):
            pass
        for change in batch:
            step = 1 if advance else 0
            written = progress.plus(advanced=step, counts={counted: 1})
            try:
                checkpoint.apply([change], written)
                progress = written
            except (VersionConflict, NotFound, DuplicateMemory):
                progress = progress.plus(advanced=step, counts={"conflicts": 1})
    return progress
