"""/v1/conversations/{thread_id}/messages: one call per conversation turn."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from agent_memory.domain import limits
from agent_memory.domain.conversation import MemoryMode
from agent_memory.domain.errors import Forbidden
from agent_memory.domain.models import Scope
from agent_memory.http.conversation_schemas import ConversationTurnRequest, ConversationTurnResponse, RunOut
from agent_memory.http.deps import Conversations, Reader, Settings, Transcripts
from agent_memory.http.filters import UserId
from agent_memory.http.openapi_problems import problems
from agent_memory.services.transcripts import MAX_RUN_QUERY_CHARS, MAX_RUN_RESULTS

# One router per operation (see memories.py).
turn = APIRouter(prefix="/v1/conversations", tags=["conversations"])
runs = APIRouter(prefix="/v1/runs", tags=["conversations"])


class RunsResponse(BaseModel):
    query: str
    user_id: str
    results: list[RunOut]


ThreadId = Annotated[str, Path(min_length=1, max_length=limits.MAX_ID_CHARS, description="The conversation.")]


@turn.post("/{thread_id}/messages", response_model=ConversationTurnResponse, responses=problems(409, 502))
def conversation_turn(
    thread_id: ThreadId,
    body: ConversationTurnRequest,
    principal: Reader,
    settings: Settings,
    conversations: Conversations,
) -> ConversationTurnResponse:
    """Save what is worth remembering from these messages (per `memory`) and recall what is relevant to them."""
    mode = MemoryMode.effective(body.memory, settings.get(principal.tenant).default_memory_mode)
    if mode.stores and not principal.allows(Scope.WRITE):
        raise Forbidden(f"memory '{mode.value}' stores facts: this API key lacks the 'write' scope.")
    turn_ = body.to_domain(thread_id, principal)
    outcome = conversations.turn(
        principal.tenant,
        turn_,
        agent_only=principal.agent_id is not None or body.scope == "agent",
        keep_transcript=principal.allows(Scope.WRITE),
    )
    return ConversationTurnResponse.of(thread_id, turn_.user_id, outcome)


@runs.get("/search", response_model=RunsResponse)
def search_runs(
    principal: Reader,
    transcripts: Transcripts,
    q: Annotated[str, Query(min_length=1, max_length=MAX_RUN_QUERY_CHARS)],
    user_id: UserId = None,
    agent_id: Annotated[str | None, Query(min_length=1, max_length=limits.MAX_ID_CHARS)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_RUN_RESULTS)] = 5,
) -> RunsResponse:
    """The assistant's earlier outputs in the user's conversations (turns sent here and ingested logs) that match
    `q`, best first; only one agent's with `agent_id`."""
    owner = principal.owner(user_id)
    found = transcripts.search(owner, q, principal.agent(agent_id), limit)
    return RunsResponse(query=q, user_id=owner.user_id, results=[RunOut.of(run) for run in found])


ROUTERS = [turn, runs]
