"""The job and operation API's bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Response
from pydantic import BaseModel, Field, StrictBool

from agent_memory.domain import limits
from agent_memory.domain.operations import PHASES, JobKind, Operation, OperationStatus
from agent_memory.http.schemas import Strict


class StartJobRequest(Strict):
    user_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=limits.MAX_ID_CHARS,
        description="Whose memories the job works on; required unless the API key is bound to a user.",
    )
    dry_run: StrictBool | None = Field(default=None, description="optimize only: report the plan, change nothing.")
    force: StrictBool | None = Field(
        default=None, description="reindex only: re-embed every memory, not only stale ones."
    )

    def params(self) -> dict[str, Any]:
        return {name: value for name, value in (("dry_run", self.dry_run), ("force", self.force)) if value is not None}


class ProgressOut(BaseModel):
    phase: str | None = Field(description="The step running now (or last run).")
    phase_number: int = Field(description="1-based position of that step; 0 before the first.")
    phases: int
    done: int = Field(description="Items the current step has processed.")
    total: int | None = Field(description="Items the current step will process, when known.")


class OperationOut(BaseModel):
    operation_id: str
    kind: JobKind
    status: OperationStatus
    user_id: str
    params: dict[str, Any]
    progress: ProgressOut
    counts: dict[str, int]
    result: dict[str, Any]
    error: str | None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, operation: Operation) -> OperationOut:
        phases = PHASES[operation.kind]
        return cls(
            operation_id=operation.id,
            kind=operation.kind,
            status=operation.status,
            user_id=operation.user_id,
            params=operation.params,
            progress=ProgressOut(
                phase=None if operation.phase is None else operation.phase.value,
                phase_number=0 if operation.phase is None else phases.index(operation.phase) + 1,
                phases=len(phases),
                done=operation.done,
                total=operation.total,
            ),
            counts=operation.counts,
            result=operation.result,
            error=operation.error,
            created_at=operation.created_at,
            updated_at=operation.updated_at,
            started_at=operation.started_at,
            finished_at=operation.finished_at,
        )


class OperationPage(BaseModel):
    items: list[OperationOut]
    next_before: str | None = Field(description="Pass as `before` for the next (older) page; null on the last.")


def answer_started(response: Response, operation: Operation, created: bool) -> OperationOut:
    """A started job's answer: 202 with the new operation, or 200 with the one of the same kind still queued or
    running for the user (one at a time); `Location` is where to poll it."""
    response.status_code = 202 if created else 200
    response.headers["Location"] = f"/v1/operations/{operation.id}"
    return OperationOut.of(operation)


STILL_RUNNING: dict[int | str, dict[str, Any]] = {
    200: {"model": OperationOut, "description": "The same job for this user is still running."}
}
