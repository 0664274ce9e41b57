"""Plain typed models used inside the service. Pydantic lives only at the edges."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from agent_memory.domain.text import topic_label


class Source(StrEnum):
    API = "api"
    AGENT = "agent"
    CONVERSATION = "conversation"
    TASK = "task"
    INSIGHT = "insight"
    IMPORT = "import"


class Scope(StrEnum):
    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the tenant comes from credentials only, never from a request body."""

    tenant: str
    scopes: frozenset[Scope]
    key_id: str

    def allows(self, scope: Scope) -> bool:
        return Scope.ADMIN in self.scopes or scope in self.scopes


@dataclass(frozen=True, slots=True)
class Owner:
    """The isolation boundary of every read and write."""

    tenant: str
    user_id: str


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    type: str
    mentions: int = 1

    @classmethod
    def named(cls, name: str, type: str) -> Entity:
        """The one rule for entity ids: type and case-folded name, so "Berlin" and "berlin" are one place."""
        return cls(id=f"{type}:{name.casefold()}", name=name, type=type)


@dataclass(frozen=True, slots=True)
class Relation:
    """A statement a memory makes: subject, predicate, object (the subject `user` is the memory's user)."""

    subject: Entity
    predicate: str
    object: Entity


@dataclass(frozen=True, slots=True)
class Memory:
    id: str
    tenant: str
    user_id: str
    content: str
    source: Source
    created_at: datetime
    updated_at: datetime
    agent_id: str | None = None
    thread_id: str | None = None
    summary: str | None = None
    importance: float = 0.5
    valence: float = 0.0
    topics: tuple[str, ...] = ()
    entities: tuple[Entity, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    source_refs: tuple[str, ...] = ()
    access_count: int = 0
    expires_at: datetime | None = None
    supersedes: str | None = None
    superseded_by: str | None = None
    version: int = 1
    embedding_model: str | None = None
    relations: tuple[Relation, ...] = ()

    @property
    def owner(self) -> Owner:
        return Owner(self.tenant, self.user_id)

    def with_changes(self, **changes: Any) -> Memory:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class NewMemory:
    """What a client asks to remember, before the service assigns ids, timestamps and defaults."""

    user_id: str
    content: str
    agent_id: str | None = None
    thread_id: str | None = None
    summary: str | None = None
    source: Source = Source.API
    importance: float = 0.5
    valence: float = 0.0
    topics: tuple[str, ...] = ()
    entities: tuple[Entity, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    source_refs: tuple[str, ...] = ()
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MemoryPatch:
    """Fields a client may change; None means unchanged."""

    content: str | None = None
    summary: str | None = None
    agent_id: str | None = None
    importance: float | None = None
    valence: float | None = None
    topics: tuple[str, ...] | None = None
    metadata: dict[str, Any] | None = None
    expires_at: datetime | None = None
    expected_version: int | None = None

    def changed_fields(self) -> list[str]:
        names = (
            "content",
            "summary",
            "agent_id",
            "importance",
            "valence",
            "topics",
            "metadata",
            "expires_at",
        )
        return [name for name in names if getattr(self, name) is not None]


@dataclass(frozen=True, slots=True)
class MemoryFilter:
    agent_id: str | None = None
    source: Source | None = None
    topic: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    min_importance: float | None = None
    include_superseded: bool = False

    def __post_init__(self) -> None:
        # Every edge (HTTP, CLI, jobs) filters by topic the way topics are stored.
        if self.topic is not None:
            object.__setattr__(self, "topic", topic_label(self.topic))

    @property
    def is_default(self) -> bool:
        return self == MemoryFilter()


@dataclass(frozen=True, slots=True)
class MemoryStats:
    total: int
    content_chars: int
    average_importance: float | None
    average_valence: float | None
    importance_histogram: list[int]
    by_source: dict[str, int]
    by_agent: dict[str, int]
    by_topic: dict[str, int]


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Memory]
    total: int
    next_cursor: str | None


class HistoryEvent(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    SUPERSEDED = "superseded"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    memory_id: str
    version: int
    event: HistoryEvent
    at: datetime
    content: str
    previous_content: str | None
    changed_fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TenantSettings:
    """Per-tenant memory settings (docs/api.md lists each with its range). None retention keeps data forever."""

    max_content_chars: int = 300
    default_memory_mode: str = "auto"
    extraction_enabled: bool = True
    recall_limit: int = 5  # conversation.DEFAULT_RECALL_LIMIT
    min_salience: float = 0.4
    memory_retention_days: int | None = None
    raw_log_retention_days: int | None = None

    @property
    def keeps_retention(self) -> bool:
        return self.memory_retention_days is not None or self.raw_log_retention_days is not None

    def as_record(self) -> dict[str, Any]:
        """The settings as plain JSON data: how both stores keep them."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> TenantSettings:
        """Settings stored by any version: unknown fields are dropped, missing ones take their default."""
        return cls(**{name: value for name, value in record.items() if name in cls.__dataclass_fields__})


@dataclass(frozen=True, slots=True)
class ApiKeyRecord:
    key_id: str
    tenant: str
    scopes: frozenset[Scope]
    created_at: datetime
    name: str | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """A response kept for replay under an Idempotency-Key."""

    fingerprint: str
    status: int | None  # None while the first request is still running
    body: bytes
    created_at: datetime
