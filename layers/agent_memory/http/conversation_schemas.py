"""The conversation turn API's bodies."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from agent_memory.domain import limits
from agent_memory.domain.conversation import (
    MAX_MESSAGE_CHARS,
    MAX_MESSAGES_PER_TURN,
    MAX_RECALL_LIMIT,
    MemoryMode,
    Message,
    Role,
    SkipReason,
    Turn,
    TurnOutcome,
)
from agent_memory.domain.models import Principal
from agent_memory.http.schemas import BOUND_USER, Strict


class MessageIn(Strict):
    role: Role
    content: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    id: str | None = Field(default=None, min_length=1, max_length=limits.MAX_ID_CHARS, description="Your id for it.")
    ts: datetime | None = None


class ConversationTurnRequest(Strict):
    user_id: str | None = Field(default=None, min_length=1, max_length=limits.MAX_ID_CHARS, description=BOUND_USER)
    agent_id: str | None = Field(default=None, min_length=1, max_length=limits.MAX_ID_CHARS)
    messages: list[MessageIn] = Field(min_length=1, max_length=MAX_MESSAGES_PER_TURN)
    memory: MemoryMode | None = Field(default=None, description="off, on, auto or readonly; default: the tenant's.")
    recall_limit: int | None = Field(
        default=None, ge=1, le=MAX_RECALL_LIMIT, strict=True, description="default: the tenant's recall_limit setting"
    )

    def to_domain(self, thread_id: str, principal: Principal) -> Turn:
        return Turn(
            user_id=principal.user(self.user_id, "body.user_id"),
            thread_id=thread_id,
            agent_id=principal.agent(self.agent_id),
            mode=self.memory,
            recall_limit=self.recall_limit,
            messages=tuple(Message(role=m.role, content=m.content, ref=m.id, ts=m.ts) for m in self.messages),
        )


class SavedOut(BaseModel):
    id: str
    content: str


class SkippedOut(BaseModel):
    content: str
    reason: SkipReason
    existing_id: str | None = None
    detail: str | None = None


class RecalledOut(BaseModel):
    id: str
    content: str
    score: float
    matched_by: str


class ConversationTurnResponse(BaseModel):
    thread_id: str
    user_id: str
    mode: MemoryMode
    saved: list[SavedOut]
    skipped: list[SkippedOut]
    recalled: list[RecalledOut]
    context: str = Field(description="Ready to put in front of the model (empty when nothing was recalled).")
    extractor: str | None
    recall_id: str | None = Field(
        default=None, description="Report which recalled memories were used: POST /v1/recalls/{recall_id}/feedback."
    )

    @classmethod
    def of(cls, thread_id: str, user_id: str, outcome: TurnOutcome) -> ConversationTurnResponse:
        return cls(
            thread_id=thread_id,
            user_id=user_id,
            mode=outcome.mode,
            saved=[SavedOut(id=s.memory_id, content=s.content) for s in outcome.saved],
            skipped=[
                SkippedOut(content=s.content, reason=s.reason, existing_id=s.existing_id, detail=s.detail)
                for s in outcome.skipped
            ],
            recalled=[
                RecalledOut(id=r.memory_id, content=r.content, score=r.score, matched_by=r.matched_by)
                for r in outcome.recalled
            ],
            context=outcome.context,
            extractor=outcome.extractor,
            recall_id=outcome.recall_id,
        )
