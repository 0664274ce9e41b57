"""Pydantic models of the HTTP API: what clients send and what they get back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agent_memory.domain import limits
from agent_memory.domain.conversation import MAX_RECALL_LIMIT
from agent_memory.domain.models import (
    Entity,
    HistoryEntry,
    Memory,
    NewMemory,
    Principal,
    Relation,
    Source,
    TenantSettings,
)
from agent_memory.domain.recalls import RecallStats
from agent_memory.domain.retention import MAX_MEMORY_RETENTION_DAYS, RAW_LOG_RETENTION_DAYS


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


BOUND_USER = "The end-user; required unless the API key is bound to one (then it is that user, and no other)."


class EntityIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    type: str = Field(default="thing", min_length=1, max_length=50)


class MemoryFields(Strict):
    """What a new memory may say about itself (every create body: /v1 and the compatible APIs)."""

    content: str = Field(max_length=limits.MAX_CONTENT_CHARS_CEILING, examples=["Prefers window seats on long flights"])
    agent_id: str | None = Field(default=None, min_length=1, max_length=limits.MAX_ID_CHARS)
    thread_id: str | None = Field(default=None, min_length=1, max_length=limits.MAX_ID_CHARS)
    summary: str | None = Field(default=None, max_length=limits.MAX_SUMMARY_CHARS)
    source: Source = Source.API
    # strict: JSON true or "0.5" is not a number (lax parsing would store 1.0 for true)
    importance: float = Field(default=0.5, ge=0.0, le=1.0, strict=True)
    valence: float = Field(default=0.0, ge=-1.0, le=1.0, strict=True)
    topics: list[str] = Field(default_factory=list, max_length=limits.MAX_TOPICS)
    entities: list[EntityIn] = Field(default_factory=list, max_length=50)
    metadata: dict[str, Any] = Field(default_factory=dict)
    source_refs: list[str] = Field(default_factory=list, max_length=limits.MAX_SOURCE_REFS)
    expires_at: datetime | None = None

    def new_memory(self, user_id: str, principal: Principal) -> NewMemory:
        """The memory to create for this user, with the agent the caller's key allows."""
        return NewMemory(
            user_id=user_id,
            content=self.content,
            agent_id=principal.agent(self.agent_id),
            thread_id=self.thread_id,
            summary=self.summary,
            source=self.source,
            importance=self.importance,
            valence=self.valence,
            topics=tuple(self.topics),
            entities=tuple(Entity.named(e.name, e.type) for e in self.entities),
            metadata=self.metadata,
            source_refs=tuple(self.source_refs),
            expires_at=self.expires_at,
        )


class CreateMemoryRequest(MemoryFields):
    user_id: str | None = Field(
        default=None, min_length=1, max_length=limits.MAX_ID_CHARS, examples=["alice"], description=BOUND_USER
    )

    def to_domain(self, principal: Principal, where: str = "body.user_id") -> NewMemory:
        """The memory to create, for the user and agent the caller's key allows."""
        return self.new_memory(principal.user(self.user_id, where), principal)


class BatchCreateRequest(Strict):
    items: list[CreateMemoryRequest] = Field(min_length=1, max_length=limits.MAX_BATCH_ITEMS)


class UpdateMemoryRequest(Strict):
    user_id: str | None = Field(default=None, min_length=1, max_length=limits.MAX_ID_CHARS, description=BOUND_USER)
    content: str | None = Field(default=None, max_length=limits.MAX_CONTENT_CHARS_CEILING)
    summary: str | None = Field(default=None, max_length=limits.MAX_SUMMARY_CHARS)
    agent_id: str | None = Field(default=None, min_length=1, max_length=limits.MAX_ID_CHARS)
    importance: float | None = Field(default=None, ge=0.0, le=1.0, strict=True)
    valence: float | None = Field(default=None, ge=-1.0, le=1.0, strict=True)
    topics: list[str] | None = Field(default=None, max_length=limits.MAX_TOPICS)
    metadata: dict[str, Any] | None = None
    expires_at: datetime | None = None
    version: int | None = Field(
        default=None, ge=1, strict=True, description="Apply only if the memory is at this version."
    )


class BulkDeleteRequest(Strict):
    user_id: str | None = Field(default=None, min_length=1, max_length=limits.MAX_ID_CHARS, description=BOUND_USER)
    ids: list[str] = Field(min_length=1, max_length=limits.MAX_BULK_DELETE_IDS)


class EntityOut(BaseModel):
    id: str
    name: str
    type: str
    mentions: int


class EntityRef(BaseModel):
    id: str
    name: str
    type: str


class RelationOut(BaseModel):
    subject: EntityRef = Field(description="`user` (id and name) is the memory's own user.")
    predicate: str
    object: EntityRef

    @classmethod
    def of(cls, relation: Relation) -> RelationOut:
        return cls(
            subject=EntityRef(id=relation.subject.id, name=relation.subject.name, type=relation.subject.type),
            predicate=relation.predicate,
            object=EntityRef(id=relation.object.id, name=relation.object.name, type=relation.object.type),
        )


class MemoryOut(BaseModel):
    id: str
    user_id: str
    agent_id: str | None
    thread_id: str | None
    content: str
    summary: str | None
    source: Source
    importance: float
    valence: float
    topics: list[str]
    entities: list[EntityOut]
    relations: list[RelationOut] = Field(description="What the memory states, read from its content when written.")
    metadata: dict[str, Any]
    source_refs: list[str]
    access_count: int
    created_at: datetime
    updated_at: datetime
    expires_at: datetime | None
    supersedes: str | None
    superseded_by: str | None
    version: int
    embedding_model: str | None

    @classmethod
    def of(cls, memory: Memory) -> MemoryOut:
        return cls(
            id=memory.id,
            user_id=memory.user_id,
            agent_id=memory.agent_id,
            thread_id=memory.thread_id,
            content=memory.content,
            summary=memory.summary,
            source=memory.source,
            importance=memory.importance,
            valence=memory.valence,
            topics=list(memory.topics),
            entities=[EntityOut(id=e.id, name=e.name, type=e.type, mentions=e.mentions) for e in memory.entities],
            relations=[RelationOut.of(r) for r in memory.relations],
            metadata=memory.metadata,
            source_refs=list(memory.source_refs),
            access_count=memory.access_count,
            created_at=memory.created_at,
            updated_at=memory.updated_at,
            expires_at=memory.expires_at,
            supersedes=memory.supersedes,
            superseded_by=memory.superseded_by,
            version=memory.version,
            embedding_model=memory.embedding_model,
        )


class MemoryPage(BaseModel):
    items: list[MemoryOut]
    total: int = Field(description="How many memories match the filters, across all pages.")
    limit: int
    offset: int
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page; null on the last page.")


class BatchItemResult(BaseModel):
    index: int
    status: int
    id: str | None = None
    memory: MemoryOut | None = None
    error: dict[str, Any] | None = None


class BatchCreateResponse(BaseModel):
    created: int
    failed: int
    results: list[BatchItemResult]


class HistoryEntryOut(BaseModel):
    version: int
    event: str
    at: datetime
    content: str
    previous_content: str | None
    changed_fields: list[str]

    @classmethod
    def of(cls, entry: HistoryEntry) -> HistoryEntryOut:
        return cls(
            version=entry.version,
            event=entry.event.value,
            at=entry.at,
            content=entry.content,
            previous_content=entry.previous_content,
            changed_fields=list(entry.changed_fields),
        )


class HistoryResponse(BaseModel):
    memory_id: str
    entries: list[HistoryEntryOut]


class MemorySettingsOut(BaseModel):
    max_content_chars: int = Field(description="Longest memory content accepted, in characters.")
    default_memory_mode: str = Field(description="Memory mode of conversation turns that name none.")
    extraction_enabled: bool = Field(description="Whether conversation turns extract and save facts at all.")
    recall_limit: int = Field(description="Memories a conversation turn recalls when it names no recall_limit.")
    min_salience: float = Field(description="In auto mode, facts less important than this are not saved.")
    memory_retention_days: int | None = Field(
        description="Memories expire this many days after creation; null keeps them."
    )
    raw_log_retention_days: int | None = Field(description="Raw conversation logs are deleted after this many days.")

    @classmethod
    def of(cls, settings: TenantSettings) -> MemorySettingsOut:
        return cls(**settings.as_record())


class MemorySettingsUpdate(Strict):
    """Only the fields sent change. strict: JSON true would otherwise set a number to 1."""

    max_content_chars: int | None = Field(default=None, ge=1, le=limits.MAX_CONTENT_CHARS_CEILING, strict=True)
    default_memory_mode: str | None = Field(default=None, pattern="(?i)^(off|on|auto|readonly)$")
    extraction_enabled: bool | None = Field(default=None, strict=True)
    recall_limit: int | None = Field(default=None, ge=1, le=MAX_RECALL_LIMIT, strict=True)
    min_salience: float | None = Field(default=None, ge=0.0, le=1.0, strict=True)
    memory_retention_days: int | None = Field(default=None, ge=1, le=MAX_MEMORY_RETENTION_DAYS, strict=True)
    raw_log_retention_days: int | None = Field(
        default=None, strict=True, description=f"One of {', '.join(map(str, RAW_LOG_RETENTION_DAYS))}, or null."
    )

    def changes(self) -> dict[str, Any]:
        """The fields the client sent (an explicit null included), by name."""
        return {name: getattr(self, name) for name in self.model_fields_set}


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    code: str


class SearchHitOut(BaseModel):
    memory: MemoryOut
    score: float
    highlights: list[str]
    matches: list[tuple[int, int]] = Field(
        description="[start, end) of each matched word or phrase in memory.content, in Unicode code points: exact "
        "where the ** of a highlight could be the content's own."
    )


class SearchResponse(BaseModel):
    query: str
    mode: str
    limit: int
    offset: int
    total: int = Field(description="How many memories matched (up to 1,000 candidates).")
    results: list[SearchHitOut]
    recall_id: str | None = Field(
        default=None, description="Report which results were used: POST /v1/recalls/{recall_id}/feedback."
    )


class RelatedResponse(BaseModel):
    memory_id: str
    results: list[SearchHitOut]


class RecallFeedbackOut(BaseModel):
    total_recalls: int = Field(description="Searches and conversation turns that returned memories.")
    used_count: int = Field(description="Recalled memories the client reported as used.")
    ignored_count: int = Field(description="Recalled memories the client reported as ignored.")
    usage_rate: float | None = Field(description="used / (used + ignored); null before any feedback.")

    @classmethod
    def of(cls, recalls: RecallStats) -> RecallFeedbackOut:
        return cls(
            total_recalls=recalls.total_recalls,
            used_count=recalls.used_count,
            ignored_count=recalls.ignored_count,
            usage_rate=recalls.usage_rate,
        )


class RecallFeedbackIn(Strict):
    user_id: str | None = Field(default=None, min_length=1, max_length=limits.MAX_ID_CHARS, description=BOUND_USER)
    used: list[str] = Field(default_factory=list, max_length=100)
    ignored: list[str] = Field(default_factory=list, max_length=100)


class RecallFeedbackResult(BaseModel):
    recall_id: str
    memory_ids: list[str]
    used: list[str]
    ignored: list[str]


class StatsResponse(BaseModel):
    user_id: str | None
    total_memories: int
    estimated_tokens: int = Field(description="Characters of content / 4, rounded up.")
    average_importance: float | None
    average_valence: float | None
    importance_histogram: list[int] = Field(description="10 buckets: [0, 0.1), [0.1, 0.2), ..., [0.9, 1.0].")
    by_source: dict[str, int]
    by_agent: dict[str, int] = Field(description="Memories without an agent are counted under the empty string.")
    by_topic: dict[str, int]
    recall_feedback: RecallFeedbackOut
    total_entities: int | None = Field(description="Entities of the user's graph; null for tenant-wide statistics.")
    total_relations: int | None = Field(description="Relations of the user's graph; null for tenant-wide statistics.")
    entity_type_distribution: dict[str, int] | None = Field(description="Entities by type; null tenant-wide.")
