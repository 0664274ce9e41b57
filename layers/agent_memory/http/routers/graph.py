"""/v1/graph and /v1/entities: the entities a user's memories name and the relations they state."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from agent_memory.domain import limits
from agent_memory.domain.conversation import ENTITY_TYPES
from agent_memory.http.deps import Graph, Reader
from agent_memory.http.filters import UserId
from agent_memory.http.openapi_problems import problems
from agent_memory.http.schemas import MemoryOut
from agent_memory.services.graph import DEFAULT_LIMIT, MAX_DEPTH, MAX_LIMIT, Edge, EntityNode

# One router per operation (see memories.py).
graph = APIRouter(prefix="/v1/graph", tags=["knowledge"])
entities = APIRouter(prefix="/v1/entities", tags=["knowledge"])
entity = APIRouter(prefix="/v1/entities", tags=["knowledge"])

AgentId = Annotated[
    str | None, Query(min_length=1, max_length=limits.MAX_ID_CHARS, description="Only memories of this agent.")
]
EntityReference = Annotated[
    str | None,
    Query(min_length=1, max_length=limits.MAX_ENTITY_NAME_CHARS, description="Entity id or name: its neighbourhood."),
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many entities.")]


class EntityNodeOut(BaseModel):
    id: str = Field(description="`{type}:{name in lower case}`; `user` is the user themselves.")
    name: str = Field(description="The spelling used most often.")
    type: str
    aliases: list[str] = Field(description="Other spellings the memories use.")
    mentions: int = Field(description="Memories naming the entity.")

    @classmethod
    def of(cls, node: EntityNode) -> EntityNodeOut:
        e = node.entity
        return cls(id=e.id, name=e.name, type=e.type, aliases=list(node.aliases), mentions=node.mentions)


class EdgeOut(BaseModel):
    subject: str = Field(description="Entity id.")
    predicate: str
    object: str = Field(description="Entity id.")
    memory_ids: list[str] = Field(description="The memories that state it.")
    valid_from: datetime = Field(description="When the first memory stating it was written.")
    valid_to: datetime | None = Field(description="null while current; else when its last memory was superseded.")

    @classmethod
    def of(cls, edge: Edge) -> EdgeOut:
        return cls(
            subject=edge.subject_id,
            predicate=edge.predicate,
            object=edge.object_id,
            memory_ids=list(edge.memory_ids),
            valid_from=edge.valid_from,
            valid_to=edge.valid_to,
        )


class GraphOut(BaseModel):
    user_id: str
    entities: list[EntityNodeOut]
    relations: list[EdgeOut]
    truncated: bool = Field(description="True when `limit` left entities out.")


class EntitiesOut(BaseModel):
    user_id: str
    entities: list[EntityNodeOut]
    total: int
    limit: int
    offset: int


class EntityDetailOut(EntityNodeOut):
    relations: list[EdgeOut]
    memories: list[MemoryOut] = Field(description="Memories naming it, newest first (up to 100).")


@graph.get("", response_model=GraphOut, responses=problems(404))
def get_graph(
    principal: Reader,
    graph_: Graph,
    user_id: UserId = None,
    agent_id: AgentId = None,
    entity: EntityReference = None,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Hops from `entity`.")] = 1,
    limit: Limit = DEFAULT_LIMIT,
) -> GraphOut:
    """The user's entities and the relations between them, most mentioned first; with `entity`, only the entities
    within `depth` relations of it."""
    owner = principal.owner(user_id)
    found = graph_.graph(owner, principal.agent(agent_id), entity, depth, limit)
    return GraphOut(
        user_id=owner.user_id,
        entities=[EntityNodeOut.of(node) for node in found.entities],
        relations=[EdgeOut.of(edge) for edge in found.relations],
        truncated=found.truncated,
    )


@entities.get("", response_model=EntitiesOut)
def list_entities(
    principal: Reader,
    graph_: Graph,
    user_id: UserId = None,
    agent_id: AgentId = None,
    type: Annotated[str | None, Query(description=f"One of: {', '.join(ENTITY_TYPES)}.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=limits.MAX_OFFSET)] = 0,
) -> EntitiesOut:
    """The user's entities, most mentioned first."""
    owner = principal.owner(user_id)
    page, total = graph_.entities(owner, principal.agent(agent_id), type, limit, offset)
    return EntitiesOut(
        user_id=owner.user_id, entities=[EntityNodeOut.of(n) for n in page], total=total, limit=limit, offset=offset
    )


@entity.get("/{entity_id}", response_model=EntityDetailOut, responses=problems(404))
def get_entity(
    principal: Reader,
    graph_: Graph,
    entity_id: Annotated[str, Path(min_length=1, max_length=limits.MAX_ENTITY_NAME_CHARS)],
    user_id: UserId = None,
    agent_id: AgentId = None,
) -> EntityDetailOut:
    """One entity (by id or name) with its relations in both directions and the memories naming it."""
    found = graph_.entity(principal.owner(user_id), entity_id, principal.agent(agent_id))
    node = EntityNodeOut.of(found.node)
    return EntityDetailOut(
        **node.model_dump(),
        relations=[EdgeOut.of(edge) for edge in found.relations],
        memories=[MemoryOut.of(memory) for memory in found.memories],
    )


ROUTERS = [graph, entities, entity]
