"""What the client sends: the known values of the API's enumerations, and the optional fields of each operation.

The server checks every rule (lengths, ranges, limits); these types catch misspelt names and wrong types early.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, TypedDict

from pydantic import BaseModel, ConfigDict, Field

Source = Literal["api", "agent", "conversation", "task", "insight", "import"]
SearchMode = Literal["hybrid", "keyword", "semantic"]
Ranking = Literal["relevance", "blended"]
MemoryMode = Literal["off", "on", "auto", "readonly"]
Role = Literal["user", "assistant", "system", "tool"]
ExportFormat = Literal["ndjson", "json"]
# Whose memories a conversation turn recalls: all the user's, or only those saved under the turn's agent_id.
TurnScope = Literal["user", "agent"]
# The entity types the service assigns (a filter of list_entities).
EntityType = Literal[
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
]
OperationStatus = Literal["queued", "running", "succeeded", "failed"]
JobKind = Literal[
    "optimize",
    "backfill-entities",
    "consolidate-conversations",
    "generate-episodes",
    "reindex",
    "export",
    "erase-user",
]
# The kinds POST /v1/jobs/{kind} starts (an erasure is started by erase_user).
StartableJob = Literal[
    "optimize", "backfill-entities", "consolidate-conversations", "generate-episodes", "reindex", "export"
]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EntityIn(Input):
    name: str
    type: str = "thing"


class NewMemory(Input):
    """One memory to create (an item of `create_memories`)."""

    user_id: str
    content: str
    agent_id: str | None = None
    thread_id: str | None = None
    summary: str | None = None
    source: Source | None = None
    importance: float | None = None
    valence: float | None = None
    topics: list[str] | None = None
    entities: list[EntityIn] | None = None
    metadata: dict[str, Any] | None = None
    source_refs: list[str] | None = None
    expires_at: datetime | None = None


class Message(Input):
    """One message of a conversation turn; only what the `user` says becomes a memory."""

    role: Role
    content: str
    id: str | None = Field(default=None, description="Your id for it; saved memories cite it in source_refs.")
    ts: datetime | None = None


class MemoryFields(TypedDict, total=False):
    """The optional fields of a new memory."""

    agent_id: str
    thread_id: str
    summary: str
    source: Source
    importance: float
    valence: float
    topics: list[str]
    entities: list[EntityIn | dict[str, str]]
    metadata: dict[str, Any]
    source_refs: list[str]
    expires_at: datetime | str


class MemoryChanges(TypedDict, total=False):
    """What an update changes; `version` makes it conditional (VersionConflict if the memory moved on)."""

    content: str
    summary: str
    agent_id: str
    importance: float
    valence: float
    topics: list[str]
    metadata: dict[str, Any]
    expires_at: datetime | str
    version: int


class ListFilters(TypedDict, total=False):
    agent_id: str
    source: Source
    topic: str
    created_after: datetime | str
    created_before: datetime | str
    include_superseded: bool
    cluster_id: str


class SearchOptions(TypedDict, total=False):
    mode: SearchMode
    rank: Ranking
    limit: int
    offset: int
    start_date: datetime | str
    end_date: datetime | str
    source: Source
    agent_id: str
    topic: str
    min_importance: float
    cluster_id: str
    graph: bool


class SettingsChanges(TypedDict, total=False):
    """Tenant settings to change; `None` turns a retention off."""

    max_content_chars: int
    default_memory_mode: MemoryMode
    extraction_enabled: bool
    recall_limit: int
    min_salience: float
    memory_retention_days: int | None
    raw_log_retention_days: int | None


class OperationFilters(TypedDict, total=False):
    user_id: str
    kind: JobKind
    status: OperationStatus
