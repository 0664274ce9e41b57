"""The Operativus-compatible API (`/api/memories`): Operativus's paths, fields and answers over the same services as
/v1. Every operation takes an optional `userId`; left out, it is the key's bound user (a key bound to none must name
it: 422). Errors are agent-memory's problem+json. Mapping: docs/api.md."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response
from pydantic import BaseModel, Field, StringConstraints

from agent_memory.domain import limits
from agent_memory.domain.models import NewMemory, Owner, Principal
from agent_memory.domain.operations import JobKind
from agent_memory.http.deps import Clusters, Memories, Operations, Reader, Search, Writer
from agent_memory.http.filters import memory_filter
from agent_memory.http.job_schemas import answer_started
from agent_memory.http.openapi_problems import problems
from agent_memory.http.schemas import Strict
from agent_memory.services.search import MAX_QUERY_CHARS, SearchMode


def _operation() -> APIRouter:
    return APIRouter(prefix="/api/memories", tags=["compatible: Operativus"])


# One router per operation (see routers/memories.py).
add = _operation()
search = _operation()
delete = _operation()
optimize = _operation()
stats = _operation()
topics = _operation()

UserId = Annotated[
    str | None,
    Query(
        alias="userId",
        min_length=1,
        max_length=limits.MAX_ID_CHARS,
        description="The user; defaults to the key's user (required for a key bound to none).",
    ),
]
MemoryId = Annotated[str, StringConstraints(min_length=1, max_length=limits.MAX_ID_CHARS)]


def _owner(principal: Principal, user_id: str | None) -> Owner:
    return principal.owner(user_id, "query.userId")


class OperativusAddMemory(Strict):
    content: str = Field(
        max_length=limits.MAX_CONTENT_CHARS_CEILING,
        description="The fact or preference, as a natural language statement; not blank.",
        examples=["User prefers responses in bullet-point format."],
    )


class Saved(BaseModel):
    message: str = Field(examples=["Memory saved"])


class JobStarted(BaseModel):
    jobId: str = Field(description="The operation's id (GET /v1/operations/{id} shows its progress).")  # noqa: N815


class OperativusStatsOut(BaseModel):
    totalMemories: int  # noqa: N815
    estimatedTokens: int = Field(description="Characters of content / 4, rounded up.")  # noqa: N815
    userId: str  # noqa: N815


@add.post("", response_model=Saved, responses=problems(409, 502))
def add_memory(body: OperativusAddMemory, principal: Writer, memories: Memories, user_id: UserId = None) -> Saved:
    """Store one fact for the user. The same fact again (after normalisation) answers 409 with `existing_id`."""
    owner = _owner(principal, user_id)
    memories.create(
        owner.tenant, NewMemory(user_id=owner.user_id, content=body.content, agent_id=principal.agent(None))
    )
    return Saved(message="Memory saved")


@search.get("", response_model=list[str], responses=problems(409, 502))
def search_memories(
    principal: Reader,
    search_: Search,
    query: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="What to look for, in natural language.")],
    user_id: UserId = None,
    limit: Annotated[int, Query(ge=1, le=limits.MAX_PAGE_SIZE, description="At most this many.")] = 10,
) -> list[str]:
    """The contents of the user's most relevant memories, best first (agent-memory's hybrid search)."""
    filters = memory_filter(principal.agent(None))
    found = search_.search(_owner(principal, user_id), query, SearchMode.HYBRID, limit, 0, filters)
    return [hit.memory.content for hit in found.hits]


@delete.delete("", status_code=204, responses=problems(409))
def delete_memories(
    ids: Annotated[list[MemoryId], Body(min_length=1, max_length=limits.MAX_BULK_DELETE_IDS)],
    principal: Writer,
    memories: Memories,
    user_id: UserId = None,
) -> Response:
    """Delete these memories of the user (a JSON array of ids, 1 to 100). Ids that are not the user's are ignored."""
    memories.delete_many(_owner(principal, user_id), ids, principal.agent_id)
    return Response(status_code=204)


@optimize.post(
    "/optimize",
    status_code=202,
    response_model=JobStarted,
    responses={200: {"model": JobStarted, "description": "An optimization of this user is already running."}},
)
def optimize_memories(
    principal: Writer, operations: Operations, response: Response, user_id: UserId = None
) -> JobStarted:
    """Start the optimize job (merge duplicates, supersede contradicted facts, refresh topics): 202 with its id, or
    200 with the id of the one still running for this user (nothing is queued twice)."""
    principal.whole_user("Optimizing")
    operation, created = operations.start(principal.tenant, _owner(principal, user_id).user_id, JobKind.OPTIMIZE, {})
    return JobStarted(jobId=answer_started(response, operation, created).operation_id)


@stats.get("/stats", response_model=OperativusStatsOut)
def memory_stats(principal: Reader, search_: Search, user_id: UserId = None) -> OperativusStatsOut:
    """How many memories the user has and about how many tokens they take."""
    principal.whole_user("Statistics")
    owner = _owner(principal, user_id)
    found = search_.stats(owner.tenant, owner.user_id)
    return OperativusStatsOut(
        totalMemories=found.stats.total, estimatedTokens=found.estimated_tokens, userId=owner.user_id
    )


@topics.get("/topics", response_model=list[str])
def memory_topics(principal: Reader, clusters: Clusters, user_id: UserId = None) -> list[str]:
    """The topic labels of the user's memories, most used first (optimize fills in topics of memories without)."""
    principal.whole_user("Topics")
    owner = _owner(principal, user_id)
    return [label for label, _ in clusters.topics(owner.tenant, owner.user_id)]


ROUTERS = [stats, topics, optimize, add, search, delete]
