"""/v1/memories/search, /v1/memories/{id}/related, /v1/stats and /v1/recalls/{id}/feedback."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from agent_memory.domain import limits
from agent_memory.domain.errors import Forbidden
from agent_memory.domain.models import Owner, Scope, Source
from agent_memory.http.deps import Clusters, Graph, Reader, Search, Writer
from agent_memory.http.filters import ClusterId, UserId, memory_filter
from agent_memory.http.openapi_problems import problems
from agent_memory.http.schemas import (
    MemoryOut,
    RecallFeedbackIn,
    RecallFeedbackOut,
    RecallFeedbackResult,
    RelatedResponse,
    SearchHitOut,
    SearchResponse,
    StatsResponse,
)
from agent_memory.services.search import MAX_QUERY_CHARS, Hit, Ranking, SearchMode

# One router per operation (see memories.py).
search = APIRouter(tags=["search"])
related = APIRouter(tags=["search"])
stats = APIRouter(tags=["search"])
feedback = APIRouter(tags=["search"])


def _hits(hits: list[Hit]) -> list[SearchHitOut]:
    return [
        SearchHitOut(memory=MemoryOut.of(h.memory), score=h.score, highlights=h.highlights, matches=h.matches)
        for h in hits
    ]


@search.get("/v1/memories/search", response_model=SearchResponse, responses=problems(409, 502))
def search_memories(
    principal: Reader,
    search: Search,
    clusters: Clusters,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="What to look for.")],
    user_id: UserId = None,
    mode: SearchMode = SearchMode.HYBRID,
    rank: Ranking = Ranking.RELEVANCE,
    limit: Annotated[int, Query(ge=1, le=limits.MAX_PAGE_SIZE)] = 10,
    offset: Annotated[int, Query(ge=0, le=limits.MAX_OFFSET)] = 0,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
    source: Source | None = None,
    agent_id: Annotated[str | None, Query(max_length=limits.MAX_ID_CHARS)] = None,
    topic: Annotated[str | None, Query(max_length=limits.MAX_TOPIC_CHARS)] = None,
    min_importance: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    cluster_id: ClusterId = None,
    graph: Annotated[
        bool | None, Query(description="Also rank memories the query reaches in the knowledge graph (hybrid only).")
    ] = None,
) -> SearchResponse:
    """Find memories by meaning and by keyword. `hybrid` fuses both rankings; see docs/api.md for scoring."""
    owner, agent_id = principal.owner(user_id), principal.agent(agent_id)
    filters = memory_filter(agent_id, source, topic, start_date, end_date, min_importance)
    within = None if cluster_id is None else clusters.members_of(owner, cluster_id, agent_id)
    result = search.search(owner, q, mode, limit, offset, filters, rank, within=within, graph=graph)
    return SearchResponse(
        query=result.query,
        mode=result.mode.value,
        limit=limit,
        offset=offset,
        total=result.total,
        results=_hits(result.hits),
        recall_id=result.recall_id,
    )


@related.get("/v1/memories/{memory_id}/related", response_model=RelatedResponse, responses=problems(404, 409))
def related_memories(
    memory_id: str,
    principal: Reader,
    search: Search,
    user_id: UserId = None,
    limit: Annotated[int, Query(ge=1, le=limits.MAX_PAGE_SIZE)] = 10,
) -> RelatedResponse:
    """The memories closest in meaning to this one (itself excluded)."""
    hits = search.related(principal.owner(user_id), memory_id, limit, principal.agent_id)
    return RelatedResponse(memory_id=memory_id, results=_hits(hits))


@stats.get("/v1/stats", response_model=StatsResponse)
def memory_stats(
    principal: Reader,
    search: Search,
    graph: Graph,
    user_id: Annotated[str | None, Query(min_length=1, max_length=limits.MAX_ID_CHARS)] = None,
) -> StatsResponse:
    """Statistics of one user's memories (with their knowledge graph's); without `user_id`, of the whole tenant
    (admin keys only), or of the key's user for a key bound to one."""
    principal.whole_user("Statistics")
    user_id = principal.user_or_tenant(user_id)
    if user_id is None and not principal.allows(Scope.ADMIN):
        raise Forbidden("Tenant-wide statistics need the 'admin' scope; pass user_id for one user's.")
    result = search.stats(principal.tenant, user_id)
    counts = None if user_id is None else graph.counts(Owner(principal.tenant, user_id))
    s = result.stats
    return StatsResponse(
        user_id=user_id,
        total_memories=s.total,
        estimated_tokens=result.estimated_tokens,
        average_importance=s.average_importance,
        average_valence=s.average_valence,
        importance_histogram=s.importance_histogram,
        by_source=s.by_source,
        by_agent=s.by_agent,
        by_topic=s.by_topic,
        recall_feedback=RecallFeedbackOut.of(result.recalls),
        total_entities=None if counts is None else counts.entities,
        total_relations=None if counts is None else counts.relations,
        entity_type_distribution=None if counts is None else counts.by_type,
    )


@feedback.post("/v1/recalls/{recall_id}/feedback", response_model=RecallFeedbackResult, responses=problems(404))
def recall_feedback(recall_id: str, body: RecallFeedbackIn, principal: Writer, search: Search) -> RecallFeedbackResult:
    """Which memories of a recall (a search's or a conversation turn's `recall_id`) the client used and which it
    ignored; sending it again for the same recall replaces the first. Counted in stats' `recall_feedback`."""
    owner = principal.owner(body.user_id, "body.user_id")
    recall = search.recall_feedback(owner, recall_id, body.used, body.ignored)
    return RecallFeedbackResult(
        recall_id=recall.id, memory_ids=list(recall.memory_ids), used=list(recall.used), ignored=list(recall.ignored)
    )


ROUTERS = [search, related, stats, feedback]
