"""Bodies of the Snippbot-compatible API: an episode is a memory, named and shaped as Snippbot's pages show them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from agent_memory.domain.models import Memory, Source
from agent_memory.http.routers.graph import EdgeOut, EntityNodeOut
from agent_memory.http.schemas import EntityOut, MemoryFields, RecallFeedbackOut
from agent_memory.services.graph import Graph
from agent_memory.services.search import Hit


def _entities(memory: Memory) -> list[EntityOut]:
    return [EntityOut(id=e.id, name=e.name, type=e.type, mentions=e.mentions) for e in memory.entities]


class EpisodeListItem(BaseModel):
    """An episode as the list shows it (exactly the documented fields)."""

    id: str
    content: str
    summary: str | None
    source: Source
    valence: float
    importance: float
    access_count: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, memory: Memory) -> EpisodeListItem:
        return cls(
            id=memory.id,
            content=memory.content,
            summary=memory.summary,
            source=memory.source,
            valence=memory.valence,
            importance=memory.importance,
            access_count=memory.access_count,
            created_at=memory.created_at,
            updated_at=memory.updated_at,
        )


class Episode(EpisodeListItem):
    """One episode (get, create): the list's fields with its agent, topics and entities."""

    agent_id: str | None
    topics: list[str]
    entities: list[EntityOut]

    @classmethod
    def of(cls, memory: Memory) -> Episode:
        listed = EpisodeListItem.of(memory).model_dump()
        return cls(**listed, agent_id=memory.agent_id, topics=list(memory.topics), entities=_entities(memory))


class EpisodePage(BaseModel):
    episodes: list[EpisodeListItem]
    total: int = Field(description="Episodes matching the filters, across all pages.")
    limit: int
    offset: int


class CreateEpisode(MemoryFields):
    """Only `content` is required. The episode is the key's user's (a key bound to a user is needed)."""


class SearchEpisode(BaseModel):
    id: str
    content: str
    summary: str | None
    valence: float
    importance: float
    topics: list[str]
    entities: list[EntityOut]
    source: Source
    created_at: datetime

    @classmethod
    def of(cls, memory: Memory) -> SearchEpisode:
        return cls(
            id=memory.id,
            content=memory.content,
            summary=memory.summary,
            valence=memory.valence,
            importance=memory.importance,
            topics=list(memory.topics),
            entities=_entities(memory),
            source=memory.source,
            created_at=memory.created_at,
        )


class SearchResultOut(BaseModel):
    episode: SearchEpisode
    score: float
    source: Source = Field(description="The episode's source.")
    highlights: list[str] = Field(description="Snippets with the matched words wrapped in `**`.")

    @classmethod
    def of(cls, hit: Hit) -> SearchResultOut:
        episode = SearchEpisode.of(hit.memory)
        return cls(episode=episode, score=hit.score, source=hit.memory.source, highlights=hit.highlights)


class SearchOut(BaseModel):
    query: str
    mode: str
    limit: int
    offset: int
    results: list[SearchResultOut]
    total: int


class RelatedResultOut(BaseModel):
    episode: SearchEpisode
    score: float = Field(description="Cosine similarity to the episode.")


class RelatedOut(BaseModel):
    episode_id: str
    results: list[RelatedResultOut]


class SnippbotClusterOut(BaseModel):
    id: str = Field(description="Pass as cluster_id to GET /api/memory/episodes.")
    label: str
    size: int
    episode_ids: list[str]
    episodes: list[EpisodeListItem] = Field(description="The most important members (up to 5).")


class SnippbotClustersOut(BaseModel):
    n: int
    agent_id: str | None
    clusters: list[SnippbotClusterOut]


class RelationshipOut(BaseModel):
    source: str = Field(description="Entity id.")
    target: str = Field(description="Entity id.")
    type: str = Field(description="The predicate, e.g. lives_in.")
    episode_ids: list[str]
    valid_from: datetime
    valid_to: datetime | None

    @classmethod
    def of(cls, edge: EdgeOut) -> RelationshipOut:
        return cls(
            source=edge.subject,
            target=edge.object,
            type=edge.predicate,
            episode_ids=edge.memory_ids,
            valid_from=edge.valid_from,
            valid_to=edge.valid_to,
        )


class SnippbotGraphOut(BaseModel):
    entities: list[EntityNodeOut]
    relationships: list[RelationshipOut]
    truncated: bool = Field(description="True when the graph holds more entities than one answer lists (500).")

    @classmethod
    def of(cls, graph: Graph) -> SnippbotGraphOut:
        return cls(
            entities=[EntityNodeOut.of(node) for node in graph.entities],
            relationships=[RelationshipOut.of(EdgeOut.of(edge)) for edge in graph.relations],
            truncated=graph.truncated,
        )


class SnippbotStatsOut(BaseModel):
    total_episodes: int
    total_entities: int
    total_relations: int
    avg_importance: float | None = Field(description="null while there are no episodes.")
    avg_valence: float | None = Field(description="null while there are no episodes.")
    importance_distribution: list[int] = Field(description="10 buckets: [0, 0.1), ..., [0.9, 1.0].")
    source_distribution: dict[str, int]
    entity_type_distribution: dict[str, int]
    recall_feedback: RecallFeedbackOut
