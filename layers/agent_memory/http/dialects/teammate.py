"""The Teammate-compatible API (`/api/users/{user_id}/memories`): Teammate's per-user memories over the same services
as /v1. Teammate's page names no paths; the user is in every path (so delete cannot miss it), a key bound to a user
reaches only that one (403 for another). Errors are agent-memory's problem+json. Mapping: docs/api.md."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from agent_memory.domain import limits
from agent_memory.domain.models import Memory, NewMemory, Owner, Principal, Source
from agent_memory.http.deps import Memories, Reader, Writer
from agent_memory.http.filters import memory_filter
from agent_memory.http.openapi_problems import problems
from agent_memory.http.schemas import Strict


def _operation() -> APIRouter:
    return APIRouter(prefix="/api/users/{user_id}/memories", tags=["compatible: Teammate"])


# One router per operation (see routers/memories.py).
create = _operation()
list_ = _operation()
delete = _operation()

UserId = Annotated[
    str, Path(min_length=1, max_length=limits.MAX_ID_CHARS, description="The end-user whose memories these are.")
]
MemoryId = Annotated[str, Path(min_length=1, max_length=limits.MAX_ID_CHARS)]
TeammateSource = Literal["api", "agent"]


def _owner(principal: Principal, user_id: str) -> Owner:
    return principal.owner(user_id, "path.user_id")


class CreateMemory(Strict):
    content: str = Field(
        max_length=limits.MAX_CONTENT_CHARS_CEILING,
        description="A short fact about the user, not blank; at most the tenant's max_content_chars (default 300).",
        examples=["Prefers concise answers with code examples"],
    )
    source: TeammateSource = Field(
        default="api",
        description="agent: the teammate saved it during a run (its memory tool's call, forwarded).",
    )


class TeammateMemory(BaseModel):
    id: str
    user_id: str
    content: str
    source: str = Field(description="api or agent (a memory written through /v1 may carry another /v1 source).")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, memory: Memory) -> TeammateMemory:
        return cls(
            id=memory.id,
            user_id=memory.user_id,
            content=memory.content,
            source=memory.source.value,
            created_at=memory.created_at,
            updated_at=memory.updated_at,
        )


class TeammateMemories(BaseModel):
    user_id: str
    memories: list[TeammateMemory]
    total: int = Field(description="How many of the user's memories match (all pages).")
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` for the next page; null: the last.")


@create.post("", status_code=201, response_model=TeammateMemory, responses=problems(409, 502))
def create_memory(user_id: UserId, body: CreateMemory, principal: Writer, memories: Memories) -> TeammateMemory:
    """Remember one short fact about the user. The same fact again (case and whitespace aside) is 409 with
    `existing_id`; longer than the tenant's max_content_chars (default 300) is 422."""
    owner = _owner(principal, user_id)
    new = NewMemory(
        user_id=owner.user_id, content=body.content, agent_id=principal.agent(None), source=Source(body.source)
    )
    return TeammateMemory.of(memories.create(owner.tenant, new))


@list_.get("", response_model=TeammateMemories)
def list_memories(
    user_id: UserId,
    principal: Reader,
    memories: Memories,
    source: Annotated[TeammateSource | None, Query(description="Only memories of this source.")] = None,
    limit: Annotated[int, Query(ge=1, le=limits.MAX_PAGE_SIZE)] = limits.MAX_PAGE_SIZE,
    cursor: Annotated[str | None, Query(min_length=1, max_length=1024)] = None,
) -> TeammateMemories:
    """The user's current memories, newest first; `source` keeps those you created (api) or the teammate saved
    (agent)."""
    owner = _owner(principal, user_id)
    filters = memory_filter(principal.agent(None), None if source is None else Source(source))
    page = memories.list_memories(owner, filters, limit, cursor)
    return TeammateMemories(
        user_id=owner.user_id,
        memories=[TeammateMemory.of(m) for m in page.items],
        total=page.total,
        next_cursor=page.next_cursor,
    )


@delete.delete("/{memory_id}", status_code=204, responses=problems(404))
def delete_memory(user_id: UserId, memory_id: MemoryId, principal: Writer, memories: Memories) -> Response:
    """Forget one memory of this user: 204; a memory that is not this user's (or unknown) is 404."""
    memories.delete(_owner(principal, user_id), memory_id, principal.agent_id)
    return Response(status_code=204)


ROUTERS = [create, list_, delete]
