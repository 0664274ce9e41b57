"""The language tasks Bedrock performs, each as a forced tool call whose answer pydantic validates.

Facts extracted from a conversation, the decision for two near-duplicate memories, a topic label, the entities
memories name, and a thread's summary. The rule-based
local implementations answer the same questions with the same shapes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from agent_memory.adapters.aws.bedrock import ConverseClient
from agent_memory.domain import limits


class ExtractedEntity(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    # domain.conversation.ENTITY_TYPES, spelled out so the tool schema the model sees lists them (a test checks)
    type: Literal[
        "person",
        "place",
        "organization",
        "tool",
        "language",
        "framework",
        "concept",
        "event",
        "date",
        "food",
        "animal",
        "product",
    ]


class ExtractedFact(BaseModel):
    content: str = Field(min_length=1, max_length=limits.MAX_CONTENT_CHARS_CEILING)
    importance: float = Field(ge=0, le=1)
    valence: float = Field(ge=-1, le=1)
    topics: list[str] = Field(default_factory=list, max_length=limits.MAX_TOPICS)
    entities: list[ExtractedEntity] = Field(default_factory=list)
    source_messages: list[int] = Field(min_length=1, description="indexes of the messages the fact comes from")


class ExtractedFacts(BaseModel):
    facts: list[ExtractedFact]


class MergeDecision(BaseModel):
    action: Literal["keep_both", "merge", "supersede"]
    merged_content: str | None = Field(default=None, max_length=limits.MAX_CONTENT_CHARS_CEILING)
    reason: str = Field(max_length=500)


class TopicLabel(BaseModel):
    label: str = Field(min_length=1, max_length=limits.MAX_TOPIC_CHARS)


class TextEntities(BaseModel):
    text: int = Field(ge=0, description="index of the text the entities are named in")
    entities: list[ExtractedEntity] = Field(default_factory=list)


class FoundEntities(BaseModel):
    texts: list[TextEntities]


class ExtractedRelation(BaseModel):
    subject: str = Field(min_length=1, max_length=100, description='"user" for the user, else an entity\'s name')
    predicate: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=limits.MAX_PREDICATE_CHARS)
    object: str = Field(min_length=1, max_length=100, description="an entity's name or a short noun phrase")


class TextKnowledge(BaseModel):
    text: int = Field(ge=0, description="index of the text the entities and relations are in")
    entities: list[ExtractedEntity] = Field(default_factory=list)
    relations: list[ExtractedRelation] = Field(default_factory=list)


class FoundKnowledge(BaseModel):
    texts: list[TextKnowledge]


class ThreadSummary(BaseModel):
    summary: str = Field(min_length=1, max_length=limits.MAX_CONTENT_CHARS_CEILING)


EXTRACT_SYSTEM = (
    "You keep long-term memory for an assistant. From the conversation, record only durable facts about the user: "
    "facts, preferences, plans, relationships and corrections, each in one third-person sentence. Never record "
    "questions, greetings, or system and tool text. Cite the indexes of the messages each fact comes from."
)
MERGE_SYSTEM = (
    "Two memories about the same user may say the same thing or contradict each other. Answer keep_both when they "
    "are different facts, merge (with the merged sentence) when they say the same thing, supersede when the newer "
    "one replaces the older."
)
TOPIC_SYSTEM = "Name the common topic of these memories in one to three lowercase words."
ENTITIES_SYSTEM = (
    "List the named entities each numbered memory mentions, typed as person, place, organization, tool (software, "
    "databases, platforms, devices), language (programming or natural), framework, concept, event, date, food, "
    "animal (pets by name, species) or product. Leave out the user themselves and pronouns."
)
KNOWLEDGE_SYSTEM = (
    ENTITIES_SYSTEM + ' Then list the facts each memory states as relations: the subject is "user" for the user '
    "or a listed person's name; the predicate is a short snake_case verb (lives_in, works_at, works_as, born_in, "
    "likes, dislikes, owns, learning, studies, allergic_to, married_to, sibling_of, friend_of, visited, plans); the "
    "object is a listed entity's name or a short noun phrase. State only what the memory says."
)
SUMMARY_SYSTEM = (
    "Summarise this conversation as an episode in the user's long-term memory: one or two third-person sentences "
    "saying what was discussed and what was learned about the user. No greetings, no advice the assistant gave."
)


def extract_facts(client: ConverseClient, messages: Sequence[dict[str, str]]) -> ExtractedFacts:
    numbered = "\n".join(f"[{i}] {m.get('role', 'user')}: {m.get('content', '')}" for i, m in enumerate(messages))
    return client.ask(EXTRACT_SYSTEM, numbered, "record_facts", "Record durable facts about the user.", ExtractedFacts)


def decide_merge(client: ConverseClient, older: str, newer: str) -> MergeDecision:
    prompt = json.dumps({"older": older, "newer": newer}, ensure_ascii=False)
    return client.ask(MERGE_SYSTEM, prompt, "decide_merge", "Decide how two memories relate.", MergeDecision)


def label_topic(client: ConverseClient, samples: Sequence[str]) -> TopicLabel:
    prompt = "\n".join(f"- {sample}" for sample in samples)
    return client.ask(TOPIC_SYSTEM, prompt, "label_topic", "Label the topic of a group of memories.", TopicLabel)


def find_entities(client: ConverseClient, texts: Sequence[str]) -> FoundEntities:
    numbered = "\n".join(f"[{i}] {text}" for i, text in enumerate(texts))
    return client.ask(
        ENTITIES_SYSTEM, numbered, "record_entities", "Record the entities each text names.", FoundEntities
    )


def find_knowledge(client: ConverseClient, texts: Sequence[str]) -> FoundKnowledge:
    numbered = "\n".join(f"[{i}] {text}" for i, text in enumerate(texts))
    return client.ask(
        KNOWLEDGE_SYSTEM,
        numbered,
        "record_knowledge",
        "Record the entities and relations of each text.",
        FoundKnowledge,
    )


def summarize_thread(client: ConverseClient, messages: Sequence[dict[str, str]], max_chars: int) -> ThreadSummary:
    shown = "\n".join(f"{m.get('role', 'user')}: {m.get('content', '')}" for m in messages)
    prompt = f"{shown}\n\n(at most {max_chars} characters)"
    return client.ask(SUMMARY_SYSTEM, prompt, "record_episode", "Record the episode summary.", ThreadSummary)
