"""The conversation turn API's bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from agent_memory.domain import limits
from agent_memory.domain.conversation import (
    MAX_MESSAGE_CHARS,
    MAX_MESSAGES_PER_TURN,
    MAX_PROFILE_TOKENS,
    MAX_RECALL_LIMIT,
    MIN_PROFILE_TOKENS,
    MemoryMode,
    Message,
    Recalled,
    Role,
    SkipReason,
    Turn,
    TurnOutcome,
)
from agent_memory.domain.models import Principal
from agent_memory.http.schemas import BOUND_USER, Strict
from agent_memory.services.transcripts import Run


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
    scope: Literal["user", "agent"] = Field(
        default="user", description="agent: recall only memories saved under agent_id (which is then required)."
    )
    save_memories: bool = Field(default=True, description="false: extract and save nothing from this turn.")
    previous_runs: bool = Field(
        default=True, description="false: no earlier outputs of the assistant in the context and answer."
    )
    profile: bool = Field(
        default=False, description="true: also the user's standing facts (all when they fit profile_tokens)."
    )
    reply: bool = Field(
        default=False, description="true: the assistant answers too (a configured chat model; see `reply`)."
    )
    profile_tokens: int = Field(
        default=500, ge=MIN_PROFILE_TOKENS, le=MAX_PROFILE_TOKENS, strict=True, description="The profile's budget."
    )

    @model_validator(mode="after")
    def _agent_scope_names_an_agent(self) -> ConversationTurnRequest:
        if self.scope == "agent" and self.agent_id is None:
            raise ValueError("scope 'agent' needs agent_id")
        return self

    def to_domain(self, thread_id: str, principal: Principal) -> Turn:
        return Turn(
            user_id=principal.user(self.user_id, "body.user_id"),
            thread_id=thread_id,
            agent_id=principal.agent(self.agent_id),
            mode=self.memory,
            recall_limit=self.recall_limit,
            save_memories=self.save_memories,
            previous_runs=self.previous_runs,
            profile_tokens=self.profile_tokens if self.profile else None,
            reply=self.reply,
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

    @classmethod
    def of(cls, item: Recalled) -> RecalledOut:
        return cls(id=item.memory_id, content=item.content, score=item.score, matched_by=item.matched_by)


class RunOut(BaseModel):
    thread_id: str
    agent_id: str | None
    content: str
    ts: datetime | None
    score: float

    @classmethod
    def of(cls, run: Run) -> RunOut:
        return cls(thread_id=run.thread_id, agent_id=run.agent_id, content=run.content, ts=run.ts, score=run.score)


class ReplyOut(BaseModel):
    status: Literal["answered", "no_model"] = Field(description="no_model: none is configured; use `context`.")
    text: str | None
    model: str | None


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
    previous_runs: list[RunOut] = Field(
        default_factory=list, description="The assistant's matching outputs in the user's other threads."
    )
    transcript: str | None = Field(
        default=None, description="The thread's log the turn was appended to (null: not kept, see docs)."
    )
    profile: list[RecalledOut] = Field(default_factory=list, description="With profile: the user's standing facts.")
    reply: ReplyOut | None = Field(default=None, description="With reply: the assistant's answer.")

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
            recalled=[RecalledOut.of(r) for r in outcome.recalled],
            context=outcome.context,
            extractor=outcome.extractor,
            recall_id=outcome.recall_id,
            previous_runs=[RunOut.of(run) for run in outcome.previous_runs],
            transcript=outcome.transcript,
            profile=[RecalledOut.of(item) for item in outcome.profile],
            reply=None
            if outcome.reply is None
            else ReplyOut(status=outcome.reply.status, text=outcome.reply.text, model=outcome.reply.model),
        )
