"""Ports of the knowledge graph: reading what a memory's text names and states, and the graph the stores keep."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from agent_memory.domain.graph import Mention, Statement
from agent_memory.domain.knowledge import Knowledge
from agent_memory.domain.models import Owner


class KnowledgeReader(Protocol):
    """Entities and relations of memory texts, as a memory is written (fast, no model call on the write path)."""

    def knowledge(self, texts: Sequence[str]) -> list[Knowledge]: ...


class GraphStore(Protocol):
    """The graph projected from a user's memories (SQLite tables kept by triggers; DynamoDB adjacency items kept by
    the table's stream). Expired memories' rows are never returned."""

    def mentions(self, owner: Owner, now: datetime, entity_ids: Sequence[str] | None = None) -> list[Mention]:
        """Every mention of the user's graph, or of these entities only."""
        ...

    def statements(self, owner: Owner, now: datetime, entity_ids: Sequence[str] | None = None) -> list[Statement]:
        """Every statement, or those whose subject or object is one of these entities."""
        ...
