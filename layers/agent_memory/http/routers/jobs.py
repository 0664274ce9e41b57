"""/v1/jobs/{kind} starts an async job; /v1/operations reads how it is going."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from agent_memory.domain import limits
from agent_memory.domain.errors import InvalidInput
from agent_memory.domain.operations import MAX_LISTED_OPERATIONS, STARTED_BY_JOBS_ENDPOINT, JobKind, OperationStatus
from agent_memory.http.deps import Operations, Reader, Writer
from agent_memory.http.job_schemas import (
    STILL_RUNNING,
    OperationOut,
    OperationPage,
    StartJobRequest,
    answer_started,
)
from agent_memory.http.openapi_problems import problems

# One router per operation (see memories.py).
start = APIRouter(prefix="/v1/jobs", tags=["jobs"])
get_one = APIRouter(prefix="/v1/operations", tags=["jobs"])
listing = APIRouter(prefix="/v1/operations", tags=["jobs"])


@start.post(
    "/{kind}",
    status_code=202,
    response_model=OperationOut,
    responses=STILL_RUNNING,
)
def start_job(
    kind: JobKind, body: StartJobRequest, principal: Writer, operations: Operations, response: Response
) -> OperationOut:
    """Start a job for one user: 202 with the new queued operation, or 200 with the one of the same kind that is
    still queued or running for this user (one at a time per user and kind). An erasure is started by
    `DELETE /v1/users/{user_id}`."""
    if kind not in STARTED_BY_JOBS_ENDPOINT:
        raise InvalidInput(f"{kind.value} is started by DELETE /v1/users/{{user_id}}, not here.")
    principal.whole_user("A job")
    user_id = principal.user(body.user_id, "body.user_id")
    operation, created = operations.start(principal.tenant, user_id, kind, body.params())
    return answer_started(response, operation, created)


@get_one.get("/{operation_id}", response_model=OperationOut, responses=problems(404))
def get_operation(operation_id: str, principal: Reader, operations: Operations) -> OperationOut:
    principal.whole_user("An operation")
    return OperationOut.of(operations.get(principal.tenant, operation_id, principal.user_id))


@listing.get("", response_model=OperationPage)
def list_operations(
    principal: Reader,
    operations: Operations,
    user_id: Annotated[str | None, Query(min_length=1, max_length=limits.MAX_ID_CHARS)] = None,
    kind: JobKind | None = None,
    status: OperationStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LISTED_OPERATIONS)] = 20,
    before: Annotated[str | None, Query(min_length=1, max_length=limits.MAX_ID_CHARS)] = None,
) -> OperationPage:
    """The tenant's operations, newest first, optionally of one user, kind or status (a key bound to a user: only
    that user's)."""
    principal.whole_user("Operations")
    user_id = principal.user_or_tenant(user_id)
    found, next_before = operations.list(principal.tenant, user_id, kind, status, limit, before)
    return OperationPage(items=[OperationOut.of(operation) for operation in found], next_before=next_before)


ROUTERS = [start, listing, get_one]
