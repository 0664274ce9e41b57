"""Every Lambda entry point, called as Lambda calls it, with its sample event from events/, on moto + loopback
OpenSearch. Checks status, body and headers, and that the observability wiring carries the request id."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from infra.catalog import API_FUNCTIONS

from agent_memory.domain.models import Scope
from agent_memory.entry import shared
from agent_memory.invoke import LocalContext, load_handler
from agent_memory.services.keys import hash_key
from tests.aws_support import aws_runtime

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"
SAMPLE_MEMORY_ID = "01JD7Z3V9K2M4N6P8Q0R2S4T6V"


def load_event(name: str, memory_id: str | None = None) -> dict[str, Any]:
    text = (EVENTS / name).read_text()
    if memory_id is not None:
        text = text.replace(SAMPLE_MEMORY_ID, memory_id)
    event: dict[str, Any] = json.loads(text)
    return event


def call(function: str, event: dict[str, Any]) -> Any:
    return load_handler(function, ROOT)(event, LocalContext(function_name=function.rsplit("/", 1)[-1]))


def body_of(response: dict[str, Any]) -> Any:
    return json.loads(response["body"]) if response["body"] else None


@pytest.fixture
def runtime(monkeypatch) -> Iterator[Any]:
    with aws_runtime() as (rt, _):
        monkeypatch.setattr(shared, "shared_runtime", lambda: rt)
        yield rt


@pytest.fixture
def seeded(runtime) -> str:
    """Given alice of tenant acme remembers one thing (through the create function itself)."""
    response = call("api/create_memory", load_event("api/create_memory.json"))
    assert response["statusCode"] == 201, response
    return str(body_of(response)["id"])


def test_every_api_function_has_a_module_and_an_event() -> None:
    for function in API_FUNCTIONS:
        assert (ROOT / function.module).is_file(), function.module
        event = load_event(f"api/{function.name}.json")
        assert event["httpMethod"] == function.method and event["resource"] == function.path
        assert ("authorizer" in event["requestContext"]) is not function.public


def test_create_answers_201_with_json_and_the_request_id(runtime, capsys) -> None:
    # Given the sample create event; When the create function handles it
    event = load_event("api/create_memory.json")
    response = call("api/create_memory", event)
    # Then the memory comes back with its id, as JSON, tagged with API Gateway's request id
    assert response["statusCode"] == 201
    assert response["headers"]["content-type"] == "application/json"
    assert response["headers"]["x-request-id"] == event["requestContext"]["requestId"]
    created = body_of(response)
    assert created["content"] == "Prefers window seats on long flights" and created["topics"] == ["travel"]
    assert runtime.memories.get(_alice(), created["id"]).content == created["content"]
    # And the logger's correlation id is that request id; metrics went out as EMF in the AgentMemory namespace
    from agent_memory.observability import logger

    assert logger.get_correlation_id() == event["requestContext"]["requestId"]
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    names = {m["Name"] for e in emitted for d in e["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]}
    assert "Responses2xx" in names
    assert all(d["Namespace"] == "AgentMemory" for e in emitted for d in e["_aws"]["CloudWatchMetrics"])


def _alice():
    from agent_memory.domain.models import Owner

    return Owner("acme", "alice")


@pytest.mark.parametrize(
    ("function", "status", "check"),
    [
        ("health", 200, lambda body, _: body["status"] == "ok"),
        ("create_memories", 200, lambda body, _: body["created"] == 2 and body["failed"] == 0),
        ("list_memories", 200, lambda body, mid: [m["id"] for m in body["items"]] == [mid] and body["total"] == 1),
        ("get_memory", 200, lambda body, mid: body["id"] == mid and body["user_id"] == "alice"),
        ("update_memory", 200, lambda body, _: body["content"] == "Prefers aisle seats on long flights"),
        ("memory_history", 200, lambda body, mid: body["memory_id"] == mid and len(body["entries"]) == 1),
        ("search_memories", 200, lambda body, mid: body["results"][0]["memory"]["id"] == mid),
        ("related_memories", 200, lambda body, mid: body["memory_id"] == mid and body["results"] == []),
        ("memory_stats", 200, lambda body, _: body["total_memories"] == 1 and body["user_id"] == "alice"),
        ("get_memory_settings", 200, lambda body, _: body["max_content_chars"] == 300),
        ("put_memory_settings", 200, lambda body, _: body["max_content_chars"] == 500),
        (
            "conversation_turn",
            200,
            lambda body, _: (
                [s["content"] for s in body["saved"]] == ["Prefers Python over JavaScript for backend development"]
            ),
        ),
    ],
)
def test_each_function_answers_its_sample_event(runtime, seeded, function, status, check) -> None:
    # Given one stored memory; When the function handles its sample event aimed at that memory
    response = call(f"api/{function}", load_event(f"api/{function}.json", memory_id=seeded))
    # Then it answers as the API documents
    assert response["statusCode"] == status, response["body"]
    assert response["headers"]["content-type"] == "application/json"
    assert check(body_of(response), seeded)


@pytest.mark.parametrize("function", ["delete_memory", "delete_memories"])
def test_delete_functions_answer_204_and_forget(runtime, seeded, function) -> None:
    response = call(f"api/{function}", load_event(f"api/{function}.json", memory_id=seeded))
    assert response["statusCode"] == 204 and not response["body"]
    gone = call("api/get_memory", load_event("api/get_memory.json", memory_id=seeded))
    assert gone["statusCode"] == 404


def test_unknown_memory_is_a_problem_json_404(runtime) -> None:
    # Given the sample event's id, which nothing has; When get runs; Then a problem document, never a stack trace
    response = call("api/get_memory", load_event("api/get_memory.json"))
    assert response["statusCode"] == 404
    assert response["headers"]["content-type"] == "application/problem+json"
    assert body_of(response)["code"] == "not_found"


def test_a_read_only_key_cannot_write(runtime) -> None:
    event = load_event("api/create_memory.json")
    event["requestContext"]["authorizer"]["scopes"] = "read"
    response = call("api/create_memory", event)
    assert response["statusCode"] == 403 and body_of(response)["code"] == "forbidden"


def test_without_authorizer_context_the_function_refuses(runtime) -> None:
    # Given a route deployed without the authorizer (a misconfiguration); Then no tenant is guessed
    event = load_event("api/list_memories.json")
    del event["requestContext"]["authorizer"]
    response = call("api/list_memories", event)
    assert response["statusCode"] == 401 and body_of(response)["code"] == "unauthenticated"


def test_tenant_comes_from_the_authorizer_not_the_request(runtime, seeded) -> None:
    # Given the memory of tenant acme; When a key of another tenant asks for it by id
    event = load_event("api/get_memory.json", memory_id=seeded)
    event["requestContext"]["authorizer"]["tenant"] = "globex"
    # Then it does not exist for that tenant
    assert call("api/get_memory", event)["statusCode"] == 404


def test_bad_bodies_are_422_and_oversized_bodies_413(runtime) -> None:
    event = load_event("api/create_memory.json")
    event["body"] = "{not json"
    assert call("api/create_memory", event)["statusCode"] == 422
    event["body"] = json.dumps({"user_id": "alice", "content": "x" * 300_000})
    response = call("api/create_memory", event)
    assert response["statusCode"] == 413 and body_of(response)["code"] == "payload_too_large"


# -- the authorizer ------------------------------------------------------------------------------------------------


def _authorizer_event(key: str | None) -> dict[str, Any]:
    event = load_event("auth/authorizer.json")
    for headers in (event["headers"], event["multiValueHeaders"]):
        headers.pop("X-API-Key")
        if key is not None:
            headers["x-api-key"] = key if headers is event["headers"] else [key]
    return event


def test_authorizer_allows_a_valid_key_with_tenant_scopes_and_usage_key(runtime) -> None:
    # Given a key of tenant acme
    key, record = runtime.keys.create("acme", frozenset({Scope.READ, Scope.WRITE}))
    # When API Gateway asks about it (header name in any case)
    answer = call("auth/authorizer", _authorizer_event(key))
    # Then every route of the stage is allowed (so the answer can be cached) and the context names the tenant
    statement = answer["policyDocument"]["Statement"][0]
    assert statement["Effect"] == "Allow"
    assert statement["Resource"] == ["arn:aws:execute-api:us-east-1:123456789012:k3m9x2q7ab/dev/*/*"]
    assert answer["principalId"] == record.key_id
    assert answer["context"] == {"tenant": "acme", "scopes": "read,write", "keyId": record.key_id}
    # And usage plans meter the key under its hash, never its clear text
    assert answer["usageIdentifierKey"] == hash_key(key) != key


@pytest.mark.parametrize("key", [None, "am_not-a-real-key", "x" * 300])
def test_authorizer_denies_missing_unknown_and_oversized_keys_cleanly(runtime, key) -> None:
    answer = call("auth/authorizer", _authorizer_event(key))
    assert answer["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert answer["context"]["reason"]
    assert "usageIdentifierKey" not in answer


def test_authorizer_denies_a_revoked_key(runtime) -> None:
    key, record = runtime.keys.create("acme", frozenset({Scope.READ}))
    runtime.keys.revoke(record.key_id)
    answer = call("auth/authorizer", _authorizer_event(key))
    assert answer["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert "revoked" in answer["context"]["reason"]
