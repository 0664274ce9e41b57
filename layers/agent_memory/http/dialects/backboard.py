"""The Backboard-compatible API (`/api/assistants/{assistant_id}/memories`, `/api/assistants/{assistant_id}/threads`,
`/api/threads/{thread_id}/messages`): Backboard's paths over the same services as /v1. Backboard names no user: every
operation acts for the API key's own user (a key bound to one; a key bound to none is 403). An assistant's memories
are the user's memories with `agent_id` = the assistant. A thread id carries its assistant (`thr_<ulid>_<assistant>`),
so nothing is stored to keep the association. Mapping: docs/api.md."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Path, Query, Request
from pydantic import ValidationError

from agent_memory.domain import limits
from agent_memory.domain.conversation import MemoryMode, Message, Role, Turn
from agent_memory.domain.errors import Forbidden, InvalidInput, NotFound
from agent_memory.domain.ids import new_ulid
from agent_memory.domain.models import MemoryPatch, NewMemory, Owner, Principal, Scope
from agent_memory.http.deps import Conversations, Memories, Reader, Search, Settings, Writer
from agent_memory.http.dialects.backboard_schemas import (
    BackboardAddMemory,
    BackboardMemory,
    BackboardOperation,
    BackboardStatsOut,
    MemoryList,
    MemoryWritten,
    MessageIn,
    MessageOut,
    ThreadOut,
    UpdateMemory,
    operation_id,
    parse_operation_id,
)
from agent_memory.http.filters import memory_filter
from agent_memory.http.openapi_problems import problems

THREAD_PREFIX = "thr_"
ULID_CHARS = 26
MAX_ASSISTANT_CHARS = limits.MAX_ID_CHARS - len(THREAD_PREFIX) - ULID_CHARS - 1


def _operation(prefix: str) -> APIRouter:
    return APIRouter(prefix=prefix, tags=["compatible: Backboard"])


MEMORIES = "/api/assistants/{assistant_id}/memories"
# One router per operation (see routers/memories.py).
list_memories = _operation(MEMORIES)
add_memory = _operation(MEMORIES)
update_memory = _operation(MEMORIES)
delete_memory = _operation(MEMORIES)
memory_stats = _operation(MEMORIES)
operation_status = _operation(MEMORIES)
create_thread = _operation("/api/assistants/{assistant_id}/threads")
add_message = _operation("/api/threads/{thread_id}/messages")

AssistantId = Annotated[str, Path(min_length=1, max_length=MAX_ASSISTANT_CHARS, description="The assistant.")]
MemoryId = Annotated[str, Path(min_length=1, max_length=limits.MAX_ID_CHARS)]
ThreadId = Annotated[str, Path(min_length=1, max_length=limits.MAX_ID_CHARS, description="From POST …/threads.")]


def _scope(principal: Principal, assistant_id: str) -> tuple[Owner, str]:
    """The key's user, and the assistant (a key bound to another agent is 403)."""
    owner = principal.bound_owner()
    return owner, principal.agent(assistant_id) or assistant_id


def assistant_of(thread_id: str) -> str:
    """The assistant a thread id names; an id not made by POST …/threads is not found."""
    prefix, ulid, assistant = thread_id[: len(THREAD_PREFIX)], thread_id[len(THREAD_PREFIX) :][:ULID_CHARS], ""
    if len(thread_id) > len(THREAD_PREFIX) + ULID_CHARS + 1 and thread_id[len(THREAD_PREFIX) + ULID_CHARS] == "_":
        assistant = thread_id[len(THREAD_PREFIX) + ULID_CHARS + 1 :]
    if prefix != THREAD_PREFIX or len(ulid) != ULID_CHARS or not assistant:
        raise NotFound(f"Thread {thread_id} was not found.")
    return assistant


@list_memories.get("", response_model=MemoryList)
def list_assistant_memories(
    assistant_id: AssistantId,
    principal: Reader,
    memories: Memories,
    limit: Annotated[int, Query(ge=1, le=limits.MAX_PAGE_SIZE)] = limits.MAX_PAGE_SIZE,
    cursor: Annotated[str | None, Query(min_length=1, max_length=1024)] = None,
) -> MemoryList:
    """The assistant's memories (of the key's user), newest first."""
    owner, assistant = _scope(principal, assistant_id)
    page = memories.list_memories(owner, memory_filter(assistant), limit, cursor)
    return MemoryList(
        memories=[BackboardMemory.of(m) for m in page.items], total_count=page.total, next_cursor=page.next_cursor
    )


@add_memory.post("", response_model=MemoryWritten, responses=problems(409, 502))
def add_assistant_memory(
    assistant_id: AssistantId, body: BackboardAddMemory, principal: Writer, memories: Memories
) -> MemoryWritten:
    """Remember one fact for the assistant; written at once, reported as a completed operation."""
    owner, assistant = _scope(principal, assistant_id)
    new = NewMemory(user_id=owner.user_id, content=body.content, agent_id=assistant, metadata=body.metadata or {})
    memory = memories.create(owner.tenant, new)
    return MemoryWritten.of(memory, operation_id("add", memory.id))


@update_memory.put("/{memory_id}", response_model=MemoryWritten, responses=problems(404, 409))
def update_assistant_memory(
    assistant_id: AssistantId, memory_id: MemoryId, body: UpdateMemory, principal: Writer, memories: Memories
) -> MemoryWritten:
    """Change a memory of the assistant (content and/or metadata); another assistant's is 404."""
    owner, assistant = _scope(principal, assistant_id)
    memories.get(owner, memory_id, assistant)  # another assistant's memory is 404, and stays as it was
    memory = memories.update(owner, memory_id, MemoryPatch(content=body.content, metadata=body.metadata), assistant)
    return MemoryWritten.of(memory, operation_id("update", memory.id))


@delete_memory.delete("/{memory_id}", response_model=BackboardOperation, responses=problems(404))
def delete_assistant_memory(
    assistant_id: AssistantId, memory_id: MemoryId, principal: Writer, memories: Memories
) -> BackboardOperation:
    """Forget a memory of the assistant; another assistant's (or unknown) is 404."""
    owner, assistant = _scope(principal, assistant_id)
    memories.get(owner, memory_id, assistant)  # another assistant's memory is 404, and stays as it was
    memories.delete(owner, memory_id, assistant)
    return BackboardOperation(operation_id=operation_id("delete", memory_id), status="COMPLETED", memory_id=memory_id)


@memory_stats.get("/stats", response_model=BackboardStatsOut)
def assistant_memory_stats(assistant_id: AssistantId, principal: Reader, search: Search) -> BackboardStatsOut:
    """How many memories the assistant has (for the key's user), and the user's total over every assistant."""
    owner, assistant = _scope(principal, assistant_id)
    found = search.stats(owner.tenant, owner.user_id)
    return BackboardStatsOut.of(assistant, found)


@operation_status.get("/operations/{operation_id}", response_model=BackboardOperation, responses=problems(404))
def memory_operation_status(
    assistant_id: AssistantId,
    operation_id: Annotated[str, Path(min_length=1, max_length=200)],
    principal: Reader,
    memories: Memories,
) -> BackboardOperation:
    """The status of a memory write: writes are done before they answer, so an operation id they gave is
    COMPLETED while its outcome holds (an added or updated memory of the assistant is there, a deleted one is
    not); anything else is 404."""
    owner, assistant = _scope(principal, assistant_id)
    action, memory_id = parse_operation_id(operation_id)
    try:
        memories.get(owner, memory_id, assistant)
        present = True
    except NotFound:
        present = False
    if present != (action != "delete"):
        raise NotFound(f"Operation {operation_id} was not found.")
    return BackboardOperation(operation_id=operation_id, status="COMPLETED", memory_id=memory_id, action=action)


@create_thread.post("", status_code=201, response_model=ThreadOut)
def create_assistant_thread(assistant_id: AssistantId, principal: Reader) -> ThreadOut:
    """A new thread of the assistant: its id names the assistant, so nothing is stored until a message comes (a
    read-only key may open one, for Readonly and Off messages)."""
    _, assistant = _scope(principal, assistant_id)
    return ThreadOut(thread_id=f"{THREAD_PREFIX}{new_ulid()}_{assistant}", assistant_id=assistant)


MESSAGE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            media: {"schema": MessageIn.model_json_schema()}
            for media in ("application/x-www-form-urlencoded", "application/json")
        },
    }
}


async def _message_body(request: Request) -> MessageIn:
    """Form-encoded (as the page's example) or JSON."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if media == "application/x-www-form-urlencoded":
            # parsed here: Starlette's form parser needs a multipart library this API does not otherwise use
            data: Any = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True, strict_parsing=False))
        else:
            data = json.loads(await request.body() or b"null")
        return MessageIn.model_validate(data)
    except ValidationError as exc:
        errors = [
            {"loc": ".".join(["body", *map(str, e["loc"])]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()
        ]
        raise InvalidInput("; ".join(f"{e['loc']}: {e['msg']}" for e in errors), errors=errors) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("body: not JSON or form-encoded") from exc


@add_message.post("", response_model=MessageOut, openapi_extra=MESSAGE_BODY, responses=problems(404, 409, 502))
async def add_thread_message(
    thread_id: ThreadId, request: Request, principal: Reader, settings: Settings, conversations: Conversations
) -> MessageOut:
    """A user message in the thread: remembered per `memory` (Off, On, Auto, Readonly, any case) and answered by the
    configured chat model with what the assistant recalls from all of its threads (never another assistant's); with
    no model configured `content` is null and `memory_context` carries what it would be given."""
    body = await _message_body(request)
    owner, assistant = _scope(principal, assistant_of(thread_id))
    mode = MemoryMode.effective(body.memory, settings.get(principal.tenant).default_memory_mode)
    if mode.stores and not principal.allows(Scope.WRITE):
        raise Forbidden(f"memory '{body.memory}' stores facts: this API key lacks the 'write' scope.")
    said = (Message(Role.USER, body.content),)
    turn = Turn(owner.user_id, thread_id, said, agent_id=assistant, mode=mode, reply=True)
    outcome = conversations.turn(principal.tenant, turn, agent_only=True, keep_transcript=principal.allows(Scope.WRITE))
    return MessageOut.of(thread_id, assistant, outcome)


ROUTERS = [
    memory_stats,
    operation_status,
    list_memories,
    add_memory,
    update_memory,
    delete_memory,
    create_thread,
    add_message,
]
