"""/v1/clusters and /v1/topics: how a user's memories group."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from agent_memory.domain import limits
from agent_memory.domain.errors import Forbidden
from agent_memory.domain.models import Scope
from agent_memory.http.deps import Clusters, Reader
from agent_memory.http.filters import UserId
from agent_memory.http.openapi_problems import problems
from agent_memory.http.schemas import MemoryOut
from agent_memory.services.clusters import DEFAULT_CLUSTERS, MAX_CLUSTERS, MIN_CLUSTERS

# One router per operation (see memories.py).
clusters = APIRouter(prefix="/v1/clusters", tags=["knowledge"])
topics = APIRouter(prefix="/v1/topics", tags=["knowledge"])

CLUSTER_SAMPLES = 5


class ClusterOut(BaseModel):
    id: str = Field(description="Stable while the user's memories do not change; use as cluster_id on listing/search.")
    label: str
    size: int
    memory_ids: list[str]
    samples: list[MemoryOut] = Field(description="The most important members (up to 5).")


class ClustersOut(BaseModel):
    user_id: str
    n: int
    agent_id: str | None
    clusters: list[ClusterOut]


class TopicOut(BaseModel):
    label: str
    count: int


class TopicsOut(BaseModel):
    user_id: str | None
    topics: list[TopicOut]


@clusters.get("", response_model=ClustersOut, responses=problems(502))
def list_clusters(
    principal: Reader,
    clusters_: Clusters,
    user_id: UserId = None,
    n: Annotated[int, Query(ge=MIN_CLUSTERS, le=MAX_CLUSTERS, description="How many clusters.")] = DEFAULT_CLUSTERS,
    agent_id: Annotated[str | None, Query(min_length=1, max_length=limits.MAX_ID_CHARS)] = None,
) -> ClustersOut:
    """The user's current memories in `n` clusters by meaning (fewer if there are fewer memories), each named after
    its members, largest first; optionally only the memories of one agent."""
    owner = principal.owner(user_id)
    found = clusters_.clusters(owner, n, principal.agent(agent_id))
    return ClustersOut(
        user_id=owner.user_id,
        n=found.n,
        agent_id=found.agent_id,
        clusters=[
            ClusterOut(
                id=cluster.id,
                label=cluster.label,
                size=cluster.size,
                memory_ids=[m.id for m in cluster.members],
                samples=[MemoryOut.of(m) for m in cluster.members[:CLUSTER_SAMPLES]],
            )
            for cluster in found.clusters
        ],
    )


@topics.get("", response_model=TopicsOut, responses=problems(403))
def list_topics(
    principal: Reader,
    clusters_: Clusters,
    user_id: Annotated[str | None, Query(min_length=1, max_length=limits.MAX_ID_CHARS)] = None,
) -> TopicsOut:
    """The topic labels of the user's current memories with how many carry each, most used first (optimize fills in
    topics of memories that have none); without `user_id`, the whole tenant's (admin keys only), or the key's user's
    for a key bound to one."""
    principal.whole_user("Topics")
    user_id = principal.user_or_tenant(user_id)
    if user_id is None and not principal.allows(Scope.ADMIN):
        raise Forbidden("Tenant-wide topics need the 'admin' scope; pass user_id for one user's.")
    found = clusters_.topics(principal.tenant, user_id)
    return TopicsOut(user_id=user_id, topics=[TopicOut(label=label, count=count) for label, count in found])


ROUTERS = [clusters, topics]
