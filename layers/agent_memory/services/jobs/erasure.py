"""Erasing a user everywhere, as the phases of an `erase-user` job, ending in a verification whose result is the
receipt.

1. erase-memories: marks the user as being erased (from then on no memory of theirs can be created: the check is
   inside each insert's transaction), then deletes memories, history, recall counters and uniqueness claims a page
   at a time. A write that landed before the mark is deleted by the pages that follow; one after it is refused.
2. erase-search-index: every document of the user in the search projection (OpenSearch; the local index lives in the
   store's own file and went with the rows).
3. erase-logs: raw conversation logs, in every stored version, and the user's export files.
4. erase-records: stored idempotent responses about the user, and the user's other operations and job locks.
5. verify-erasure: looks in every store again and deletes whatever it finds (a write that raced the mark, a late
   index document), until one whole pass finds nothing; then lifts the mark. The receipt is the operation: counts
   per store in `counts`, the verification in `result`.

The erasure's own operations are kept: they are the receipts, and hold ids and counts only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from agent_memory.domain.clock import utcnow
from agent_memory.domain.errors import StoreUnavailable
from agent_memory.domain.models import Owner
from agent_memory.domain.operations import JobKind, Operation
from agent_memory.ports import (
    ConversationArchive,
    ExportStore,
    IdempotencyStore,
    MemoryStore,
    OperationStore,
    ProjectionWriter,
)
from agent_memory.services.jobs.steps import Checkpoint, PhaseProgress, SecondsLeft

PAGE = 200
SECONDS_PER_PAGE = 5.0
MAX_VERIFICATION_PASSES = 5


def _owner(operation: Operation) -> Owner:
    return Owner(operation.tenant, operation.user_id)


def erase_all_memories(store: MemoryStore, owner: Owner, seconds_left: SecondsLeft) -> dict[str, int] | None:
    """Pages of erase_page until nothing is left (the counts) or the time is up (None)."""
    total: dict[str, int] = {}
    while seconds_left() >= SECONDS_PER_PAGE:
        counts = store.erase_page(owner, PAGE)
        if not counts:
            return total
        for kind, count in counts.items():
            total[kind] = total.get(kind, 0) + count
    return None


class EraseMemories:
    def __init__(self, store: MemoryStore, clock: Callable[[], datetime] = utcnow) -> None:
        self._store = store
        self._clock = clock

    def run(
        self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft, checkpoint: Checkpoint
    ) -> PhaseProgress:
        owner = _owner(operation)
        if cursor is None:
            self._store.begin_erasure(owner, operation.id, self._clock())
        progress = PhaseProgress(done=False, cursor={"marked": True})
        while seconds_left() >= SECONDS_PER_PAGE:
            counts = self._store.erase_page(owner, PAGE)
            if not counts:
                return progress.plus(done=True)
            progress = progress.plus(advanced=counts.get("memories", 0), counts=counts)
            checkpoint.save(progress)
        return progress


class EraseSearchIndex:
    def __init__(self, projection: ProjectionWriter | None) -> None:
        self._projection = projection

    def run(
        self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft, checkpoint: Checkpoint
    ) -> PhaseProgress:
        after = None if cursor is None else cursor.get("after")
        progress = PhaseProgress(done=False, cursor={"after": after})
        if self._projection is None:
            return progress.plus(done=True)
        owner = _owner(operation)
        # Paged by memory id: until the index refreshes, documents just deleted still show, so reading from the start
        # again would return them forever. One already gone (404) is not counted; verification looks again.
        while seconds_left() >= SECONDS_PER_PAGE:
            documents = self._projection.documents(owner, after, PAGE)
            if not documents:
                return progress.plus(done=True)
            removed = self._projection.remove(documents)
            after = documents[-1].memory_id
            progress = progress.plus(counts={"search_documents": removed}, cursor={"after": after})
            checkpoint.save(progress)
        return progress


class EraseLogs:
    def __init__(self, archive: ConversationArchive, exports: ExportStore) -> None:
        self._archive = archive
        self._exports = exports

    def run(
        self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft, checkpoint: Checkpoint
    ) -> PhaseProgress:
        counts = self._archive.erase_user(operation.tenant, operation.user_id)
        exports = self._exports.erase_user(operation.tenant, operation.user_id)
        return PhaseProgress(done=True, counts={**counts, **({"export_files": exports} if exports else {})})


class EraseRecords:
    def __init__(self, idempotency: IdempotencyStore, operations: OperationStore) -> None:
        self._idempotency = idempotency
        self._operations = operations

    def run(
        self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft, checkpoint: Checkpoint
    ) -> PhaseProgress:
        counts = {
            "idempotency_records": self._idempotency.erase_user(operation.tenant, operation.user_id),
            "operations": self._operations.erase_user(operation.tenant, operation.user_id, JobKind.ERASE_USER),
        }
        return PhaseProgress(done=True, counts={kind: count for kind, count in counts.items() if count})


class VerifyErasure:
    """The last phase. Where search is a projection that shows a write only after its refresh (and after the stream
    indexer's delay), a pass that finds nothing is not yet proof: a document indexed just before it may appear
    later. So the mark is lifted only after a clean pass that follows `settle_seconds` of quiet after an earlier
    clean pass; a step without the time for that wait saves when the quiet began and the next step goes on."""

    def __init__(
        self,
        store: MemoryStore,
        projection: ProjectionWriter | None,
        archive: ConversationArchive,
        exports: ExportStore,
        idempotency: IdempotencyStore,
        operations: OperationStore,
        settle_seconds: float = 0.0,
        clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._store = store
        self._projection = projection
        self._archive = archive
        self._exports = exports
        self._idempotency = idempotency
        self._operations = operations
        self._settle = settle_seconds if projection is not None else 0.0
        self._clock = clock
        self._sleep = sleep

    def _sweep(self, owner: Owner, seconds_left: SecondsLeft) -> dict[str, int]:
        """One pass over every store: what it found (and deleted)."""
        found = dict(self._store.residue(owner))
        if found and erase_all_memories(self._store, owner, seconds_left) is None:
            raise StoreUnavailable("The verification ran out of time deleting late records; the step is retried.")
        if self._projection is not None:
            # Documents the index still shows but that are gone already (deleted before its refresh) are not found.
            removed = self._projection.remove(self._projection.documents(owner, None, PAGE))
            if removed:
                found["search_documents"] = removed
        for kind, count in self._archive.erase_user(owner.tenant, owner.user_id).items():
            found[kind] = count
        for kind, count in (
            ("export_files", self._exports.erase_user(owner.tenant, owner.user_id)),
            ("idempotency_records", self._idempotency.erase_user(owner.tenant, owner.user_id)),
            ("operations", self._operations.erase_user(owner.tenant, owner.user_id, JobKind.ERASE_USER)),
        ):
            if count:
                found[kind] = count
        return found

    def run(
        self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft, checkpoint: Checkpoint
    ) -> PhaseProgress:
        owner = _owner(operation)
        late: dict[str, int] = dict((cursor or {}).get("late") or {})
        quiet = (cursor or {}).get("quiet_since")
        quiet_since = None if quiet is None else datetime.fromisoformat(quiet)
        for passes in range(1, MAX_VERIFICATION_PASSES + 1):
            found = self._sweep(owner, seconds_left)
            now = self._clock()
            if found:
                quiet_since = None
                for kind, count in found.items():
                    late[kind] = late.get(kind, 0) + count
                # Saved at once: a retried step must neither count from an earlier quiet nor lose what was found.
                checkpoint.save(PhaseProgress(done=False, cursor={"late": late, "quiet_since": None}))
                continue
            if (quiet_since is not None and (now - quiet_since).total_seconds() >= self._settle) or not self._settle:
                self._store.end_erasure(owner)
                receipt = {
                    "verified": True,
                    "verification_passes": passes,
                    "found_in_verification": late,
                    "verified_at": now.isoformat(),
                }
                return PhaseProgress(done=True, result=receipt)
            quiet_since = quiet_since or now
            wait = self._settle - (now - quiet_since).total_seconds()
            if seconds_left() - wait < SECONDS_PER_PAGE:
                return PhaseProgress(done=False, cursor={"late": late, "quiet_since": quiet_since.isoformat()})
            self._sleep(wait)
        raise StoreUnavailable(
            f"Records of the user kept appearing through {MAX_VERIFICATION_PASSES} verification passes; retried."
        )
