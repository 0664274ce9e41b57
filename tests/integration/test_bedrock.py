"""Bedrock adapters against botocore's Stubber: request shapes, retries on throttling, invalid model output."""

from __future__ import annotations

import io
import json
from typing import Any

import boto3
import numpy as np
import pytest
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber

from agent_memory.adapters.aws.bedrock import TITAN_V2, ConverseClient, TitanEmbedder
from agent_memory.adapters.aws.language_tasks import ExtractedFacts, decide_merge, extract_facts
from agent_memory.domain.errors import ConfigurationError, ModelOutputInvalid, ModelUnavailable
from tests.aws_support import REGION, fake_credentials

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"


def runtime_client() -> tuple[Any, Stubber]:
    fake_credentials()
    client = boto3.client("bedrock-runtime", region_name=REGION)
    return client, Stubber(client)


def embedding_answer(values: list[float]) -> dict[str, Any]:
    payload = json.dumps({"embedding": values, "inputTextTokenCount": 3}).encode()
    return {"body": StreamingBody(io.BytesIO(payload), len(payload)), "contentType": "application/json"}


def titan_request(text: str, dimension: int) -> dict[str, Any]:
    return {
        "modelId": TITAN_V2,
        "body": json.dumps({"inputText": text, "dimensions": dimension, "normalize": True}),
        "contentType": "application/json",
        "accept": "application/json",
    }


def one_hot(position: int, size: int = 256, value: float = 1.0) -> list[float]:
    return [value if i == position else 0.0 for i in range(size)]


def test_titan_embeds_each_text_with_the_chosen_dimension_and_normalises() -> None:
    client, stubber = runtime_client()
    stubber.add_response("invoke_model", embedding_answer(one_hot(0, value=3.0)), titan_request("likes tea", 256))
    stubber.add_response("invoke_model", embedding_answer(one_hot(1, value=4.0)), titan_request("owns a cat", 256))
    embedder = TitanEmbedder(lambda: client, dimension=256, max_concurrency=1)
    with stubber:
        vectors = embedder.embed(["likes tea", "owns a cat"])
    assert vectors.shape == (2, 256) and vectors.dtype == np.float32
    assert vectors[0][0] == pytest.approx(1.0) and vectors[1][1] == pytest.approx(1.0)
    assert embedder.model_id == f"{TITAN_V2}/256"


def test_titan_batches_concurrently_and_returns_one_row_per_text() -> None:
    client, stubber = runtime_client()
    # Which text gets which answer depends on scheduling, so check that every answer lands in exactly one row.
    for position in range(6):
        stubber.add_response("invoke_model", embedding_answer(one_hot(position)))
    with stubber:
        vectors = TitanEmbedder(lambda: client, dimension=256, max_concurrency=3).embed([f"t{i}" for i in range(6)])
    assert sorted(int(np.argmax(row)) for row in vectors) == list(range(6))


def test_titan_retries_throttling_then_succeeds() -> None:
    client, stubber = runtime_client()
    stubber.add_client_error("invoke_model", service_error_code="ThrottlingException", http_status_code=429)
    stubber.add_client_error("invoke_model", service_error_code="ThrottlingException", http_status_code=429)
    stubber.add_response("invoke_model", embedding_answer(one_hot(0)))
    pauses: list[float] = []
    with stubber:
        vectors = TitanEmbedder(lambda: client, dimension=256, sleep=pauses.append).embed(["x"])
    assert vectors.shape == (1, 256) and pauses == [0.2, 0.4]


def test_titan_throttled_past_its_attempts_is_model_unavailable() -> None:
    client, stubber = runtime_client()
    for _ in range(3):
        stubber.add_client_error("invoke_model", service_error_code="ThrottlingException", http_status_code=429)
    with stubber, pytest.raises(ModelUnavailable):
        TitanEmbedder(lambda: client, dimension=256, max_attempts=3, sleep=lambda _: None).embed(["x"])


def test_titan_wrong_size_answer_and_bad_settings_are_clear_errors() -> None:
    client, stubber = runtime_client()
    stubber.add_response("invoke_model", embedding_answer([1.0] * 10))
    with stubber, pytest.raises(ModelOutputInvalid, match="10 dimensions"):
        TitanEmbedder(lambda: client, dimension=256).embed(["x"])
    with pytest.raises(ConfigurationError):
        TitanEmbedder(lambda: client, dimension=300)


def test_access_denied_is_a_configuration_error_not_a_retry() -> None:
    client, stubber = runtime_client()
    stubber.add_client_error("invoke_model", service_error_code="AccessDeniedException", http_status_code=403)
    with stubber, pytest.raises(ConfigurationError, match="denied"):
        TitanEmbedder(lambda: client, dimension=256).embed(["x"])


def tool_answer(name: str, given: Any, use_id: str = "t1") -> dict[str, Any]:
    return {
        "output": {
            "message": {
                "role": "assistant",
                "content": [{"toolUse": {"toolUseId": use_id, "name": name, "input": given}}],
            }
        },
        "stopReason": "tool_use",
        "usage": {"inputTokens": 10, "outputTokens": 10, "totalTokens": 20},
        "metrics": {"latencyMs": 5},
    }


GOOD_FACTS = {
    "facts": [
        {
            "content": "The user moved to Berlin.",
            "importance": 0.8,
            "valence": 0.1,
            "topics": ["home"],
            "entities": [{"name": "Berlin", "type": "place"}],
            "source_messages": [0],
        }
    ]
}


def test_converse_forces_the_tool_and_validates_the_answer() -> None:
    client, stubber = runtime_client()
    expected = {
        "modelId": MODEL,
        "system": ANY,
        "messages": [{"role": "user", "content": [{"text": "[0] user: actually I moved to Berlin"}]}],
        "inferenceConfig": ANY,
        "toolConfig": {
            "tools": [
                {
                    "toolSpec": {
                        "name": "record_facts",
                        "description": ANY,
                        "inputSchema": {"json": ExtractedFacts.model_json_schema()},
                    }
                }
            ],
            "toolChoice": {"tool": {"name": "record_facts"}},
        },
    }
    stubber.add_response("converse", tool_answer("record_facts", GOOD_FACTS), expected)
    with stubber:
        facts = extract_facts(
            ConverseClient(lambda: client, MODEL), [{"role": "user", "content": "actually I moved to Berlin"}]
        )
    assert facts.facts[0].content == "The user moved to Berlin." and facts.facts[0].entities[0].type == "place"


def test_invalid_output_is_retried_once_with_the_error_as_tool_result() -> None:
    client, stubber = runtime_client()
    stubber.add_response("converse", tool_answer("decide_merge", {"action": "obliterate", "reason": "x"}, "bad"))
    error_result = {"toolResult": {"toolUseId": "bad", "content": ANY, "status": "error"}}
    retry = {
        "modelId": MODEL,
        "system": ANY,
        "messages": [ANY, ANY, {"role": "user", "content": [error_result]}],
        "inferenceConfig": ANY,
        "toolConfig": ANY,
    }
    merged = {"action": "merge", "merged_content": "m", "reason": "same"}
    stubber.add_response("converse", tool_answer("decide_merge", merged), retry)
    with stubber:
        decision = decide_merge(ConverseClient(lambda: client, MODEL), "likes tea", "loves tea")
    assert decision.action == "merge" and decision.merged_content == "m"


def test_output_invalid_twice_is_reported_not_returned() -> None:
    client, stubber = runtime_client()
    stubber.add_response("converse", tool_answer("decide_merge", {"action": "nope"}))
    text_only = tool_answer("decide_merge", {})
    text_only["output"]["message"]["content"] = [{"text": "I would rather not."}]
    stubber.add_response("converse", text_only)
    with stubber, pytest.raises(ModelOutputInvalid, match="did not call decide_merge"):
        decide_merge(ConverseClient(lambda: client, MODEL), "a", "b")
