"""A user's knowledge graph: entities with their aliases and mentions, relations with the memories that state them
and when they held, neighbourhoods around an entity, and counts for stats."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from agent_memory.domain.clock import utcnow
from agent_memory.domain.conversation import ENTITY_TYPES
from agent_memory.domain.errors import InvalidInput, NotFound
from agent_memory.domain.graph import Mention, Statement
from agent_memory.domain.knowledge import USER
from agent_memory.domain.models import Entity, Memory, Owner
from agent_memory.ports import GraphStore, MemoryStore

MAX_DEPTH = 3
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_ENTITY_MEMORIES = 100


@dataclass(frozen=True, slots=True)
class EntityNode:
    entity: Entity
    aliases: tuple[str, ...]
    memory_ids: tuple[str, ...]

    @property
    def mentions(self) -> int:
        return len(self.memory_ids)


@dataclass(frozen=True, slots=True)
class Edge:
    subject_id: str
    predicate: str
    object_id: str
    memory_ids: tuple[str, ...]
    valid_from: datetime
    valid_to: datetime | None
    """None while a memory still states it; otherwise when the last one stating it was superseded."""


@dataclass(frozen=True, slots=True)
class Graph:
    entities: list[EntityNode]
    relations: list[Edge]
    truncated: bool


@dataclass(frozen=True, slots=True)
class EntityDetail:
    node: EntityNode
    relations: list[Edge]
    memories: list[Memory]


@dataclass(frozen=True, slots=True)
class GraphCounts:
    entities: int
    relations: int
    by_type: dict[str, int]


def _nodes(mentions: Iterable[Mention]) -> dict[str, EntityNode]:
    names: dict[str, Counter[str]] = defaultdict(Counter)
    kinds: dict[str, str] = {}
    memories: dict[str, set[str]] = defaultdict(set)
    for mention in mentions:
        names[mention.entity.id][mention.entity.name] += 1
        kinds[mention.entity.id] = mention.entity.type
        memories[mention.entity.id].add(mention.memory_id)
    nodes: dict[str, EntityNode] = {}
    for entity_id, spelled in names.items():
        ordered = tuple(name for name, _ in sorted(spelled.items(), key=lambda item: (-item[1], item[0])))
        entity = Entity(entity_id, ordered[0], kinds[entity_id], len(memories[entity_id]))
        nodes[entity_id] = EntityNode(entity, ordered[1:], tuple(sorted(memories[entity_id])))
    return nodes


def _edges(statements: Iterable[Statement]) -> list[Edge]:
    grouped: dict[tuple[str, str, str], list[Statement]] = defaultdict(list)
    for statement in statements:
        grouped[statement.key].append(statement)
    edges = []
    for (subject_id, predicate, object_id), stated in grouped.items():
        ended = [s.valid_to for s in stated if s.valid_to is not None]
        edges.append(
            Edge(
                subject_id,
                predicate,
                object_id,
                tuple(sorted(s.memory_id for s in stated)),
                min(s.valid_from for s in stated),
                max(ended) if len(ended) == len(stated) else None,
            )
        )
    return sorted(edges, key=lambda e: (e.valid_to is not None, e.subject_id, e.predicate, e.object_id))


def _user_node(edges: Sequence[Edge]) -> EntityNode:
    stated = sorted({m for e in edges if USER.id in (e.subject_id, e.object_id) for m in e.memory_ids})
    return EntityNode(Entity(USER.id, USER.name, USER.type, len(stated)), (), tuple(stated))


def _ranked(nodes: Iterable[EntityNode]) -> list[EntityNode]:
    return sorted(nodes, key=lambda node: (-node.mentions, node.entity.name.casefold(), node.entity.id))


class GraphService:
    def __init__(self, graph: GraphStore, store: MemoryStore, clock: Callable[[], datetime] = utcnow) -> None:
        self._graph = graph
        self._store = store
        self._clock = clock

    def _mentions(self, owner: Owner, agent_id: str | None, ids: Sequence[str] | None = None) -> list[Mention]:
        found = self._graph.mentions(owner, self._clock(), ids)
        return [m for m in found if agent_id is None or m.agent_id == agent_id]

    def _statements(self, owner: Owner, agent_id: str | None, ids: Sequence[str] | None = None) -> list[Statement]:
        found = self._graph.statements(owner, self._clock(), ids)
        return [s for s in found if agent_id is None or s.agent_id == agent_id]

    def resolve(self, owner: Owner, reference: str, agent_id: str | None = None) -> str:
        """An entity's id from its id, its name or one of its aliases (any case)."""
        if reference == USER.id:
            return USER.id
        if self._mentions(owner, agent_id, [reference]):
            return reference
        wanted = reference.casefold()
        named = sorted({m.entity.id for m in self._mentions(owner, agent_id) if m.entity.name.casefold() == wanted})
        if not named:
            raise NotFound(f"Entity {reference!r} was not found for this user.")
        return named[0]

    def graph(
        self,
        owner: Owner,
        agent_id: str | None = None,
        entity: str | None = None,
        depth: int = 1,
        limit: int = DEFAULT_LIMIT,
    ) -> Graph:
        if not 1 <= depth <= MAX_DEPTH or not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(f"depth must be 1 to {MAX_DEPTH} and limit 1 to {MAX_LIMIT}.")
        if entity is None:
            nodes = _nodes(self._mentions(owner, agent_id))
            edges = _edges(self._statements(owner, agent_id))
            if edges:
                nodes[USER.id] = _user_node(edges)
            kept = {node.entity.id for node in _ranked(nodes.values())[:limit]}
            relations = [e for e in edges if e.subject_id in kept and e.object_id in kept]
            return Graph(_ranked(nodes[i] for i in kept), relations, truncated=len(nodes) > limit)
        start = self.resolve(owner, entity, agent_id)
        reached, frontier, statements = {start}, {start}, {}
        truncated = False
        for _ in range(depth):
            found = self._statements(owner, agent_id, sorted(frontier))
            statements.update({(*s.key, s.memory_id): s for s in found})
            frontier = {end for s in found for end in (s.subject_id, s.object_id)} - reached
            if len(reached) + len(frontier) > limit:
                frontier = set(sorted(frontier)[: limit - len(reached)])
                truncated = True
            reached |= frontier
            if not frontier:
                break
        edges = [e for e in _edges(statements.values()) if e.subject_id in reached and e.object_id in reached]
        nodes = _nodes(self._mentions(owner, agent_id, sorted(reached - {USER.id})))
        if USER.id in reached:
            nodes[USER.id] = _user_node(edges)
        return Graph(_ranked(nodes.values()), edges, truncated)

    def entities(
        self,
        owner: Owner,
        agent_id: str | None = None,
        entity_type: str | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> tuple[list[EntityNode], int]:
        """A page of the user's entities, most mentioned first, and how many there are in all."""
        if entity_type is not None and entity_type not in ENTITY_TYPES:
            raise InvalidInput(f"type must be one of: {', '.join(ENTITY_TYPES)}.")
        nodes = _ranked(_nodes(self._mentions(owner, agent_id)).values())
        if entity_type is not None:
            nodes = [node for node in nodes if node.entity.type == entity_type]
        return nodes[offset : offset + limit], len(nodes)

    def entity(self, owner: Owner, reference: str, agent_id: str | None = None) -> EntityDetail:
        entity_id = self.resolve(owner, reference, agent_id)
        edges = _edges(self._statements(owner, agent_id, [entity_id]))
        node = (
            _user_node(edges)
            if entity_id == USER.id
            else _nodes(self._mentions(owner, agent_id, [entity_id]))[entity_id]
        )
        found = self._store.get_many(owner, node.memory_ids[:MAX_ENTITY_MEMORIES], self._clock())
        memories = sorted(found.values(), key=lambda m: (m.created_at, m.id), reverse=True)
        return EntityDetail(node, edges, memories)

    def counts(self, owner: Owner) -> GraphCounts:
        nodes = _nodes(self._mentions(owner, None))
        edges = _edges(self._statements(owner, None))
        by_type = Counter(node.entity.type for node in nodes.values())
        return GraphCounts(len(nodes), len(edges), dict(sorted(by_type.items())))

    def linked_memories(self, owner: Owner, entity_ids: Sequence[str], agent_id: str | None = None) -> set[str]:
        """Memories that name these entities or state a relation with them (graph-aware recall)."""
        ids = [i for i in entity_ids if i != USER.id]
        if not ids:
            return set()
        named = {m.memory_id for m in self._mentions(owner, agent_id, ids)}
        return named | {s.memory_id for s in self._statements(owner, agent_id, ids)}
