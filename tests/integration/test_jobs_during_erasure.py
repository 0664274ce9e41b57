"""A job of a user whose erasure begins while it runs writes nothing more, on both backends (the `runtime` fixture).

The erasure marks the user first and later takes away the user's other operations and their leases; a job step that
is already running when that happens must not publish what it read before.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from agent_memory.domain.clock import utcnow
from agent_memory.domain.errors import NotFound, UserBeingErased
from agent_memory.domain.models import MemoryFilter, NewMemory, Owner
from agent_memory.domain.operations import JobKind, Operation, OperationAbandoned, OperationStatus, Phase
from agent_memory.runtime import Runtime
from agent_memory.services.jobs.erasure import VerifyErasure
from agent_memory.services.jobs.export import ExportToFile
from agent_memory.services.jobs.steps import JobSteps
from agent_memory.services.operations import OperationService
from tests.aws_support import aws_runtime

OWNER = Owner("acme", "alice")


class NotRunning:
    def start(self, operation: Any) -> None:
        return None


def started(runtime: Runtime, kind: JobKind) -> str:
    service = OperationService(runtime.operation_store, lambda: NotRunning(), runtime.store)
    operation, created = service.start(OWNER.tenant, OWNER.user_id, kind, {})
    assert created
    runtime.job_steps.begin(OWNER.tenant, operation.id)
    return operation.id


def test_given_a_running_job_when_its_users_erasure_begins_then_its_next_step_fails_and_changes_nothing(
    runtime: Runtime,
) -> None:
    # Given an optimize job under way for alice, with a pair it would resolve
    for content in ("Lives in Berlin", "Lives in Munich"):
        runtime.memories.create("acme", NewMemory(user_id="alice", content=content))
    operation_id = started(runtime, JobKind.OPTIMIZE)
    # When her erasure marks her before the job's next step
    runtime.store.begin_erasure(OWNER, "erase-1", utcnow())
    # Then that step refuses to run, and nothing was superseded
    with pytest.raises(UserBeingErased):
        runtime.job_steps.step(OWNER.tenant, operation_id, Phase.RESOLVE_DUPLICATES)
    current = runtime.memories.list_memories(OWNER, MemoryFilter()).items
    assert sorted(memory.content for memory in current) == ["Lives in Berlin", "Lives in Munich"]


class ErasedWhileReading:
    """The export's reading, during which the erasure marks the user and takes away her operations and leases."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def parts_from(self, tenant: str, user_id: str, position: dict[str, Any] | None) -> Iterator[Any]:
        yield from self._runtime.portability.parts_from(tenant, user_id, position)
        self._runtime.store.begin_erasure(OWNER, "erase-1", utcnow())
        self._runtime.operation_store.erase_user(tenant, user_id, JobKind.ERASE_USER)


def test_given_an_export_when_the_erasure_takes_its_lease_mid_step_then_no_file_is_published(runtime: Runtime) -> None:
    # Given alice's export job, whose one step reads her memories while her erasure begins
    runtime.memories.create("acme", NewMemory(user_id="alice", content="Lives in Lisbon"))
    operation_id = started(runtime, JobKind.EXPORT)
    export = ExportToFile(ErasedWhileReading(runtime), runtime.exports, runtime.store)  # type: ignore[arg-type]
    steps = JobSteps(runtime.operation_store, {Phase.EXPORT: export}, runtime.store)
    # When the step reaches the end of what it read
    with pytest.raises((OperationAbandoned, NotFound)):
        steps.step(OWNER.tenant, operation_id, Phase.EXPORT)
    # Then the file was never completed: nothing can be downloaded
    with pytest.raises(NotFound):
        b"".join(runtime.exports.read(OWNER.tenant, OWNER.user_id, operation_id))


class SavedCursors:
    """A step's checkpoint, keeping the cursors it was asked to save."""

    def __init__(self) -> None:
        self.cursors: list[dict[str, Any]] = []

    def save(self, progress: Any) -> None:
        self.cursors.append(dict(progress.cursor))


class QuietClock:
    """The verification's clock and sleep: sleeping moves the clock on, and the collection refreshes meanwhile."""

    def __init__(self, refresh: Any) -> None:
        self.now = utcnow()
        self.slept: list[float] = []
        self._refresh = refresh

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)
        self._refresh()


def settling_verification(runtime: Runtime, clock: QuietClock) -> VerifyErasure:
    """The verification phase of the aws runtime, waiting 30 s of quiet on the given clock."""
    return VerifyErasure(
        runtime.store,
        runtime.opensearch,
        runtime.archive,
        runtime.exports,
        runtime.idempotency_store,
        runtime.operation_store,
        settle_seconds=30,
        clock=clock,
        sleep=clock.sleep,
    )


def erasing(clock: QuietClock) -> Operation:
    return Operation(
        id="erase-1", tenant="acme", user_id="alice", kind=JobKind.ERASE_USER, status=OperationStatus.RUNNING,
        created_at=clock.now, updated_at=clock.now,
    )  # fmt: skip


def test_given_a_document_indexed_just_before_the_erasure_when_verifying_then_it_is_found_after_the_refresh() -> None:
    with aws_runtime(refresh_on_write=False) as (runtime, server):
        # Given a memory of alice indexed within the collection's refresh window, then erased from the table: the
        # stream's REMOVE looked for its document before the collection showed it, so the document stays behind
        runtime.memories.create("acme", NewMemory(user_id="alice", content="Alice plays the cello"))
        runtime.search.search(OWNER, "cello", record_access=False)  # the stream reaches the index, unrefreshed
        runtime.store.begin_erasure(OWNER, "erase-1", utcnow())
        runtime.store.erase_page(OWNER, 100)
        runtime.search.search(OWNER, "cello", record_access=False)  # the REMOVE reaches the index, finding nothing
        clock = QuietClock(server.collection.refresh)
        verify = settling_verification(runtime, clock)
        operation = erasing(clock)
        # When the verification runs (a first clean pass, the quiet wait, then passes until one finds nothing)
        saved = SavedCursors()
        progress = verify.run(operation, None, lambda: 900.0, saved)  # type: ignore[arg-type]
        # Then the late document was found and deleted, after a wait of the settle time, before the mark was lifted
        assert progress.done and progress.result["found_in_verification"] == {"search_documents": 1}
        # And what it found was saved the moment it was found, with the quiet to begin again on a retry
        assert saved.cursors == [{"late": {"search_documents": 1}, "quiet_since": None}]
        assert clock.slept and all(seconds == 30 for seconds in clock.slept)
        server.collection.refresh()
        assert runtime.opensearch.documents(OWNER, None, 10) == [] and runtime.store.erasure_of(OWNER) is None


def test_given_too_little_time_left_for_the_wait_when_verifying_then_the_step_saves_when_the_quiet_began() -> None:
    with aws_runtime(refresh_on_write=False) as (runtime, server):
        clock = QuietClock(server.collection.refresh)
        verify = settling_verification(runtime, clock)
        runtime.store.begin_erasure(OWNER, "erase-1", utcnow())
        operation = erasing(clock)
        # When a step has 20 s left: it cannot wait 30 s, so it stops with the time the quiet began
        first = verify.run(operation, None, lambda: 20.0, SavedCursors())  # type: ignore[arg-type]
        assert not first.done and first.cursor is not None and "quiet_since" in first.cursor and not clock.slept
        assert runtime.store.erasure_of(OWNER) == "erase-1"  # still marked
        # And the next step, after the quiet time, lifts the mark with the receipt
        clock.now += timedelta(seconds=31)
        second = verify.run(operation, first.cursor, lambda: 20.0, SavedCursors())  # type: ignore[arg-type]
        assert second.done and second.result["verified"] and runtime.store.erasure_of(OWNER) is None
