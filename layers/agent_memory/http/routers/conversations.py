"""/v1/conversations/{thread_id}/messages: one call per conversation turn."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from agent_memory.domain import limits
from agent_memory.domain.conversation import MemoryMode
from agent_memory.domain.errors import Forbidden
from agent_memory.domain.models import Scope
from agent_memory.http.conversation_schemas import ConversationTurnRequest, ConversationTurnResponse
from agent_memory.http.deps import Conversations, Reader, Settings
from agent_memory.http.openapi_problems import problems

# One router per operation (see memories.py).
turn = APIRouter(prefix="/v1/conversations", tags=["conversations"])

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
    outcome = conversations.turn(principal.tenant, turn_, agent_only=principal.agent_id is not None)
    return ConversationTurnResponse.of(thread_id, turn_.user_id, outcome)


ROUTERS = [turn]
