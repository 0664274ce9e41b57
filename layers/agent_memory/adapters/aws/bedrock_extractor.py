"""Fact extraction by a Bedrock chat model (Converse, forced tool call, pydantic-validated answer)."""

from __future__ import annotations

from collections.abc import Sequence

from agent_memory.adapters.aws.bedrock import ConverseClient
from agent_memory.adapters.aws.language_tasks import extract_facts
from agent_memory.domain.conversation import EntityMention, ExtractedFact, FactKind, Message, Role
from agent_memory.domain.topics import topics_of

# What the model is shown: the user's words and the assistant's (for context), never system or tool text.
SHOWN_ROLES = frozenset({Role.USER, Role.ASSISTANT})


class BedrockExtractor:
    name = "bedrock"

    def __init__(self, client: ConverseClient) -> None:
        self._client = client
        self.version = client.model

    def extract(self, messages: Sequence[Message]) -> list[ExtractedFact]:
        shown = [(index, m) for index, m in enumerate(messages) if m.role in SHOWN_ROLES]
        if not any(m.role is Role.USER for _, m in shown):
            return []
        answer = extract_facts(self._client, [{"role": m.role.value, "content": m.content} for _, m in shown])
        facts: list[ExtractedFact] = []
        for fact in answer.facts:
            # The model cites positions in what it was shown: map them back, keep only the user's messages.
            cited = tuple(
                shown[i][0] for i in fact.source_messages if 0 <= i < len(shown) and shown[i][1].role is Role.USER
            )
            if not cited:
                continue  # a "fact" not said by the user is not a fact about the user
            facts.append(
                ExtractedFact(
                    content=fact.content.strip(),
                    kind=FactKind.FACT,
                    importance=fact.importance,
                    valence=fact.valence,
                    topics=tuple(fact.topics) or topics_of(fact.content),
                    entities=tuple(EntityMention(e.name, e.type) for e in fact.entities),
                    source_messages=cited,
                )
            )
        return facts
