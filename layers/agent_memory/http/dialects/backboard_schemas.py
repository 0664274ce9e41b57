"""The Backboard-compatible API's bodies and answers (http/dialects/backboard.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from agent_memory.domain import limits
from agent_memory.domain.conversation import MAX_MESSAGE_CHARS, MemoryMode, TurnOutcome
from agent_memory.domain.errors import NotFound
from agent_memory.domain.models import Memory
from agent_memory.http.schemas import Strict
from agent_memory.services.search import Stats

ACTIONS = ("add", "update", "delete")
NO_MODEL = (
    "The assistant's answer by the configured chat model, given the memory context; with no model configured "
    "`content` is null and `model_configured` false, and `memory_context` is what the assistant would be given."
)


def operation_id(action: str, memory_id: str) -> str:
    """A write's operation id: its action and memory (writes are done when they answer, so nothing is stored)."""
    return f"op_{action}_{memory_id}"


def parse_operation_id(value: str) -> tuple[str, str]:
    action, _, memory_id = value.removeprefix("op_").partition("_")
    if not value.startswith("op_") or action not in ACTIONS or not memory_id:
        raise NotFound(f"Operation {value} was not found.")
    return action, memory_id


class BackboardAddMemory(Strict):
    content: str = Field(
        max_length=limits.MAX_CONTENT_CHARS_CEILING,
        description="The fact, not blank; at most the tenant's max_content_chars.",
        examples=["User is a senior software engineer with 10 years of experience"],
    )
    metadata: dict[str, Any] | None = None


class UpdateMemory(Strict):
    content: str | None = Field(default=None, max_length=limits.MAX_CONTENT_CHARS_CEILING)
    metadata: dict[str, Any] | None = None


class BackboardMemory(BaseModel):
    id: str
    content: str
    metadata: dict[str, Any]
    score: float | None = None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, memory: Memory) -> BackboardMemory:
        return cls(
            id=memory.id,
            content=memory.content,
            metadata=memory.metadata,
            created_at=memory.created_at,
            updated_at=memory.updated_at,
        )


class MemoryList(BaseModel):
    memories: list[BackboardMemory]
    total_count: int
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` for the next page; null: the last.")


class MemoryWritten(BaseModel):
    success: bool = True
    memory_id: str
    content: str
    memory: BackboardMemory
    operation_id: str = Field(description="GET …/memories/operations/{operation_id} answers its status.")
    status: Literal["COMPLETED"] = "COMPLETED"

    @classmethod
    def of(cls, memory: Memory, operation: str) -> MemoryWritten:
        return cls(
            memory_id=memory.id, content=memory.content, memory=BackboardMemory.of(memory), operation_id=operation
        )


class BackboardOperation(BaseModel):
    operation_id: str
    status: Literal["COMPLETED"]
    memory_id: str
    action: str | None = None


class BackboardStatsOut(BaseModel):
    assistant_id: str
    total_count: int = Field(description="The assistant's current memories (of the key's user).")
    user_total_count: int = Field(description="All of the user's current memories, every assistant's.")
    limit: int | None = Field(default=None, description="No limit on how many memories are kept (null).")

    @classmethod
    def of(cls, assistant_id: str, found: Stats) -> BackboardStatsOut:
        return cls(
            assistant_id=assistant_id,
            total_count=found.stats.by_agent.get(assistant_id, 0),
            user_total_count=found.stats.total,
        )


class ThreadOut(BaseModel):
    thread_id: str
    assistant_id: str
    created_at: datetime | None = None


class MessageIn(BaseModel):
    content: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    stream: bool = Field(default=False, description="Accepted; the answer comes whole, never streamed.")
    memory: MemoryMode | None = Field(default=None, description="Off, On, Auto or Readonly (any case).")


class RetrievedMemory(BaseModel):
    id: str
    memory: str
    score: float


class MessageOut(BaseModel):
    thread_id: str
    assistant_id: str
    role: Literal["assistant"] = "assistant"
    content: str | None = Field(default=None, description=NO_MODEL)
    model: str | None = Field(default=None, description="The chat model that answered (null: none configured).")
    status: Literal["COMPLETED"] = "COMPLETED"
    memory: MemoryMode = Field(description="The mode the message ran with.")
    memory_context: str = Field(description=NO_MODEL)
    retrieved_memories: list[RetrievedMemory]
    saved_memory_ids: list[str]
    model_configured: bool = Field(default=False, description=NO_MODEL)

    @classmethod
    def of(cls, thread_id: str, assistant_id: str, outcome: TurnOutcome) -> MessageOut:
        reply = outcome.reply
        return cls(
            thread_id=thread_id,
            assistant_id=assistant_id,
            memory=outcome.mode,
            memory_context=outcome.context,
            retrieved_memories=[
                RetrievedMemory(id=r.memory_id, memory=r.content, score=r.score) for r in outcome.recalled
            ],
            saved_memory_ids=[s.memory_id for s in outcome.saved],
            content=reply.text if reply is not None else None,
            model=reply.model if reply is not None else None,
            model_configured=reply is not None and reply.status == "answered",
        )
