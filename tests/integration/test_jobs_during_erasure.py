"""A job of a user whose erasure begins while it runs writes nothing more, on both backends (the `runtime` fixture).

The erasure marks the user first and later takes away the user's other operations and their leases; a job step that
is already running when that happens must not publish what it read before.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from agent_memory.domain.clock import utcnow
from agent_memory.domain.errors import NotFound, UserBeingErased
from agent_memory.domain.models import MemoryFilter, NewMemory, Owner
from agent_memory.domain.operations import JobKind, OperationAbandoned, Phase
from agent_memory.runtime import Runtime
from agent_memory.services.jobs.export import ExportToFile
from agent_memory.services.jobs.steps import JobSteps
from agent_memory.services.operations import OperationService

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
