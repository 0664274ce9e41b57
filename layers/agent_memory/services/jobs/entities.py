"""Backfill entities: memories stored without entities or relations get what the curator (the configured model)
reads in their content; the graph follows through the store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from agent_memory.domain import knowledge
from agent_memory.domain.clock import utcnow
from agent_memory.domain.models import HistoryEntry, HistoryEvent, Owner
from agent_memory.domain.operations import Operation
from agent_memory.ports import Curator, MemoryStore
from agent_memory.services.jobs.corpus import apply_changes
from agent_memory.services.jobs.steps import Change, Checkpoint, PhaseProgress, SecondsLeft

PAGE = 100
SECONDS_PER_PAGE = 30.0  # a page's model calls and writes fit in this; less left and the step saves and returns


class BackfillEntities:
    def __init__(self, store: MemoryStore, curator: Curator, clock: Callable[[], datetime] = utcnow) -> None:
        self._store = store
        self._curator = curator
        self._clock = clock

    def run(
        self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft, checkpoint: Checkpoint
    ) -> PhaseProgress:
        owner = Owner(operation.tenant, operation.user_id)
        after = None if cursor is None else cursor.get("after_id")
        progress = PhaseProgress(
            done=False, cursor={"after_id": after}, counts={"scanned": 0, "entities_added": 0, "conflicts": 0}
        )
        while seconds_left() >= SECONDS_PER_PAGE:
            page = self._store.memory_page(owner, after, PAGE)
            todo = [
                memory
                for memory, _ in page
                if (not memory.entities or not memory.relations) and memory.superseded_by is None
            ]
            found = self._curator.knowledge([memory.content for memory in todo]) if todo else []
            now = self._clock()
            changes: list[Change] = []
            for memory, read in zip(todo, found, strict=True):
                entities, relations = knowledge.fitted(read)
                entities = memory.entities or entities
                relations = memory.relations or relations
                changed = tuple(
                    name
                    for name, value in (("entities", entities), ("relations", relations))
                    if value != getattr(memory, name)
                )
                if not changed:
                    continue
                updated = memory.with_changes(
                    entities=entities, relations=relations, updated_at=now, version=memory.version + 1
                )
                entry = HistoryEntry(
                    memory.id, updated.version, HistoryEvent.UPDATED, now, memory.content, None, changed
                )
                changes.append((updated, memory.version, entry, None))
            # Saved with the page's start as the cursor: a page cut short is read again, and the memories it gave
            # entities to are not in its to-do list any more.
            progress = apply_changes(checkpoint, changes, progress, "entities_added")
            progress = progress.plus(advanced=len(page), counts={"scanned": len(page)})
            if len(page) < PAGE:
                return progress.plus(done=True)
            after = page[-1][0].id
            progress = progress.plus(cursor={"after_id": after})
            checkpoint.save(progress)
        return progress
