"""The Snippbot-compatible API (`/api/memory/*`, `/api/settings/memory*`): Snippbot's paths, fields and answers over
the same services as /v1. Every operation acts for the API key's own user (a key bound to a user: `agent-memory keys
create --user-id`); a key bound to none is 403. Errors are agent-memory's problem+json. Mapping: docs/api.md."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import StreamingResponse

from agent_memory.domain import limits
from agent_memory.domain.models import Principal, Source
from agent_memory.domain.operations import JobKind
from agent_memory.http.deps import (
    Admin,
    Clusters,
    DataRights,
    Graph,
    Memories,
    Operations,
    Portability,
    Reader,
    Search,
    Settings,
    Writer,
)
from agent_memory.http.dialects.snippbot_schemas import (
    CreateEpisode,
    Episode,
    EpisodeListItem,
    EpisodePage,
    RelatedOut,
    RelatedResultOut,
    SearchEpisode,
    SearchOut,
    SearchResultOut,
    SnippbotClusterOut,
    SnippbotClustersOut,
    SnippbotGraphOut,
    SnippbotStatsOut,
)
from agent_memory.http.filters import ClusterId, memory_filter
from agent_memory.http.job_schemas import STILL_RUNNING, OperationOut, answer_started
from agent_memory.http.openapi_problems import problems
from agent_memory.http.routers.data_rights import MEDIA_TYPES, ClearedOut, download_name
from agent_memory.http.schemas import MemorySettingsOut, MemorySettingsUpdate, RecallFeedbackOut
from agent_memory.services.clusters import DEFAULT_CLUSTERS, MAX_CLUSTERS, MIN_CLUSTERS
from agent_memory.services.graph import MAX_LIMIT as GRAPH_LIMIT
from agent_memory.services.portability import ExportFormat
from agent_memory.services.search import MAX_QUERY_CHARS, SearchMode


def _operation(prefix: str = "/api/memory") -> APIRouter:
    return APIRouter(prefix=prefix, tags=["compatible: Snippbot"])


# One router per operation (see routers/memories.py).
list_episodes = _operation()
get_episode = _operation()
create_episode = _operation()
delete_episode = _operation()
related_episodes = _operation()
search = _operation()
clusters = _operation()
graph = _operation()
stats = _operation()
consolidate = _operation()
generate_episodes = _operation()
backfill_entities = _operation()
get_settings = _operation("/api/settings/memory")
put_settings = _operation("/api/settings/memory")
export = _operation("/api/settings/memory")
clear = _operation("/api/settings/memory")

EpisodeId = Annotated[str, Path(min_length=1, max_length=limits.MAX_ID_CHARS, description="The episode's id.")]
AgentId = Annotated[str | None, Query(min_length=1, max_length=limits.MAX_ID_CHARS)]
Limit = Annotated[int, Query(ge=1, le=limits.MAX_PAGE_SIZE)]
Offset = Annotated[int, Query(ge=0, le=limits.MAX_OFFSET)]
Day = Annotated[date | datetime | None, Query(description="ISO 8601: a date (the whole day) or a date and time.")]


def _since(value: date | datetime | None) -> datetime | None:
    """`start_date` includes its day (or instant); the filter's bound is exclusive."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min, UTC) - timedelta(microseconds=1)


def _until(value: date | datetime | None) -> datetime | None:
    """`end_date` includes its day (or instant): the bound is the next day's first instant."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value + timedelta(microseconds=1)
    return datetime.combine(value + timedelta(days=1), time.min, UTC)


@list_episodes.get("/episodes", response_model=EpisodePage, responses=problems(404))
def list_episodes_(
    principal: Reader,
    memories: Memories,
    clusters_: Clusters,
    limit: Limit = 20,
    offset: Offset = 0,
    cluster_id: ClusterId = None,
    agent_id: AgentId = None,
) -> EpisodePage:
    """The user's episodes, newest first; `cluster_id` (from GET /api/memory/clusters) keeps that cluster's."""
    owner, agent_id = principal.bound_owner(), principal.agent(agent_id)
    within = None if cluster_id is None else clusters_.members_of(owner, cluster_id, agent_id)
    page = memories.list_memories(owner, memory_filter(agent_id), limit, None, offset, within, next_cursor=False)
    return EpisodePage(
        episodes=[EpisodeListItem.of(m) for m in page.items], total=page.total, limit=limit, offset=offset
    )


@get_episode.get("/episodes/{id}", response_model=Episode, responses=problems(404))
def get_episode_(id: EpisodeId, principal: Reader, memories: Memories) -> Episode:
    return Episode.of(memories.get(principal.bound_owner(), id, principal.agent_id))


@create_episode.post("/episodes", status_code=201, response_model=Episode, responses=problems(409, 502))
def create_episode_(body: CreateEpisode, principal: Writer, memories: Memories) -> Episode:
    """Inject a memory: only `content` is required. Duplicate content answers 409 with `existing_id`."""
    new = body.new_memory(principal.bound_owner().user_id, principal)
    return Episode.of(memories.create(principal.tenant, new))


@delete_episode.delete("/episodes/{id}", status_code=204, responses=problems(404, 409))
def delete_episode_(id: EpisodeId, principal: Writer, memories: Memories) -> Response:
    memories.delete(principal.bound_owner(), id, principal.agent_id)
    return Response(status_code=204)


@related_episodes.get("/episodes/{id}/related", response_model=RelatedOut, responses=problems(404, 409))
def related_episodes_(id: EpisodeId, principal: Reader, search_: Search, limit: Limit = 10) -> RelatedOut:
    """The episodes closest in meaning to this one (itself excluded), most similar first."""
    hits = search_.related(principal.bound_owner(), id, limit, principal.agent_id)
    results = [RelatedResultOut(episode=SearchEpisode.of(h.memory), score=h.score) for h in hits]
    return RelatedOut(episode_id=id, results=results)


@search.get("/search", response_model=SearchOut, responses=problems(409, 502))
def search_(
    principal: Reader,
    search_: Search,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="What to look for.")],
    mode: SearchMode = SearchMode.HYBRID,
    limit: Limit = 10,
    offset: Offset = 0,
    start_date: Day = None,
    end_date: Day = None,
    source: Source | None = None,
) -> SearchOut:
    """Hybrid (default), keyword or semantic search over the user's episodes; see docs/api.md for scoring."""
    filters = memory_filter(principal.agent(None), source, None, _since(start_date), _until(end_date))
    found = search_.search(principal.bound_owner(), q, mode, limit, offset, filters)
    return SearchOut(
        query=found.query,
        mode=found.mode.value,
        limit=limit,
        offset=offset,
        results=[SearchResultOut.of(hit) for hit in found.hits],
        total=found.total,
    )


@clusters.get("/clusters", response_model=SnippbotClustersOut, responses=problems(502))
def clusters_(
    principal: Reader,
    clusters_: Clusters,
    n: Annotated[int, Query(ge=MIN_CLUSTERS, le=MAX_CLUSTERS)] = DEFAULT_CLUSTERS,
    agent_id: AgentId = None,
) -> SnippbotClustersOut:
    """The user's episodes in `n` clusters by meaning (fewer when there are fewer episodes), largest first."""
    found = clusters_.clusters(principal.bound_owner(), n, principal.agent(agent_id))
    return SnippbotClustersOut(
        n=found.n,
        agent_id=found.agent_id,
        clusters=[
            SnippbotClusterOut(
                id=c.id,
                label=c.label,
                size=c.size,
                episode_ids=[m.id for m in c.members],
                episodes=[EpisodeListItem.of(m) for m in c.members[:5]],
            )
            for c in found.clusters
        ],
    )


@graph.get("/graph", response_model=SnippbotGraphOut)
def graph_(principal: Reader, graph_: Graph, agent_id: AgentId = None) -> SnippbotGraphOut:
    """The user's knowledge graph: entities (most mentioned first) and the relationships between them."""
    return SnippbotGraphOut.of(graph_.graph(principal.bound_owner(), principal.agent(agent_id), limit=GRAPH_LIMIT))


@stats.get("/stats", response_model=SnippbotStatsOut)
def stats_(principal: Reader, search_: Search, graph_: Graph) -> SnippbotStatsOut:
    """Counts and distributions of the user's episodes and knowledge graph, and how recalls were used."""
    principal.whole_user("Statistics")
    owner = principal.bound_owner()
    result, counts = search_.stats(owner.tenant, owner.user_id), graph_.counts(owner)
    s = result.stats
    return SnippbotStatsOut(
        total_episodes=s.total,
        total_entities=counts.entities,
        total_relations=counts.relations,
        avg_importance=s.average_importance,
        avg_valence=s.average_valence,
        importance_distribution=s.importance_histogram,
        source_distribution=s.by_source,
        entity_type_distribution=counts.by_type,
        recall_feedback=RecallFeedbackOut.of(result.recalls),
    )


def _start(kind: JobKind, principal: Principal, operations: Operations, response: Response) -> OperationOut:
    """202 with the new operation, or 200 with the one of this kind still running for the user (single flight)."""
    principal.whole_user("A job")
    operation, created = operations.start(principal.tenant, principal.bound_owner().user_id, kind, {})
    return answer_started(response, operation, created)


@consolidate.post("/consolidate/conversations", status_code=202, response_model=OperationOut, responses=STILL_RUNNING)
def consolidate_(principal: Writer, operations: Operations, response: Response) -> OperationOut:
    """Save the facts not yet known from the user's stored conversation logs (the consolidate-conversations job)."""
    return _start(JobKind.CONSOLIDATE_CONVERSATIONS, principal, operations, response)


@generate_episodes.post("/generate-episodes", status_code=202, response_model=OperationOut, responses=STILL_RUNNING)
def generate_episodes_(principal: Writer, operations: Operations, response: Response) -> OperationOut:
    """One episode per stored conversation thread (the generate-episodes job)."""
    return _start(JobKind.GENERATE_EPISODES, principal, operations, response)


@backfill_entities.post("/backfill-entities", status_code=202, response_model=OperationOut, responses=STILL_RUNNING)
def backfill_entities_(principal: Writer, operations: Operations, response: Response) -> OperationOut:
    """Read the entities and relations of episodes that have none (the backfill-entities job)."""
    return _start(JobKind.BACKFILL_ENTITIES, principal, operations, response)


@get_settings.get("", response_model=MemorySettingsOut)
def get_settings_(principal: Reader, settings: Settings) -> MemorySettingsOut:
    """The memory settings (the tenant's: the same as GET /v1/settings/memory)."""
    return MemorySettingsOut.of(settings.get(principal.tenant))


@put_settings.put("", response_model=MemorySettingsOut)
def put_settings_(body: MemorySettingsUpdate, principal: Admin, settings: Settings) -> MemorySettingsOut:
    """Change the tenant's memory settings (admin scope); fields left out keep their value."""
    return MemorySettingsOut.of(settings.update(principal.tenant, body.changes()))


@export.get(
    "/export",
    responses={200: {"description": "The user's episodes as a JSON file.", "content": {"application/json": {}}}},
)
def export_(principal: Reader, portability: Portability) -> StreamingResponse:
    """All of the user's episodes with their history and metadata, as a JSON file download (agent-memory's export
    format, docs/api.md)."""
    principal.whole_user("An export")
    user_id = principal.bound_owner().user_id
    return StreamingResponse(
        portability.export(principal.tenant, user_id, ExportFormat.JSON),
        media_type=MEDIA_TYPES[ExportFormat.JSON],
        headers={"Content-Disposition": f'attachment; filename="{download_name(user_id, "json")}"'},
    )


@clear.delete("/data", response_model=ClearedOut)
def clear_(principal: Writer, data_rights: DataRights) -> ClearedOut:
    """Delete all of the user's episodes, their vectors and their knowledge graph. Irreversible."""
    principal.whole_user("Clearing")
    owner = principal.bound_owner()
    return ClearedOut(cleared=data_rights.clear_user(owner, owner.user_id))


ROUTERS = [
    list_episodes,
    create_episode,
    get_episode,
    delete_episode,
    related_episodes,
    search,
    clusters,
    graph,
    stats,
    consolidate,
    generate_episodes,
    backfill_entities,
    get_settings,
    put_settings,
    export,
    clear,
]
