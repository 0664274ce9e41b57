"""The Bedrock responder (an assistant reply to a turn), checked with Stubber: the system prompt carries the memory
context, the turn's messages become Converse's alternating user/assistant messages, and the text comes back."""

from __future__ import annotations

import pytest
from botocore.stub import ANY

from agent_memory.adapters.aws.bedrock import ConverseClient
from agent_memory.adapters.aws.bedrock_responder import BedrockResponder, converse_messages
from agent_memory.domain.conversation import Message, Role
from agent_memory.domain.errors import ModelOutputInvalid
from tests.integration.test_bedrock import MODEL, runtime_client


def responder(client) -> BedrockResponder:
    return BedrockResponder(ConverseClient(lambda: client, MODEL, sleep=lambda _: None))


def text_answer(text: str) -> dict:
    return {
        "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
        "stopReason": "end_turn",
        "usage": {"inputTokens": 10, "outputTokens": 5, "totalTokens": 15},
        "metrics": {"latencyMs": 5},
    }


def test_given_a_turn_when_bedrock_replies_then_the_context_is_in_the_system_prompt_and_roles_alternate() -> None:
    client, stubber = runtime_client()
    said = [
        Message(Role.SYSTEM, "Answer briefly."),
        Message(Role.USER, "Where should I eat tonight?"),
        Message(Role.TOOL, "3 restaurants open nearby"),
    ]
    expected = {
        "modelId": MODEL,
        "system": [{"text": "Memory: Is vegetarian\n\nAnswer briefly."}],
        "messages": [
            {
                "role": "user",
                "content": [
                    {"text": "Where should I eat tonight?"},
                    {"text": "[tool output] 3 restaurants open nearby"},
                ],
            }
        ],
        "inferenceConfig": ANY,
    }
    stubber.add_response("converse", text_answer("Try the vegetarian place on Rua Augusta."), expected)

    with stubber:
        reply = responder(client).reply("Memory: Is vegetarian", said)

    assert reply == "Try the vegetarian place on Rua Augusta."


def test_given_a_turn_opening_with_the_assistant_then_converse_still_starts_and_ends_with_the_user() -> None:
    _, turns = converse_messages([Message(Role.ASSISTANT, "Welcome back!")])

    assert [t["role"] for t in turns] == ["user", "assistant", "user"]


def test_given_an_empty_answer_then_it_is_reported_not_returned() -> None:
    client, stubber = runtime_client()
    stubber.add_response("converse", text_answer("   "))
    with stubber, pytest.raises(ModelOutputInvalid):
        responder(client).reply("s", [Message(Role.USER, "hi")])
