"""Conversation turns and what extraction makes of them: plain models, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

MAX_MESSAGES_PER_TURN = 100
MAX_MESSAGE_CHARS = 8_000
DEFAULT_RECALL_LIMIT = 5
MIN_PROFILE_TOKENS, MAX_PROFILE_TOKENS = 50, 4_000
MAX_RECALL_LIMIT = 20


class Role(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"
    SYSTEM = "system"
    TOOL = "tool"


class MemoryMode(StrEnum):
    OFF = "off"  # nothing stored, nothing recalled
    ON = "on"  # every extracted fact stored; recall
    AUTO = "auto"  # only facts worth keeping and not already known; recall
    READONLY = "readonly"  # recall only

    @classmethod
    def _missing_(cls, value: object) -> MemoryMode | None:
        """Any case is accepted ("Auto", "AUTO"), as the products this API replaces send it."""
        if isinstance(value, str):
            return next((mode for mode in cls if mode.value == value.casefold()), None)
        return None

    @classmethod
    def effective(cls, requested: MemoryMode | None, tenant_default: str) -> MemoryMode:
        """What a turn runs with: the mode it asked for, else the tenant's default."""
        return requested if requested is not None else cls(tenant_default)

    @property
    def stores(self) -> bool:
        return self in (MemoryMode.ON, MemoryMode.AUTO)


class FactKind(StrEnum):
    FACT = "fact"
    PREFERENCE = "preference"
    PLAN = "plan"
    RELATIONSHIP = "relationship"
    CORRECTION = "correction"


@dataclass(frozen=True, slots=True)
class Message:
    role: Role
    content: str
    ref: str | None = None  # the client's id for the message; else the service names it `turn:<turn id>#<index>`
    ts: datetime | None = None


ENTITY_TYPES: tuple[str, ...] = (
    "person",
    "place",
    "organization",
    "tool",
    "language",
    "framework",
    "concept",
    "event",
    "date",
    "food",
    "animal",
    "product",
)
"""The documented entity types (docs/api.md): the local rules and the Bedrock model both type entities with these."""


@dataclass(frozen=True, slots=True)
class EntityMention:
    name: str
    type: str  # one of ENTITY_TYPES


@dataclass(frozen=True, slots=True)
class ExtractedFact:
    """A durable fact about the user, in the third person, citing the messages (by position) it comes from."""

    content: str
    kind: FactKind
    importance: float
    valence: float = 0.0
    topics: tuple[str, ...] = ()
    entities: tuple[EntityMention, ...] = ()
    source_messages: tuple[int, ...] = ()


class SkipReason(StrEnum):
    DUPLICATE = "duplicate"  # the same content is already stored
    ALREADY_KNOWN = "already_known"  # a memory that says nearly the same is stored
    LOW_SALIENCE = "low_salience"  # not worth keeping (auto mode)
    INVALID = "invalid"  # the store refused it (e.g. longer than the tenant allows)


@dataclass(frozen=True, slots=True)
class SkippedFact:
    content: str
    reason: SkipReason
    existing_id: str | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Turn:
    user_id: str
    thread_id: str
    messages: tuple[Message, ...]
    agent_id: str | None = None
    mode: MemoryMode | None = None  # None: the tenant's default
    recall_limit: int | None = None  # None: the tenant's default
    save_memories: bool = True  # False: extract nothing from this turn, whatever the mode
    previous_runs: bool = True  # False: no earlier assistant outputs in the context
    profile_tokens: int | None = None  # the user's standing facts within this many tokens; None: no profile
    reply: bool = False  # True: the assistant (a configured chat model) answers with the memory context


@dataclass(frozen=True, slots=True)
class Reply:
    """The assistant's answer to a turn: `text` by `model`, or None with `status` `no_model`."""

    status: str  # "answered" or "no_model"
    text: str | None = None
    model: str | None = None


@dataclass(frozen=True, slots=True)
class Saved:
    memory_id: str
    content: str


@dataclass(frozen=True, slots=True)
class Recalled:
    memory_id: str
    content: str
    score: float
    matched_by: str  # "search", "topic" or "profile"


@dataclass(frozen=True, slots=True)
class TurnOutcome:
    mode: MemoryMode
    saved: list[Saved] = field(default_factory=list)
    skipped: list[SkippedFact] = field(default_factory=list)
    recalled: list[Recalled] = field(default_factory=list)
    context: str = ""
    extractor: str | None = None
    recall_id: str | None = None  # feedback on what was recalled names it
    previous_runs: list[Any] = field(default_factory=list)  # services.transcripts.Run
    profile: list[Recalled] = field(default_factory=list)
    reply: Reply | None = None
    transcript: str | None = None  # the thread's log the turn was appended to
