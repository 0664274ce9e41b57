"""The Bedrock extractor's mapping of the model's answer (validated pydantic) onto domain facts."""

from __future__ import annotations

from typing import Any

from agent_memory.adapters.aws.bedrock_extractor import BedrockExtractor
from agent_memory.adapters.aws.language_tasks import ExtractedEntity, ExtractedFact, ExtractedFacts
from agent_memory.domain.conversation import Message, Role


class ScriptedModel:
    """Answers like ConverseClient.ask, with a fixed answer, and keeps the prompt it was shown."""

    model = "anthropic.claude-3-haiku-20240307-v1:0"

    def __init__(self, answer: ExtractedFacts) -> None:
        self.answer = answer
        self.prompts: list[str] = []

    def ask(self, system: str, prompt: str, tool: str, description: str, schema: Any) -> Any:
        self.prompts.append(prompt)
        return self.answer


def fact(content: str, cited: list[int], **fields: Any) -> ExtractedFact:
    return ExtractedFact(content=content, importance=0.7, valence=0.2, source_messages=cited, **fields)


def test_facts_cite_the_users_messages_by_their_position_in_the_turn() -> None:
    messages = [
        Message(Role.SYSTEM, "You are a helpful assistant."),
        Message(Role.USER, "I moved to Berlin."),
        Message(Role.ASSISTANT, "Nice, Berlin is great."),
        Message(Role.USER, "My sister Ana lives there too."),
    ]
    model = ScriptedModel(
        ExtractedFacts(
            facts=[
                fact("Lives in Berlin", [0], entities=[ExtractedEntity(name="Berlin", type="place")]),
                fact("Has a sister named Ana who lives in Berlin", [2]),
                fact("Berlin is great", [1]),  # the assistant's words: not a fact about the user
                fact("Out of range", [7]),
            ]
        )
    )
    facts = BedrockExtractor(model).extract(messages)  # type: ignore[arg-type]
    # The model saw user and assistant text only (no system text), numbered from 0
    assert "helpful assistant" not in model.prompts[0] and model.prompts[0].startswith("[0] user: I moved")
    assert [(f.content, f.source_messages) for f in facts] == [
        ("Lives in Berlin", (1,)),
        ("Has a sister named Ana who lives in Berlin", (3,)),
    ]
    assert facts[0].entities[0].name == "Berlin" and facts[0].topics == ("home",)


def test_no_user_message_means_no_model_call() -> None:
    model = ScriptedModel(ExtractedFacts(facts=[]))
    assert BedrockExtractor(model).extract([Message(Role.ASSISTANT, "I love Java")]) == []  # type: ignore[arg-type]
    assert model.prompts == []


def test_the_model_types_entities_with_the_documented_set_the_local_rules_use() -> None:
    from typing import get_args

    from agent_memory.adapters.local.entity_typing import TYPES
    from agent_memory.domain.conversation import ENTITY_TYPES

    assert get_args(ExtractedEntity.model_fields["type"].annotation) == ENTITY_TYPES == TYPES
