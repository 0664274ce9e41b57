"""Curation by a Bedrock chat model: the same judgements as the rules, each a validated forced tool call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from agent_memory.adapters.aws import language_tasks as tasks
from agent_memory.adapters.aws.bedrock import ConverseClient
from agent_memory.adapters.aws.bedrock_extractor import SHOWN_ROLES
from agent_memory.domain.conversation import Message
from agent_memory.domain.curation import MergeAction, MergeDecision
from agent_memory.domain.knowledge import Knowledge, link
from agent_memory.domain.models import Entity

SUMMARY_CHARS = 300
ENTITY_BATCH = 25  # texts per model call: one call per batch, not per memory


T = TypeVar("T")


def _entities(item: tasks.TextEntities | tasks.TextKnowledge) -> tuple[Entity, ...]:
    return tuple(Entity.named(e.name, e.type) for e in item.entities)


def _knowledge(item: tasks.TextKnowledge) -> Knowledge:
    entities = _entities(item)
    return entities, link(((r.subject, r.predicate, r.object) for r in item.relations), entities)


class BedrockCurator:
    name = "bedrock"

    def __init__(self, client: ConverseClient) -> None:
        self._client = client

    def decide_merge(self, older: str, newer: str, similarity: float | None = None) -> MergeDecision:
        # The model reads the two texts itself; the cosine adds nothing it needs.
        answer = tasks.decide_merge(self._client, older, newer)
        merged = answer.merged_content.strip() if answer.merged_content else None
        return MergeDecision(MergeAction(answer.action), answer.reason, merged or None)

    def label_topic(self, samples: Sequence[str]) -> str:
        return tasks.label_topic(self._client, samples).label.strip().casefold()

    def entities(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]:
        return self._per_text(texts, tasks.find_entities, _entities, ())

    def knowledge(self, texts: Sequence[str]) -> list[Knowledge]:
        return self._per_text(texts, tasks.find_knowledge, _knowledge, ((), ()))

    def _per_text(self, texts: Sequence[str], ask: Callable[..., Any], read: Callable[[Any], T], empty: T) -> list[T]:
        """One model call per batch of texts; a text the answer skips gets `empty`, an index it made up is dropped."""
        found: list[T] = []
        for start in range(0, len(texts), ENTITY_BATCH):
            batch = texts[start : start + ENTITY_BATCH]
            answer = ask(self._client, batch)
            by_text = {item.text: read(item) for item in answer.texts if 0 <= item.text < len(batch)}
            found.extend(by_text.get(i, empty) for i in range(len(batch)))
        return found

    def summarize(self, messages: Sequence[Message]) -> str:
        shown = [{"role": m.role.value, "content": m.content} for m in messages if m.role in SHOWN_ROLES]
        return tasks.summarize_thread(self._client, shown, SUMMARY_CHARS).summary.strip()
