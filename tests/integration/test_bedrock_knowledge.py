"""The Bedrock curator's knowledge reading (backfill-entities in production), checked with Stubber: the prompt and
forced tool it sends, and how its answer becomes entities and relations."""

from __future__ import annotations

from botocore.stub import ANY

from agent_memory.adapters.aws.bedrock import ConverseClient
from agent_memory.adapters.aws.bedrock_curator import BedrockCurator
from agent_memory.adapters.aws.language_tasks import KNOWLEDGE_SYSTEM, FoundKnowledge
from tests.integration.test_bedrock import MODEL, runtime_client, tool_answer

ANSWER = {
    "texts": [
        {
            "text": 0,
            "entities": [{"name": "Chloe", "type": "person"}, {"name": "Leeds", "type": "place"}],
            "relations": [
                {"subject": "user", "predicate": "sibling_of", "object": "Chloe"},
                {"subject": "Chloe", "predicate": "lives_in", "object": "Leeds"},
                {"subject": "user", "predicate": "prefers", "object": "dark mode"},
            ],
        },
        {"text": 7, "entities": [{"name": "Made Up", "type": "place"}], "relations": []},
    ]
}


def test_given_memories_when_bedrock_reads_their_knowledge_then_the_tool_is_forced_and_relations_are_linked() -> None:
    client, stubber = runtime_client()
    expected = {
        "modelId": MODEL,
        "system": [{"text": KNOWLEDGE_SYSTEM}],
        "messages": [{"role": "user", "content": [{"text": "[0] Her sister Chloe lives in Leeds\n[1] Hello there"}]}],
        "inferenceConfig": ANY,
        "toolConfig": {
            "tools": [
                {
                    "toolSpec": {
                        "name": "record_knowledge",
                        "description": ANY,
                        "inputSchema": {"json": FoundKnowledge.model_json_schema()},
                    }
                }
            ],
            "toolChoice": {"tool": {"name": "record_knowledge"}},
        },
    }
    stubber.add_response("converse", tool_answer("record_knowledge", ANSWER), expected)

    with stubber:
        found = BedrockCurator(ConverseClient(lambda: client, MODEL)).knowledge(
            ["Her sister Chloe lives in Leeds", "Hello there"]
        )

    (entities, relations), nothing = found
    assert [e.id for e in entities] == ["person:chloe", "place:leeds"]
    assert [(r.subject.id, r.predicate, r.object.id) for r in relations] == [
        ("user", "sibling_of", "person:chloe"),
        ("person:chloe", "lives_in", "place:leeds"),
        ("user", "prefers", "concept:dark mode"),  # a phrase no entity holds becomes a concept
    ]
    assert nothing == ((), ())  # the text the answer skipped; index 7 named no text and was dropped


def test_the_knowledge_prompt_names_every_entity_type_and_asks_for_relations() -> None:
    from agent_memory.domain.conversation import ENTITY_TYPES

    assert all(kind in KNOWLEDGE_SYSTEM for kind in ENTITY_TYPES)
    assert "relations" in KNOWLEDGE_SYSTEM and '"user"' in KNOWLEDGE_SYSTEM
