"""Graph-aware recall: the memories a search reaches through the user's knowledge graph.

The walk starts from two kinds of entity:
- the query's own, read with the write path's `KnowledgeReader` (so a name is read in a question as it was in a
  memory) and looked up by id and, because the rules may type one name differently in a question than in a
  statement ("Who supports Caroline" reads an organization), by name under the types a proper name can take;
- those of the best hits of the keyword and semantic fusion (their entities and the ends of their relations): what
  the query found first says what it is about ("Where did she move from?" finds "I moved from Sweden"; the other
  memories about Sweden are one step further).

An entity named by more than MAX_SHARE of the query's candidates says nothing about which of them it means (a
conversation partner's name, the current year) and is passed over, unless few memories name it at all. Memories
that name a query entity, or state a relation with one, are one hop away; memories that name an entity of a best
hit, or one a query entity's relations join it to (Chloe `lives_in` Leeds: a memory about Leeds), are two hops away.
Search ranks them by hops, then by similarity in meaning to the query, fuses that ranking with the keyword and
semantic ones, and hydrates and re-checks them like any hit: only memories that pass the query's filters can enter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

from agent_memory.domain.knowledge import USER
from agent_memory.domain.models import Entity, Memory, Owner
from agent_memory.ports import GraphStore, IndexHit, KnowledgeReader

# The types a capitalised name is read as, depending on its context; a query's name is looked up under each.
NAME_TYPES = ("person", "place", "organization", "animal", "tool", "product", "event")
# How many of the best fused hits anchor the walk; an entity named by more than MAX_SHARE of the candidates (and
# by more than MIN_COMMON memories, so a small user's graph is walked at all) is too common to say anything.
SEEDS = 3
MAX_SHARE = 0.05
MIN_COMMON = 10


def _of(agent_id: str | None, memory_agent: str | None) -> bool:
    return agent_id is None or memory_agent == agent_id


def seed_entities(seeds: Iterable[Memory]) -> set[str]:
    """The entities the best hits name, and the ends of the relations they state (the user's own node aside)."""
    found: set[str] = set()
    for memory in seeds:
        found.update(entity.id for entity in memory.entities)
        found.update(end.id for relation in memory.relations for end in (relation.subject, relation.object))
    return found - {USER.id}


class GraphRecall:
    def __init__(self, reader: KnowledgeReader, graph: GraphStore) -> None:
        self._reader = reader
        self._graph = graph

    def query_entities(self, query: str) -> set[str]:
        """Ids the query's entities may have in a user's graph: as read, and their names under NAME_TYPES."""
        named, _ = self._reader.knowledge([query])[0]
        named = tuple(entity for entity in named if entity.id != USER.id)
        return {entity.id for entity in named} | {Entity.named(e.name, kind).id for e in named for kind in NAME_TYPES}

    def reach(
        self,
        owner: Owner,
        query: str,
        seeds: Sequence[Memory],
        among: Collection[str],
        now: datetime,
        agent_id: str | None = None,
    ) -> dict[str, int]:
        """The memories among `among` (the query's candidates) the walk reaches, by id, with their hops (1 or 2)."""
        from_query = self.query_entities(query)
        from_seeds = seed_entities(seeds) - from_query
        if not among or not (from_query or from_seeds):
            return {}
        most = max(MIN_COMMON, MAX_SHARE * len(among))

        def specific(entity_ids: Collection[str]) -> dict[str, set[str]]:
            naming: dict[str, set[str]] = defaultdict(set)
            for mention in self._graph.mentions(owner, now, sorted(entity_ids)) if entity_ids else ():
                if _of(agent_id, mention.agent_id) and mention.memory_id in among:
                    naming[mention.entity.id].add(mention.memory_id)
            return {entity_id: memories for entity_id, memories in naming.items() if len(memories) <= most}

        anchors = specific(from_query | from_seeds)
        hops: dict[str, int] = {}
        starts = sorted(anchors.keys() & from_query)
        stated = [s for s in self._graph.statements(owner, now, starts) if _of(agent_id, s.agent_id)] if starts else []
        hops.update((s.memory_id, 1) for s in stated if s.memory_id in among)
        hops.update((memory_id, 1) for entity_id in starts for memory_id in anchors[entity_id])
        joined = {end for s in stated for end in (s.subject_id, s.object_id)} - from_query - from_seeds - {USER.id}
        further = {**specific(joined), **{e: anchors[e] for e in anchors.keys() & from_seeds}}
        for memories in further.values():
            for memory_id in memories:
                hops.setdefault(memory_id, 2)
        return hops


def graph_ranking(nearest: Sequence[IndexHit], reached: dict[str, int]) -> list[IndexHit]:
    """The reached memories among `nearest` (best first by similarity), nearer hops first."""
    linked = [hit for hit in nearest if hit.memory_id in reached]
    return sorted(linked, key=lambda hit: reached[hit.memory_id])
