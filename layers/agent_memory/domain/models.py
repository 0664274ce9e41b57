"""Plain typed models used inside the service. Pydantic lives only at the edges."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from agent_memory.domain.errors import Forbidden, InvalidInput
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
    """Who is calling: the tenant comes from credentials only, never from a request body. A key bound to a user
    (`user_id`) reaches that user only and supplies the user_id a request leaves out; bound to an agent as well
    (`agent_id`), it reads and changes only that agent's memories. Every edge resolves users and agents here."""

    tenant: str
    scopes: frozenset[Scope]
    key_id: str
    user_id: str | None = None
    agent_id: str | None = None

    def allows(self, scope: Scope) -> bool:
        return Scope.ADMIN in self.scopes or scope in self.scopes

    def user(self, requested: str | None, where: str = "query.user_id") -> str:
        """The user a request is about: the one it names, else the key's. A bound key naming another user is
        refused (403) whether or not that user exists; an unbound key must name one (422 at `where`)."""
        if self.user_id is None:
            if requested is None:
                raise InvalidInput(
                    f"{where}: Field required (this API key is bound to no user: name the user_id)",
                    errors=[{"loc": where, "msg": "Field required", "type": "missing"}],
                )
            return requested
        if requested is not None and requested != self.user_id:
            raise Forbidden("This API key is bound to one user and cannot reach another.")
        return self.user_id

    def owner(self, requested: str | None, where: str = "query.user_id") -> Owner:
        return Owner(self.tenant, self.user(requested, where))

    def bound_owner(self) -> Owner:
        """For operations that take no user at all (the compatible APIs that act for the caller): the key's user; a
        key bound to none is refused (403)."""
        if self.user_id is None:
            raise Forbidden("This operation acts for the API key's own user: use a key bound to one (--user-id).")
        return Owner(self.tenant, self.user_id)

    def user_or_tenant(self, requested: str | None) -> str | None:
        """For operations where no user_id means the whole tenant: a bound key always means its own user."""
        return requested if self.user_id is None else self.user(requested)

    def tenant_wide(self, what: str) -> None:
        """Operations on every user of the tenant are not for a key bound to one user (403)."""
        if self.user_id is not None:
            raise Forbidden(f"{what} reaches every user of the tenant: this API key is bound to one user.")

    def agent(self, requested: str | None) -> str | None:
        """The agent a request names or filters by: the key's agent if bound (another one is refused, 403)."""
        if self.agent_id is None:
            return requested
        if requested is not None and requested != self.agent_id:
            raise Forbidden("This API key is bound to one agent and cannot reach another's memories.")
        return self.agent_id

    def whole_user(self, what: str) -> None:
        """Operations on all of a user's memories at once are not for a key bound to one agent (403)."""
        if self.agent_id is not None:
            raise Forbidden(f"{what} works on all of the user's memories: this API key is bound to one agent.")


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
    user_id: str | None = None  # the one user the key reaches (None: any user of the tenant)
    agent_id: str | None = None  # the one agent of that user whose memories it reaches (None: all)


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """A response kept for replay under an Idempotency-Key."""

    fingerprint: str
    status: int | None  # None while the first request is still running
    body: bytes
    created_at: datetime
