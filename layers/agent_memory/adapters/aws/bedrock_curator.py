"""Curation by a Bedrock chat model: the same judgements as the rules, each a validated forced tool call."""

from __future__ import annotations

from collections.abc import Sequence

from agent_memory.adapters.aws import language_tasks as tasks
from agent_memory.adapters.aws.bedrock import ConverseClient
from agent_memory.adapters.aws.bedrock_extractor import SHOWN_ROLES
from agent_memory.domain.conversation import Message
from agent_memory.domain.curation import MergeAction, MergeDecision
from agent_memory.domain.models import Entity

SUMMARY_CHARS = 300
ENTITY_BATCH = 25  # texts per model call: one call per batch, not per memory


class BedrockCurator:
    name = "bedrock"

    def __init__(self, client: ConverseClient) -> None:
        self._client = client

    def decide_merge(self, older: str, newer: str) -> MergeDecision:
        answer = tasks.decide_merge(self._client, older, newer)
        merged = answer.merged_content.strip() if answer.merged_content else None
        return MergeDecision(MergeAction(answer.action), answer.reason, merged or None)

    def label_topic(self, samples: Sequence[str]) -> str:
        return tasks.label_topic(self._client, samples).label.strip().casefold()

    def entities(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]:
        found: list[tuple[Entity, ...]] = []
        for start in range(0, len(texts), ENTITY_BATCH):
            batch = texts[start : start + ENTITY_BATCH]
            answer = tasks.find_entities(self._client, batch)
            by_text: dict[int, tuple[Entity, ...]] = {}
            for item in answer.texts:
                if 0 <= item.text < len(batch):  # an index the model made up names nothing
                    by_text[item.text] = tuple(Entity.named(e.name, e.type) for e in item.entities)
            found.extend(by_text.get(i, ()) for i in range(len(batch)))
        return found

    def summarize(self, messages: Sequence[Message]) -> str:
        shown = [{"role": m.role.value, "content": m.content} for m in messages if m.role in SHOWN_ROLES]
        return tasks.summarize_thread(self._client, shown, SUMMARY_CHARS).summary.strip()
