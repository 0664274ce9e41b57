"""The step protocol of every job: begin, one phase page at a time, finish or fail.

Each call loads the operation, does one bounded piece of work and saves the operation (its phase, cursor, counts
and result) before returning, so a step can be retried, and a job resumed after a crash, from what was saved. Inside
a step, a phase saves its progress at checkpoints too (`Checkpoint`): after each batch of work, with the cursor to
resume from and the lease renewed, and every change to memories in the same transaction as the counts that report
it. Step Functions calls these from Lambda functions; the local worker calls them in the same order.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol, TypeAlias

from agent_memory.domain.clock import utcnow
from agent_memory.domain.errors import AgentMemoryError, InvalidInput, NotFound
from agent_memory.domain.models import HistoryEntry, Memory, Owner
from agent_memory.domain.operations import (
    CHECKPOINT_SECONDS,
    MAX_REPORTED_CHANGES,
    PHASES,
    STEP_RETRY,
    JobKind,
    Operation,
    OperationAbandoned,
    OperationStatus,
    Phase,
    lock_expiry,
)
from agent_memory.ports import ErasureMarks, OperationStore, Vector
from agent_memory.services.erasure_guard import refuse_while_erasing

SecondsLeft = Callable[[], float]
Change: TypeAlias = "tuple[Memory, int, HistoryEntry, Vector | None]"
"""One memory written by a job: its new state, the version it must still be at, its history entry, a new vector."""


def unlimited() -> float:
    return math.inf


@dataclass(frozen=True)
class PhaseProgress:
    """What a phase did in this step so far. `advanced` and `counts` add to the operation's, `result` lists are
    appended to its (capped), `cursor` and `total` replace its."""

    done: bool
    cursor: dict[str, Any] | None = None
    advanced: int = 0
    total: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    result: dict[str, Any] = field(default_factory=dict)

    def plus(
        self,
        advanced: int = 0,
        counts: Mapping[str, int] | None = None,
        result: Mapping[str, Any] | None = None,
        **changes: Any,
    ) -> PhaseProgress:
        """This progress with more work done: `advanced` and `counts` added, `result` merged, the rest replaced."""
        added = dict(self.counts)
        for name, value in (counts or {}).items():
            added[name] = added.get(name, 0) + value
        return replace(
            self,
            advanced=self.advanced + advanced,
            counts=added,
            result=merged_result(self.result, dict(result or {})),
            **changes,
        )


class PhaseRunner(Protocol):
    def run(
        self, operation: Operation, cursor: dict[str, Any] | None, seconds_left: SecondsLeft, checkpoint: Checkpoint
    ) -> PhaseProgress:
        """Do one page of work from `cursor` (None: the phase's start) for as long as `seconds_left` allows, saving
        progress through `checkpoint` after each batch. `operation` is the record as the step found it."""
        ...


def merged_result(current: dict[str, Any], added: dict[str, Any]) -> dict[str, Any]:
    result = dict(current)
    for name, value in added.items():
        if isinstance(value, list):
            result[name] = [*result.get(name, []), *value][:MAX_REPORTED_CHANGES]
        else:
            result[name] = value
    return result


def progressed(start: Operation, phase: Phase, progress: PhaseProgress, now: datetime) -> Operation:
    """The operation as the step found it, with the phase's progress in this step so far."""
    continuing = start.phase is phase
    return start.with_changes(
        phase=phase,
        phase_done=progress.done,
        cursor=None if progress.done else progress.cursor,
        done=(start.done if continuing else 0) + progress.advanced,
        total=progress.total if progress.total is not None else (start.total if continuing else None),
        counts=start.counted(**progress.counts),
        result=merged_result(start.result, progress.result),
        updated_at=now,
    )


class Checkpoint:
    """Where a phase saves its progress inside a step: the cursor to resume from, done/total, counts and result so
    far, renewing the job's lease each time. Every save checks the lease: when another job has taken it over, the
    save raises OperationAbandoned and the phase stops where it is."""

    def __init__(self, store: OperationStore, clock: Callable[[], datetime], start: Operation, phase: Phase) -> None:
        self._store = store
        self._clock = clock
        self._start = start
        self._phase = phase
        self._saved_at = clock()

    def _operation(self, progress: PhaseProgress, now: datetime) -> Operation:
        if progress.done or progress.cursor is None:
            raise ValueError("a checkpoint saves an unfinished phase and the cursor it resumes from")
        return progressed(self._start, self._phase, progress, now)

    def save(self, progress: PhaseProgress) -> None:
        now = self._clock()
        self._store.save_operation(self._operation(progress, now), lock_expiry(now))
        self._saved_at = now

    def save_if_due(self, progress: PhaseProgress) -> None:
        """Save when CHECKPOINT_SECONDS have passed since the last save: for work that writes nothing (judging,
        reading), so progress shows and the lease is renewed without a write per item."""
        if (self._clock() - self._saved_at).total_seconds() >= CHECKPOINT_SECONDS:
            self.save(progress)

    def apply(self, changes: Sequence[Change], progress: PhaseProgress) -> None:
        """Write `changes` and save `progress`, which counts them, in one transaction: all of it or nothing, so what
        the operation reports is what was applied even when the process dies right after. Raises OperationAbandoned
        when the lease is another job's, or the store's VersionConflict / NotFound / DuplicateMemory when a memory
        changed since it was read (then nothing is written)."""
        now = self._clock()
        self._store.save_with_changes(self._operation(progress, now), lock_expiry(now), changes)
        self._saved_at = now


class JobSteps:
    def __init__(
        self,
        store: OperationStore,
        phases: Mapping[Phase, PhaseRunner],
        erasures: ErasureMarks,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._phases = phases
        self._erasures = erasures
        self._clock = clock

    def _load(self, tenant: str, operation_id: str) -> Operation:
        operation = self._store.get_operation(tenant, operation_id)
        if operation is None:
            raise NotFound(f"Operation {operation_id} was not found.")
        return operation

    def _unfinished(self, tenant: str, operation_id: str) -> Operation:
        operation = self._load(tenant, operation_id)
        if operation.status.finished:
            raise OperationAbandoned(f"Operation {operation_id} has already {operation.status.value}.")
        return operation

    def begin(self, tenant: str, operation_id: str) -> Operation:
        operation = self._unfinished(tenant, operation_id)
        if operation.status is OperationStatus.RUNNING:
            return operation  # a retried or resumed begin
        now = self._clock()
        running = operation.with_changes(status=OperationStatus.RUNNING, started_at=now, updated_at=now)
        return self._store.save_operation(running, lock_expiry(now))

    def step(self, tenant: str, operation_id: str, phase: Phase, seconds_left: SecondsLeft = unlimited) -> bool:
        """One page of `phase`; True once the phase is complete (also when it completed before)."""
        operation = self._unfinished(tenant, operation_id)
        phases = PHASES[operation.kind]
        if phase not in phases:
            raise InvalidInput(f"{operation.kind.value} has no phase {phase.value}.")
        if operation.phase is not None:
            reached = phases.index(operation.phase)
            if reached > phases.index(phase) or (operation.phase is phase and operation.phase_done):
                return True  # a retried step whose work is already saved
        if operation.kind is not JobKind.ERASE_USER:  # the job fails here, writing nothing more
            refuse_while_erasing(self._erasures, Owner(operation.tenant, operation.user_id))
        continuing = operation.phase is phase
        checkpoint = Checkpoint(self._store, self._clock, operation, phase)
        cursor = operation.cursor if continuing else None
        progress = self._phases[phase].run(operation, cursor, seconds_left, checkpoint)
        now = self._clock()
        self._store.save_operation(progressed(operation, phase, progress, now), lock_expiry(now))
        return progress.done

    def finish(self, tenant: str, operation_id: str) -> Operation:
        operation = self._load(tenant, operation_id)
        if operation.status.finished:
            return operation
        now = self._clock()
        finished = operation.with_changes(status=OperationStatus.SUCCEEDED, updated_at=now, finished_at=now)
        return self._store.save_operation(finished, None)

    def fail(self, tenant: str, operation_id: str, error: str) -> Operation:
        """Mark the operation failed and release its lock; an operation already finished is left as it is."""
        operation = self._load(tenant, operation_id)
        if operation.status.finished:
            return operation
        now = self._clock()
        failed = operation.with_changes(
            status=OperationStatus.FAILED, error=error[:1000], updated_at=now, finished_at=now
        )
        try:
            return self._store.save_operation(failed, None)
        except OperationAbandoned:
            return self._load(tenant, operation_id)  # another job took over; it marked this one failed already


def error_text(exc: BaseException) -> str:
    if isinstance(exc, AgentMemoryError):
        return f"{type(exc).__name__}: {exc.detail}"
    return f"{type(exc).__name__}: the job failed unexpectedly."


def retried(action: Callable[[], Any], sleep: Callable[[float], None] = time.sleep) -> Any:
    """Run a step as the state machines' Retry does: transient errors, with the same backoff (STEP_RETRY)."""
    delay = float(STEP_RETRY.interval_seconds)
    for attempt in range(1, STEP_RETRY.max_attempts + 1):
        try:
            return action()
        except AgentMemoryError as exc:
            if not STEP_RETRY.retries(exc) or attempt == STEP_RETRY.max_attempts:
                raise
            sleep(delay)
            delay *= STEP_RETRY.backoff_rate
    raise AssertionError("unreachable")


def run_to_end(
    steps: JobSteps, tenant: str, operation_id: str, sleep: Callable[[float], None] = time.sleep
) -> Operation | None:
    """The local orchestrator: the state machine's path (begin, each phase until done, finish; fail on an error)
    in one thread. Returns the final operation, or None when it was abandoned to another job."""
    try:
        operation = retried(lambda: steps.begin(tenant, operation_id), sleep)
        for phase in PHASES[operation.kind]:
            while not retried(lambda phase=phase: steps.step(tenant, operation_id, phase), sleep):  # type: ignore[misc]
                pass
        return retried(lambda: steps.finish(tenant, operation_id), sleep)  # type: ignore[no-any-return]
    except OperationAbandoned:
        return None
    except Exception as exc:
        return steps.fail(tenant, operation_id, error_text(exc))
