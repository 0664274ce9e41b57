"""What the API answers, as typed models. Fields a newer server adds are kept (`extra="allow"`), never an error.

Open-ended values (a memory's `source`, an operation's `kind` and `status`) are plain strings, so a newer server's
values parse too; `inputs` has their known values as `Literal` types.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class Entity(Model):
    id: str
    name: str
    type: str
    mentions: int


class EntityRef(Model):
    id: str
    name: str
    type: str


class Relation(Model):
    """What a memory states, read from its content when written; the subject `user` is the memory's own user."""

    subject: EntityRef
    predicate: str
    object: EntityRef


class Memory(Model):
    id: str
    user_id: str
    agent_id: str | None = None
    thread_id: str | None = None
    content: str
    summary: str | None = None
    source: str
    importance: float
    valence: float
    topics: list[str] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)
    source_refs: list[str] = Field(default_factory=list)
    access_count: int = 0
    created_at: datetime
    updated_at: datetime
    expires_at: datetime | None = None
    supersedes: str | None = None
    superseded_by: str | None = None
    version: int
    embedding_model: str | None = None


class MemoryPage(Model):
    items: list[Memory]
    total: int
    limit: int
    offset: int
    next_cursor: str | None = None

    @property
    def next_token(self) -> str | None:
        return self.next_cursor


class BatchItemResult(Model):
    """One item of a batch create: `status` 201 with `memory`, or 409/422 with the problem in `error`."""

    index: int
    status: int
    id: str | None = None
    memory: Memory | None = None
    error: dict[str, Any] | None = None


class BatchResult(Model):
    created: int
    failed: int
    results: list[BatchItemResult]


class HistoryEntry(Model):
    version: int
    event: str
    at: datetime
    content: str
    previous_content: str | None = None
    changed_fields: list[str] = Field(default_factory=list)


class History(Model):
    memory_id: str
    entries: list[HistoryEntry]


class SearchHit(Model):
    memory: Memory
    score: float
    highlights: list[str] = Field(default_factory=list)
    matches: list[tuple[int, int]] = Field(default_factory=list)
    """[start, end) of each matched word or phrase in `memory.content` (code points)."""


class SearchResult(Model):
    query: str
    mode: str
    limit: int
    offset: int
    total: int
    results: list[SearchHit]
    recall_id: str | None = None


class Related(Model):
    memory_id: str
    results: list[SearchHit]


class RecallFeedbackStats(Model):
    total_recalls: int
    used_count: int
    ignored_count: int
    usage_rate: float | None = None


class Stats(Model):
    user_id: str | None = None
    total_memories: int
    estimated_tokens: int
    average_importance: float | None = None
    average_valence: float | None = None
    importance_histogram: list[int]
    by_source: dict[str, int]
    by_agent: dict[str, int]
    by_topic: dict[str, int]
    recall_feedback: RecallFeedbackStats
    total_entities: int | None = None
    total_relations: int | None = None
    entity_type_distribution: dict[str, int] | None = None


class RecallFeedback(Model):
    recall_id: str
    memory_ids: list[str]
    used: list[str]
    ignored: list[str]


class MemorySettings(Model):
    max_content_chars: int
    default_memory_mode: str
    extraction_enabled: bool
    recall_limit: int
    min_salience: float
    memory_retention_days: int | None = None
    raw_log_retention_days: int | None = None


class Cluster(Model):
    id: str
    label: str
    size: int
    memory_ids: list[str]
    samples: list[Memory]


class Clusters(Model):
    user_id: str
    n: int
    agent_id: str | None = None
    clusters: list[Cluster]


class Topic(Model):
    label: str
    count: int


class Topics(Model):
    user_id: str | None = None
    topics: list[Topic]


class EntityNode(Model):
    """An entity of the knowledge graph: `id` is `{type}:{name in lower case}` (`user` is the user themselves)."""

    id: str
    name: str
    type: str
    aliases: list[str] = Field(default_factory=list)
    mentions: int


class Edge(Model):
    """A relation between two entity ids; `valid_to` is None while a memory stating it is current."""

    subject: str
    predicate: str
    object: str
    memory_ids: list[str] = Field(default_factory=list)
    valid_from: datetime
    valid_to: datetime | None = None


class Graph(Model):
    user_id: str
    entities: list[EntityNode]
    relations: list[Edge]
    truncated: bool


class Entities(Model):
    user_id: str
    entities: list[EntityNode]
    total: int
    limit: int
    offset: int


class EntityDetail(EntityNode):
    """An entity with its relations in both directions and the memories naming it (newest first, up to 100)."""

    relations: list[Edge] = Field(default_factory=list)
    memories: list[Memory] = Field(default_factory=list)


class Progress(Model):
    phase: str | None = None
    phase_number: int
    phases: int
    done: int
    total: int | None = None


FINISHED = frozenset({"succeeded", "failed"})


class Operation(Model):
    """An async job: `status` is queued, running, succeeded or failed (then `error` says why)."""

    operation_id: str
    kind: str
    status: str
    user_id: str
    params: dict[str, Any] = Field(default_factory=dict)
    progress: Progress
    counts: dict[str, int] = Field(default_factory=dict)
    result: dict[str, Any] = Field(default_factory=dict)
    error: str | None = None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


class OperationPage(Model):
    items: list[Operation]
    next_before: str | None = None

    @property
    def next_token(self) -> str | None:
        return self.next_before


class SavedFact(Model):
    id: str
    content: str


class SkippedFact(Model):
    content: str
    reason: str
    existing_id: str | None = None
    detail: str | None = None


class RecalledMemory(Model):
    id: str
    content: str
    score: float
    matched_by: str


class Run(Model):
    """An earlier output of the assistant in one of the user's conversations."""

    thread_id: str
    agent_id: str | None = None
    content: str
    ts: datetime | None = None
    score: float


class Runs(Model):
    query: str
    user_id: str
    results: list[Run]


class Reply(Model):
    """The assistant's answer: `status` answered, or no_model (none is configured; use the turn's `context`)."""

    status: str
    text: str | None = None
    model: str | None = None


class ConversationTurn(Model):
    """What a turn saved, skipped and recalled, and `context`: ready to put in front of the model."""

    thread_id: str
    user_id: str
    mode: str
    saved: list[SavedFact]
    skipped: list[SkippedFact]
    recalled: list[RecalledMemory]
    context: str
    extractor: str | None = None
    recall_id: str | None = None
    previous_runs: list[Run] = Field(default_factory=list)
    transcript: str | None = None
    profile: list[RecalledMemory] = Field(default_factory=list)
    reply: Reply | None = None


class ImportSkip(Model):
    line: int
    id: str | None = None
    reason: str
    existing_id: str | None = None
    detail: str | None = None


class ImportReport(Model):
    imported: int
    skipped: int
    lines: int
    skips: list[ImportSkip]
    ignored: dict[str, int] = Field(default_factory=dict)


class Cleared(Model):
    cleared: int


class Health(Model):
    status: str
    version: str
