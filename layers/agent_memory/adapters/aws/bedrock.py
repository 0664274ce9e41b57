"""Bedrock: Titan Text Embeddings v2 behind the Embedder port, and Converse with a JSON tool schema for language tasks.

Model output is never trusted: embeddings are checked for size and normalised again; tool answers are validated with
pydantic, retried once with the validation error shown to the model, and reported (never stored) if still invalid.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from typing import Any, TypeVar

import numpy as np
from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError
from pydantic import BaseModel, ValidationError

from agent_memory.adapters.aws.errors import error_code
from agent_memory.domain.errors import ConfigurationError, ModelOutputInvalid, ModelUnavailable

TITAN_V2 = "amazon.titan-embed-text-v2:0"
TITAN_DIMENSIONS = (256, 512, 1024)
TITAN_MAX_CHARS = 50_000  # the model's documented input limit
RETRYABLE = frozenset(
    {"ThrottlingException", "ServiceUnavailableException", "ModelTimeoutException", "InternalServerException"}
)
# How Bedrock refuses the model itself (not the request): an unknown or retired model id ("The provided model
# identifier is invalid.", "This model version has reached the end of its life."), or a model it serves only
# through an inference profile ("... with on-demand throughput isn't supported ... inference profile ...").
MODEL_REFUSALS = ("model identifier", "end of its life", "on-demand throughput", "inference profile")
CHANGE_MODEL = "Configure an active Bedrock model or inference profile (docs/operations.md, Bedrock model)."

Model = TypeVar("Model", bound=BaseModel)


def _with_retries(
    action: Callable[[], Any], attempts: int, sleep: Callable[[float], None], what: str, model: str
) -> Any:
    """Run a Bedrock call, backing off exponentially on throttling; other errors are reported at once."""
    for attempt in range(attempts):
        try:
            return action()
        except ParamValidationError:
            raise
        except ClientError as exc:
            code = error_code(exc)
            message = str(exc.response.get("Error", {}).get("Message", ""))
            if code == "AccessDeniedException":
                raise ConfigurationError(f"{what}: access to the Bedrock model {model} is denied ({code}).") from None
            if code == "ResourceNotFoundException" or (
                code == "ValidationException" and any(refusal in message.lower() for refusal in MODEL_REFUSALS)
            ):
                # Retrying cannot help: the deployment names a model Bedrock will not run here.
                refused = f"{what}: Bedrock refuses the model {model}: {message}"
                raise ConfigurationError(f"{refused} {CHANGE_MODEL}") from None
            if code not in RETRYABLE or attempt == attempts - 1:
                raise ModelUnavailable(f"{what}: Bedrock answered {code}; retry shortly.") from None
        except BotoCoreError as exc:
            if attempt == attempts - 1:
                raise ModelUnavailable(f"{what}: Bedrock could not be reached ({type(exc).__name__}).") from None
        sleep(min(8.0, 0.2 * 2**attempt))
    raise AssertionError("unreachable")


class TitanEmbedder:
    """Titan Text Embeddings v2: normalised vectors of 256, 512 or 1024 dimensions, embedded concurrently."""

    def __init__(
        self,
        client_factory: Callable[[], Any],
        dimension: int = 1024,
        model: str = TITAN_V2,
        max_concurrency: int = 4,
        max_attempts: int = 5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if dimension not in TITAN_DIMENSIONS:
            raise ConfigurationError(f"Titan v2 embeds in {TITAN_DIMENSIONS} dimensions, not {dimension}.")
        self._client_factory = client_factory
        self._dimension = dimension
        self._model = model
        self._concurrency = max(1, max_concurrency)
        self._attempts = max_attempts
        self._sleep = sleep

    @cached_property
    def _client(self) -> Any:
        return self._client_factory()

    @property
    def model_id(self) -> str:
        return f"{self._model}/{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def min_similarity(self) -> float:
        return 0.1

    def _embed_one(self, text: str) -> np.ndarray:
        body = json.dumps({"inputText": text[:TITAN_MAX_CHARS], "dimensions": self._dimension, "normalize": True})
        answer = _with_retries(
            lambda: self._client.invoke_model(
                modelId=self._model, body=body, contentType="application/json", accept="application/json"
            ),
            self._attempts,
            self._sleep,
            "embedding",
            self._model,
        )
        try:
            vector = np.asarray(json.loads(answer["body"].read())["embedding"], dtype=np.float32)
        except (KeyError, ValueError, TypeError) as exc:
            raise ModelOutputInvalid(f"Titan answered without a usable embedding ({type(exc).__name__}).") from None
        if vector.shape != (self._dimension,):
            raise ModelOutputInvalid(f"Titan answered {vector.size} dimensions, {self._dimension} were asked for.")
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        if len(texts) == 1 or self._concurrency == 1:
            rows = [self._embed_one(text) for text in texts]
        else:
            # Titan takes one text per call: bounded concurrency keeps batches fast without tripping throttling.
            with ThreadPoolExecutor(max_workers=min(self._concurrency, len(texts))) as pool:
                rows = list(pool.map(self._embed_one, texts))
        return np.vstack(rows).astype(np.float32)


class ConverseClient:
    """Asks a Bedrock chat model for one structured answer through a forced tool call (`ask`), or for text (`say`)."""

    def __init__(
        self,
        client_factory: Callable[[], Any],
        model: str,
        max_attempts: int = 5,
        max_tokens: int = 2048,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client_factory = client_factory
        self._model = model
        self._attempts = max_attempts
        self._max_tokens = max_tokens
        self._sleep = sleep

    @cached_property
    def _client(self) -> Any:
        return self._client_factory()

    @property
    def model(self) -> str:
        return self._model

    def _converse(self, system: str, messages: list[dict[str, Any]], tool: str, description: str, schema: Any) -> Any:
        spec = {"name": tool, "description": description, "inputSchema": {"json": schema}}
        return _with_retries(
            lambda: self._client.converse(
                modelId=self._model,
                system=[{"text": system}],
                messages=messages,
                inferenceConfig={"maxTokens": self._max_tokens, "temperature": 0},
                toolConfig={
                    "tools": [{"toolSpec": spec}],
                    "toolChoice": {"tool": {"name": tool}},
                },
            ),
            self._attempts,
            self._sleep,
            tool,
            self._model,
        )

    @staticmethod
    def _tool_input(answer: Any, tool: str) -> Any:
        for block in answer.get("output", {}).get("message", {}).get("content", []):
            use = block.get("toolUse")
            if use and use.get("name") == tool:
                return use.get("input")
        return None

    @staticmethod
    def _correction(answer: Any, tool: str, problem: str) -> list[dict[str, Any]]:
        """The model's reply and a request to try again (a tool call must be answered with its toolResult)."""
        reply = answer.get("output", {}).get("message") or {"role": "assistant", "content": [{"text": "(no answer)"}]}
        note = f"That answer was not usable ({problem}). Call {tool} again with input that fits its schema."
        uses = [block["toolUse"] for block in reply.get("content", []) if "toolUse" in block]
        content: list[dict[str, Any]] = [
            {"toolResult": {"toolUseId": use["toolUseId"], "content": [{"text": note}], "status": "error"}}
            for use in uses
        ] or [{"text": note}]
        return [reply, {"role": "user", "content": content}]

    def say(self, system: str, messages: list[dict[str, Any]], max_tokens: int, temperature: float) -> str:
        """A plain-text answer to Converse `messages` (no tool). ModelOutputInvalid when it is empty."""
        answer = _with_retries(
            lambda: self._client.converse(
                modelId=self._model,
                system=[{"text": system}],
                messages=messages,
                inferenceConfig={"maxTokens": max_tokens, "temperature": temperature},
            ),
            self._attempts,
            self._sleep,
            "reply",
            self._model,
        )
        blocks = answer.get("output", {}).get("message", {}).get("content", [])
        text = "".join(block.get("text", "") for block in blocks).strip()
        if not text:
            raise ModelOutputInvalid(f"{self._model} gave an empty reply.")
        return text

    def ask(self, system: str, prompt: str, tool: str, description: str, answer_model: type[Model]) -> Model:
        """One structured answer of `answer_model`'s shape. Invalid output is retried once, then ModelOutputInvalid."""
        schema = answer_model.model_json_schema()
        messages: list[dict[str, Any]] = [{"role": "user", "content": [{"text": prompt}]}]
        problem = ""
        for attempt in range(2):
            answer = self._converse(system, messages, tool, description, schema)
            given = self._tool_input(answer, tool)
            if given is None:
                problem = f"the model did not call {tool}"
            else:
                try:
                    return answer_model.model_validate(given)
                except ValidationError as exc:
                    problem = f"{exc.error_count()} field(s) invalid: {exc.errors()[0]['msg']}"
            if attempt == 0:
                messages = [*messages, *self._correction(answer, tool, problem)]
        raise ModelOutputInvalid(f"{self._model} gave no valid {tool} answer twice: {problem}.")
