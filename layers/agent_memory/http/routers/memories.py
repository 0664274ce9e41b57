"""/v1/memories: create, batch create, list, get, update, delete, bulk delete, history."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from agent_memory.contract import IDEMPOTENCY_KEY_HEADER
from agent_memory.domain import limits
from agent_memory.domain.errors import AgentMemoryError
from agent_memory.domain.models import MemoryPatch, Source
from agent_memory.http.deps import Clusters, Idempotency, Memories, Reader, Writer
from agent_memory.http.errors import problem_of
from agent_memory.http.filters import ClusterId, UserId, memory_filter
from agent_memory.http.idempotent import idempotent_response
from agent_memory.http.openapi_problems import problems
from agent_memory.http.schemas import (
    BatchCreateRequest,
    BatchCreateResponse,
    BatchItemResult,
    BulkDeleteRequest,
    CreateMemoryRequest,
    HistoryEntryOut,
    HistoryResponse,
    MemoryOut,
    MemoryPage,
    UpdateMemoryRequest,
)


def _operation() -> APIRouter:
    return APIRouter(prefix="/v1/memories", tags=["memories"])


# One router per operation: a Lambda function mounts only its own; the local server mounts them all (ROUTERS).
create = _operation()
create_batch = _operation()
listing = _operation()
bulk_delete = _operation()
get_one = _operation()
update = _operation()
delete = _operation()
history = _operation()

IdempotencyKey = Annotated[
    str | None,
    Header(alias=IDEMPOTENCY_KEY_HEADER, max_length=limits.MAX_ID_CHARS, description="Replays the first response."),
]


@create.post("", status_code=201, response_model=MemoryOut, responses=problems(409, 502))
def create_memory(
    body: CreateMemoryRequest,
    principal: Writer,
    memories: Memories,
    idempotency: Idempotency,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Remember one thing about a user. Duplicate content (after normalisation) answers 409 with `existing_id`."""
    new = body.to_domain(principal)
    return idempotent_response(
        idempotency,
        principal,
        idempotency_key,
        "POST /v1/memories",
        body,
        201,
        lambda: MemoryOut.of(memories.create(principal.tenant, new)),
        user_ids=[new.user_id],
    )


@create_batch.post("/batch", response_model=BatchCreateResponse, responses=problems(409, 502))
def create_memories(
    body: BatchCreateRequest,
    principal: Writer,
    memories: Memories,
    idempotency: Idempotency,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Remember up to 100 things at once. Each item succeeds or fails on its own (see `results`)."""

    items = [item.to_domain(principal, f"body.items.{i}.user_id") for i, item in enumerate(body.items)]

    def handle() -> BatchCreateResponse:
        outcomes = memories.create_batch(principal.tenant, items)
        results: list[BatchItemResult] = []
        for index, outcome in enumerate(outcomes):
            if isinstance(outcome, AgentMemoryError):
                results.append(BatchItemResult(index=index, status=outcome.status, error=problem_of(outcome)))
            else:
                results.append(BatchItemResult(index=index, status=201, id=outcome.id, memory=MemoryOut.of(outcome)))
        created = sum(1 for r in results if r.status == 201)
        return BatchCreateResponse(created=created, failed=len(results) - created, results=results)

    users = sorted({item.user_id for item in items})
    return idempotent_response(
        idempotency, principal, idempotency_key, "POST /v1/memories/batch", body, 200, handle, user_ids=users
    )


@listing.get("", response_model=MemoryPage)
def list_memories(
    principal: Reader,
    memories: Memories,
    clusters: Clusters,
    user_id: UserId = None,
    agent_id: Annotated[str | None, Query(max_length=limits.MAX_ID_CHARS)] = None,
    source: Source | None = None,
    topic: Annotated[str | None, Query(max_length=limits.MAX_TOPIC_CHARS)] = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=limits.MAX_PAGE_SIZE)] = limits.DEFAULT_PAGE_SIZE,
    offset: Annotated[int, Query(ge=0, le=limits.MAX_OFFSET)] = 0,
    cursor: Annotated[str | None, Query(max_length=1024)] = None,
    include_superseded: Annotated[
        bool, Query(description="Also list memories an optimize merged away or superseded.")
    ] = False,
    cluster_id: ClusterId = None,
) -> MemoryPage:
    """Newest first. Page with `cursor` (stable while memories are added) or with `offset`."""
    owner, agent_id = principal.owner(user_id), principal.agent(agent_id)
    filters = memory_filter(agent_id, source, topic, created_after, created_before, None, include_superseded)
    within = None if cluster_id is None else clusters.members_of(owner, cluster_id, agent_id)
    page = memories.list_memories(owner, filters, limit, cursor, offset, within)
    return MemoryPage(
        items=[MemoryOut.of(m) for m in page.items],
        total=page.total,
        limit=limit,
        offset=offset,
        next_cursor=page.next_cursor,
    )


@bulk_delete.post("/delete", status_code=204, responses=problems(409))
def delete_memories(body: BulkDeleteRequest, principal: Writer, memories: Memories) -> Response:
    """Forget several memories of one user. Ids that do not exist are ignored."""
    memories.delete_many(principal.owner(body.user_id, "body.user_id"), body.ids, principal.agent_id)
    return Response(status_code=204)


@get_one.get("/{memory_id}", response_model=MemoryOut, responses=problems(404))
def get_memory(memory_id: str, principal: Reader, memories: Memories, user_id: UserId = None) -> MemoryOut:
    return MemoryOut.of(memories.get(principal.owner(user_id), memory_id, principal.agent_id))


@update.patch("/{memory_id}", response_model=MemoryOut, responses=problems(404, 409, 502))
def update_memory(memory_id: str, body: UpdateMemoryRequest, principal: Writer, memories: Memories) -> MemoryOut:
    """Change a memory. A content change is checked for duplicates and recorded in its history."""
    patch = MemoryPatch(
        content=body.content,
        summary=body.summary,
        agent_id=body.agent_id,
        importance=body.importance,
        valence=body.valence,
        topics=None if body.topics is None else tuple(body.topics),
        metadata=body.metadata,
        expires_at=body.expires_at,
        expected_version=body.version,
    )
    owner = principal.owner(body.user_id, "body.user_id")
    return MemoryOut.of(memories.update(owner, memory_id, patch, principal.agent_id))


@delete.delete("/{memory_id}", status_code=204, responses=problems(404, 409))
def delete_memory(memory_id: str, principal: Writer, memories: Memories, user_id: UserId = None) -> Response:
    memories.delete(principal.owner(user_id), memory_id, principal.agent_id)
    return Response(status_code=204)


@history.get("/{memory_id}/history", response_model=HistoryResponse, responses=problems(404))
def memory_history(memory_id: str, principal: Reader, memories: Memories, user_id: UserId = None) -> HistoryResponse:
    entries = memories.history(principal.owner(user_id), memory_id, principal.agent_id)
    return HistoryResponse(memory_id=memory_id, entries=[HistoryEntryOut.of(e) for e in entries])


ROUTERS = [create, create_batch, listing, bulk_delete, get_one, update, delete, history]
