"""Bedrock refusing the configured model itself (retired, unknown, or served only through an inference profile) is a
configuration error named after the model, reported at once: retrying cannot help and 'retry shortly' would mislead.
botocore's Stubber answers as Bedrock documents."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from pydantic import BaseModel

from agent_memory.adapters.aws.bedrock import ConverseClient, TitanEmbedder
from agent_memory.domain.errors import ConfigurationError, ModelUnavailable
from tests.aws_support import REGION, fake_credentials

PROFILE = "us.anthropic.claude-haiku-4-5-20251001-v1:0"


class Answer(BaseModel):
    ok: bool


def runtime_client() -> tuple[Any, Stubber]:
    fake_credentials()
    client = boto3.client("bedrock-runtime", region_name=REGION)
    return client, Stubber(client)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ValidationException", "The provided model identifier is invalid."),
        (
            "ValidationException",
            "Invocation of model ID anthropic.claude-haiku-4-5-20251001-v1:0 with on-demand throughput isn't "
            "supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
        ),
        ("ResourceNotFoundException", "This model version has reached the end of its life."),
    ],
)
def test_a_refused_model_is_a_configuration_error_naming_the_model_without_retrying(code: str, message: str) -> None:
    # Given Bedrock refusing the configured model
    client, stubber = runtime_client()
    stubber.add_client_error("converse", service_error_code=code, service_message=message, http_status_code=400)
    pauses: list[float] = []
    converse = ConverseClient(lambda: client, PROFILE, sleep=pauses.append)
    # When a structured answer is asked for; Then it is a configuration error that names the model and the fix
    with stubber, pytest.raises(ConfigurationError) as raised:
        converse.ask("system", "prompt", "answer", "the answer", Answer)
    assert PROFILE in str(raised.value) and message in str(raised.value)
    assert "docs/operations.md" in str(raised.value)
    assert pauses == []  # and nothing was retried


def test_the_embedder_names_its_model_when_bedrock_refuses_it() -> None:
    client, stubber = runtime_client()
    stubber.add_client_error(
        "invoke_model", service_error_code="ValidationException",
        service_message="The provided model identifier is invalid.", http_status_code=400,
    )  # fmt: skip
    with stubber, pytest.raises(ConfigurationError, match=r"amazon\.titan-embed-text-v2:0"):
        TitanEmbedder(lambda: client, dimension=256, sleep=lambda _: None).embed(["x"])


def test_a_validation_error_about_the_request_is_still_not_a_configuration_error() -> None:
    # Given a validation error that is about the request, not the model
    client, stubber = runtime_client()
    stubber.add_client_error(
        "converse", service_error_code="ValidationException",
        service_message="messages: text content blocks must be non-empty", http_status_code=400,
    )  # fmt: skip
    # Then it stays what it was: the model is unavailable for this request
    with stubber, pytest.raises(ModelUnavailable):
        ConverseClient(lambda: client, PROFILE, sleep=lambda _: None).ask("s", "p", "answer", "d", Answer)
