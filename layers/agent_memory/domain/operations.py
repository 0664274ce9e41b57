"""Async jobs as operations: their kinds, the phases each kind runs in order, and the record clients poll.

The phase list is the one workflow definition: the local worker runs it in order and the CDK app builds each kind's
Step Functions state machine from it, so both orchestrators run the same steps in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from agent_memory.domain.clock import from_micros, to_micros
from agent_memory.domain.errors import AgentMemoryError, ModelUnavailable, SearchUnavailable, StoreUnavailable

LOCK_SECONDS = 15 * 60
"""How long a job holds its (tenant, user, kind) lock without reporting; every step, and every checkpoint inside a
step, renews it. A crashed job's lock runs out after this, so the next request can start a new one."""

CHECKPOINT_SECONDS = 10.0
"""A phase whose work writes nothing for a while (judging, reading) still saves its progress this often: the
operation shows it, and the lease is renewed long before it runs out. Work that writes saves with every write."""

MAX_LISTED_OPERATIONS = 100
MAX_REPORTED_CHANGES = 50
"""The result summary lists at most this many changes of each sort (counts are always complete)."""


class JobKind(StrEnum):
    OPTIMIZE = "optimize"
    BACKFILL_ENTITIES = "backfill-entities"
    CONSOLIDATE_CONVERSATIONS = "consolidate-conversations"
    GENERATE_EPISODES = "generate-episodes"
    REINDEX = "reindex"
    ERASE_USER = "erase-user"
    EXPORT = "export"


STARTED_BY_JOBS_ENDPOINT = frozenset(kind for kind in JobKind if kind is not JobKind.ERASE_USER)
"""Kinds `POST /v1/jobs/{kind}` starts; an erasure has its own endpoint (`DELETE /v1/users/{user_id}`)."""


class Phase(StrEnum):
    RESOLVE_DUPLICATES = "resolve-duplicates"
    REFRESH_TOPICS = "refresh-topics"
    BACKFILL_ENTITIES = "backfill-entities"
    CONSOLIDATE_CONVERSATIONS = "consolidate-conversations"
    GENERATE_EPISODES = "generate-episodes"
    REINDEX = "reindex"
    ERASE_MEMORIES = "erase-memories"
    ERASE_SEARCH_INDEX = "erase-search-index"
    ERASE_LOGS = "erase-logs"
    ERASE_RECORDS = "erase-records"
    VERIFY_ERASURE = "verify-erasure"
    EXPORT = "export"


PHASES: dict[JobKind, tuple[Phase, ...]] = {
    JobKind.OPTIMIZE: (Phase.RESOLVE_DUPLICATES, Phase.REFRESH_TOPICS),
    JobKind.BACKFILL_ENTITIES: (Phase.BACKFILL_ENTITIES,),
    JobKind.CONSOLIDATE_CONVERSATIONS: (Phase.CONSOLIDATE_CONVERSATIONS,),
    JobKind.GENERATE_EPISODES: (Phase.GENERATE_EPISODES,),
    JobKind.REINDEX: (Phase.REINDEX,),
    JobKind.ERASE_USER: (
        Phase.ERASE_MEMORIES,
        Phase.ERASE_SEARCH_INDEX,
        Phase.ERASE_LOGS,
        Phase.ERASE_RECORDS,
        Phase.VERIFY_ERASURE,
    ),
    JobKind.EXPORT: (Phase.EXPORT,),
}


class OperationStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (OperationStatus.SUCCEEDED, OperationStatus.FAILED)


@dataclass(frozen=True, slots=True)
class Operation:
    id: str
    tenant: str
    user_id: str
    kind: JobKind
    status: OperationStatus
    created_at: datetime
    updated_at: datetime
    params: dict[str, Any] = field(default_factory=dict)
    phase: Phase | None = None
    phase_done: bool = False
    cursor: dict[str, Any] | None = None
    done: int = 0
    total: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    result: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def dry_run(self) -> bool:
        return bool(self.params.get("dry_run", False))

    def with_changes(self, **changes: Any) -> Operation:
        return replace(self, **changes)

    def counted(self, **added: int) -> dict[str, int]:
        counts = dict(self.counts)
        for name, value in added.items():
            counts[name] = counts.get(name, 0) + value
        return counts


def lock_expiry(now: datetime) -> datetime:
    return now + timedelta(seconds=LOCK_SECONDS)


class OperationAbandoned(AgentMemoryError):
    """A step found its operation finished or its lock taken by another: it stops without changing anything."""

    status = 409
    code = "operation_abandoned"
    title = "Operation no longer running"


class JobUnavailable(AgentMemoryError):
    status = 503
    code = "job_runner_unavailable"
    title = "Jobs cannot be started right now"


def _instant(value: datetime | None) -> int | None:
    return None if value is None else to_micros(value)


def _moment(value: int | None) -> datetime | None:
    return None if value is None else from_micros(value)


def to_record(operation: Operation) -> dict[str, Any]:
    """The operation as plain JSON data: how both stores keep it."""
    return {
        "id": operation.id,
        "tenant": operation.tenant,
        "user_id": operation.user_id,
        "kind": operation.kind.value,
        "status": operation.status.value,
        "created_at": to_micros(operation.created_at),
        "updated_at": to_micros(operation.updated_at),
        "params": operation.params,
        "phase": None if operation.phase is None else operation.phase.value,
        "phase_done": operation.phase_done,
        "cursor": operation.cursor,
        "done": operation.done,
        "total": operation.total,
        "counts": operation.counts,
        "result": operation.result,
        "error": operation.error,
        "started_at": _instant(operation.started_at),
        "finished_at": _instant(operation.finished_at),
    }


def from_record(record: dict[str, Any]) -> Operation:
    return Operation(
        id=record["id"],
        tenant=record["tenant"],
        user_id=record["user_id"],
        kind=JobKind(record["kind"]),
        status=OperationStatus(record["status"]),
        created_at=from_micros(record["created_at"]),
        updated_at=from_micros(record["updated_at"]),
        params=dict(record.get("params") or {}),
        phase=None if record.get("phase") is None else Phase(record["phase"]),
        phase_done=bool(record.get("phase_done", False)),
        cursor=record.get("cursor"),
        done=int(record.get("done", 0)),
        total=record.get("total"),
        counts={str(k): int(v) for k, v in (record.get("counts") or {}).items()},
        result=dict(record.get("result") or {}),
        error=record.get("error"),
        started_at=_moment(record.get("started_at")),
        finished_at=_moment(record.get("finished_at")),
    )


def abandoned(operation: Operation, now: datetime) -> Operation:
    """An unfinished operation whose lock ran out: marked failed so it is never left looking alive."""
    return operation.with_changes(
        status=OperationStatus.FAILED,
        error=f"The job stopped reporting for {LOCK_SECONDS // 60} minutes and was given up.",
        updated_at=now,
        finished_at=now,
    )


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How a failed step is retried before the job fails: on a transient failure (a store, the index or a model
    unavailable for now), with backoff, a few times. The local worker and the state machines apply the same rule."""

    transient: tuple[type[AgentMemoryError], ...]
    interval_seconds: int
    backoff_rate: float
    max_attempts: int

    def retries(self, error: BaseException) -> bool:
        return isinstance(error, self.transient)


STEP_RETRY = RetryPolicy(
    transient=(StoreUnavailable, SearchUnavailable, ModelUnavailable),
    interval_seconds=2,
    backoff_rate=2.0,
    max_attempts=4,
)
