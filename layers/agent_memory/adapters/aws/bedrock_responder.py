"""A Bedrock chat model answering a conversation turn as the assistant (Converse, plain text, no tool).

Bedrock's Converse takes alternating user/assistant messages that start with the user: the turn's messages are
mapped to that (system messages join the system prompt; tool output is shown to the model as user text; consecutive
messages of one role are joined).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from agent_memory.adapters.aws.bedrock import ConverseClient
from agent_memory.domain.conversation import Message, Role

MAX_REPLY_TOKENS = 1024
REPLY_TEMPERATURE = 0.3


def converse_messages(messages: Sequence[Message]) -> tuple[list[str], list[dict[str, Any]]]:
    """(extra system lines, Converse messages) for a turn's messages."""
    system: list[str] = []
    turns: list[dict[str, Any]] = []
    for message in messages:
        if message.role is Role.SYSTEM:
            system.append(message.content)
            continue
        role = "assistant" if message.role is Role.ASSISTANT else "user"
        text = f"[tool output] {message.content}" if message.role is Role.TOOL else message.content
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].append({"text": text})
        else:
            turns.append({"role": role, "content": [{"text": text}]})
    if turns and turns[0]["role"] == "assistant":
        turns.insert(0, {"role": "user", "content": [{"text": "(the conversation so far)"}]})
    if not turns or turns[-1]["role"] == "assistant":
        turns.append({"role": "user", "content": [{"text": "(continue)"}]})
    return system, turns


class BedrockResponder:
    def __init__(self, client: ConverseClient) -> None:
        self._client = client

    @property
    def model(self) -> str:
        return self._client.model

    def reply(self, system: str, messages: Sequence[Message]) -> str:
        extra, turns = converse_messages(messages)
        return self._client.say("\n\n".join([system, *extra]), turns, MAX_REPLY_TOKENS, REPLY_TEMPERATURE)
