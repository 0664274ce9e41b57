"""A Bedrock chat model answering a conversation turn as the assistant (Converse, plain text, no tool).

Bedrock's Converse takes alternating user/assistant messages that start with the user: the turn's messages are
mapped to that (system messages join the system prompt; tool output is shown to the model as user text; consecutive
messages of one role are joined).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

from agent_memory.adapters.aws.bedrock import _with_retries
from agent_memory.domain.conversation import Message, Role
from agent_memory.domain.errors import ModelOutputInvalid

MAX_REPLY_TOKENS = 1024


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
    def __init__(
        self, client_factory: Callable[[], Any], model: str, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self._client_factory = client_factory
        self._model = model
        self._sleep = sleep

    @cached_property
    def _client(self) -> Any:
        return self._client_factory()

    @property
    def model(self) -> str:
        return self._model

    def reply(self, system: str, messages: Sequence[Message]) -> str:
        extra, turns = converse_messages(messages)
        prompt = "\n\n".join([system, *extra])
        answer = _with_retries(
            lambda: self._client.converse(
                modelId=self._model,
                system=[{"text": prompt}],
                messages=turns,
                inferenceConfig={"maxTokens": MAX_REPLY_TOKENS, "temperature": 0.3},
            ),
            5,
            self._sleep,
            "reply",
            self._model,
        )
        blocks = answer.get("output", {}).get("message", {}).get("content", [])
        text = "".join(block.get("text", "") for block in blocks).strip()
        if not text:
            raise ModelOutputInvalid(f"{self._model} gave an empty reply.")
        return text
