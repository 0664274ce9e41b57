"""A user's knowledge graph as the stores hold it: which memory names which entity, and which states which relation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from agent_memory.domain.models import Entity


@dataclass(frozen=True, slots=True)
class Mention:
    """`memory_id` names `entity` (in its entity list, or as a relation's subject or object)."""

    entity: Entity
    memory_id: str
    agent_id: str | None


@dataclass(frozen=True, slots=True)
class Statement:
    """`memory_id` states subject-predicate-object; `valid_to` is when that memory was superseded."""

    subject_id: str
    predicate: str
    object_id: str
    memory_id: str
    agent_id: str | None
    valid_from: datetime
    valid_to: datetime | None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.subject_id, self.predicate, self.object_id)
