"""Reindex: re-embed the user's memories whose vectors come from another model (all with `force`), in batches, and
write each page to the search projection so it matches the store again; then page through the projection's documents
of the user and remove those no record stands behind (`reconcile`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from agent_memory.domain.clock import utcnow
from agent_memory.domain.models import Owner
from agent_memory.domain.operations import Operation
from agent_memory.domain.text import embedding_text
from agent_memory.ports import Embedder, MemoryStore, ProjectionWriter
from agent_memory.services.jobs.reconcile import reconcile_page
from agent_memory.services.jobs.steps import Checkpoint, PhaseProgress, SecondsLeft

PAGE = 100
SECONDS_PER_PAGE = 20.0


class Reindex:
    def __init__(
        self,
        store: MemoryStore,
        embedder: Embedder,
        projection: ProjectionWriter | None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._projection = projection
        self._clock = clock

    def run(
        self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft, checkpoint: Checkpoint
    ) -> PhaseProgress:
        owner = Owner(operation.tenant, operation.user_id)
        force = bool(operation.params.get("force", False))
        model = self._embedder.model_id
        after = None if cursor is None else cursor.get("after_id")
        counts = {"scanned": 0, "reembedded": 0, "indexed": 0, "index_failures": 0}
        failed: list[str] = []
        if self._projection is not None:
            counts["orphans_removed"] = 0
            if cursor is not None and "reconcile_after" in cursor:
                return self._reconcile(owner, cursor["reconcile_after"], counts, failed, seconds_left, checkpoint)
        while seconds_left() >= SECONDS_PER_PAGE:
            page = self._store.memory_page(owner, after, PAGE)
            stale = [
                i
                for i, (memory, vector) in enumerate(page)
                if force or vector is None or memory.embedding_model != model or len(vector) != self._embedder.dimension
            ]
            entries = list(page)
            if stale:
                fresh = self._embedder.embed([embedding_text(page[i][0].content, page[i][0].summary) for i in stale])
                written = [(page[i][0].id, fresh[n]) for n, i in enumerate(stale)]
                counts["reembedded"] += self._store.set_vectors(owner, model, written)
                for n, i in enumerate(stale):
                    entries[i] = (page[i][0].with_changes(embedding_model=model), fresh[n])
            if self._projection is not None and entries:
                outcome = self._projection.upsert(entries)
                missed = list(outcome.failed)
                counts["indexed"] += len(entries) - len(missed)
                counts["index_failures"] += len(missed)
                failed.extend(missed)
            counts["scanned"] += len(page)
            if len(page) < PAGE:
                if self._projection is None:
                    return self._progress(True, None, counts, failed)
                return self._reconcile(owner, None, counts, failed, seconds_left, checkpoint)
            after = page[-1][0].id
            checkpoint.save(self._progress(False, {"after_id": after}, counts, failed))  # done so far, where to resume
        return self._progress(False, {"after_id": after}, counts, failed)

    def _reconcile(
        self,
        owner: Owner,
        after: str | None,
        counts: dict[str, int],
        failed: list[str],
        seconds_left: SecondsLeft,
        checkpoint: Checkpoint,
    ) -> PhaseProgress:
        """The second pass: the projection's documents of the user, page by page, orphans removed and counted."""
        assert self._projection is not None
        now = self._clock()
        while seconds_left() >= SECONDS_PER_PAGE:
            following, _, removed = reconcile_page(self._store, self._projection, owner, after, now)
            counts["orphans_removed"] += removed
            if following is None:
                return self._progress(True, None, counts, failed)
            after = following
            checkpoint.save(self._progress(False, {"reconcile_after": after}, counts, failed))
        return self._progress(False, {"reconcile_after": after}, counts, failed)

    @staticmethod
    def _progress(
        done: bool, cursor: dict[str, Any] | None, counts: dict[str, int], failed: list[str]
    ) -> PhaseProgress:
        return PhaseProgress(
            done=done,
            cursor=None if done else cursor,
            advanced=counts["scanned"],
            counts=dict(counts),
            result={"index_failed_ids": list(failed)} if failed else {},
        )
