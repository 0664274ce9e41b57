"""Requests generated from the app's own OpenAPI document (schemathesis), in process, for every operation.

Given the published schema and a real API key of tenant `acme` (local backend, hashing embedder, a temporary folder),
when schemathesis generates requests for each operation (about half of them aimed at a user with stored memories and
at those memories' ids, so the success paths run too), then:
- no answer is a server error (5xx), and
- every answer's status, content type and body are the ones the schema documents for that operation.
"""

from __future__ import annotations

import collections
import itertools
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from agent_memory.config import Config
from agent_memory.domain.conversation import MemoryMode, Message, Role, Turn
from agent_memory.domain.ids import new_ulid
from agent_memory.domain.models import MemoryFilter, NewMemory, Owner, Scope
from agent_memory.domain.operations import JobKind
from agent_memory.http.app import create_app
from agent_memory.runtime import Runtime

TENANT = "acme"
USER = "alice"
SPARE = "bob"  # what clearing and erasing are aimed at, so the other cases keep alice's memories
ASSISTANT = "asst_generated"  # Backboard's assistant: alice's memories of it
RECALLS: list[Any] = []
SEEDED = [
    "Prefers window seats on long flights",
    "Allergic to peanuts",
    "Lives in Lyon",
    "Training for the Berlin marathon",
    "Plays the violin on weekends",
]
# Bounded so the whole file stays well under a minute on 2 cores (each operation x each test).
EXAMPLES = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@cache
def scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="schemathesis-"))


@cache
def shared_runtime() -> Runtime:
    """Built on the first request (create_app accepts a factory), with the user's memories already stored."""
    runtime = Runtime(Config(data_dir=scratch() / "data", embedder="hashing"))
    for content in SEEDED:
        runtime.memories.create(TENANT, NewMemory(user_id=USER, content=content, topics=("seed",)))
    runtime.operations.start(TENANT, USER, JobKind.OPTIMIZE, {"dry_run": True})
    runtime.memories.create(TENANT, NewMemory(user_id=SPARE, content="Likes tea"))
    runtime.operations.start(TENANT, USER, JobKind.EXPORT, {})  # a finished export to download
    assert runtime.worker.wait_idle(30)
    RECALLS.append(runtime.search.search(Owner(TENANT, USER), "Lyon violin marathon"))  # a recall to give feedback on
    return runtime


@cache
def api_key(user_id: str | None = None) -> str:
    plaintext, _ = shared_runtime().keys.create(TENANT, frozenset(Scope), user_id=user_id)
    return plaintext


def key_for(case: schemathesis.Case[Any]) -> str:
    """The compatible APIs act for the key's user: a key bound to the user (to SPARE for clearing, so the other cases
    keep alice's memories); /v1 names its users, so an unbound key."""
    label = case.operation.label
    if label == "DELETE /api/settings/memory/data":
        return api_key(SPARE)
    return api_key(USER) if label.split(" ")[1].startswith("/api/") else api_key()


def stored_ids(path_parameter: str) -> list[str]:
    """The ids the user has now (generated requests delete some and create others)."""
    runtime = shared_runtime()
    if path_parameter == "operation_id":
        return [operation.id for operation in runtime.operations.list(TENANT, USER, None, None, 100, None)[0]]
    return [m.id for m in runtime.memories.list_memories(Owner(TENANT, USER), MemoryFilter(), 100, None, 0).items]


APP = create_app(shared_runtime)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _cleanup() -> Iterator[None]:
    # schemathesis gives every operation's case of a test the same node id, and pytest-xdist runs one item per node
    # id: under xdist all but one operation would be skipped without a word. `make test` runs this file on its own.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        pytest.fail("run tests/security/test_schemathesis.py without xdist (-p no:xdist), as `make test` does")
    yield
    if shared_runtime.cache_info().currsize:
        shared_runtime().close()
    shutil.rmtree(scratch(), ignore_errors=True)


_CASES = itertools.count()


def _aim(values: Any) -> Any:
    if not isinstance(values, dict) or "user_id" not in values:
        return values
    aimed = {**values, "user_id": USER}
    aimed.pop("expires_at", None)  # a generated date is most often in the past
    if isinstance(aimed.get("content"), str):
        aimed["content"] = f"{aimed['content'][:200]} #{next(_CASES)}"  # not a duplicate of an earlier case
    return aimed


def _assistant_memory() -> str:
    """A fresh memory of ASSISTANT's (generated updates and deletes take them)."""
    runtime = shared_runtime()
    runtime.settings.update(TENANT, {"max_content_chars": 300})
    new = NewMemory(user_id=USER, content=f"Assistant memory #{next(_CASES)}", agent_id=ASSISTANT)
    return runtime.memories.create(TENANT, new).id


def _aim_backboard(case: schemathesis.Case[Any], label: str) -> schemathesis.Case[Any]:
    """Backboard: ASSISTANT's memories of the key's user, a thread of ASSISTANT, a message that stores a fact."""
    if label == "POST /api/threads/{thread_id}/messages":
        case.path_parameters = {"thread_id": f"thr_{new_ulid()}_{ASSISTANT}"}
        case.body = {"content": f"I prefer tea over coffee #{next(_CASES)}", "stream": False, "memory": "Auto"}
        case.media_type = "application/json"
        return case
    case.path_parameters = {**(case.path_parameters or {}), "assistant_id": ASSISTANT}
    case.query = {}
    if "{memory_id}" in label:
        case.path_parameters["memory_id"] = _assistant_memory()
    if "{operation_id}" in label:
        case.path_parameters["operation_id"] = f"op_add_{_assistant_memory()}"
    if label.startswith(("POST /api/assistants/{assistant_id}/memories", "PUT ")):
        shared_runtime().settings.update(TENANT, {"max_content_chars": 300})
        case.body = {"content": f"Generated memory #{next(_CASES)}"}
    return case


@schema.hook("map_case")
def aim_every_other_case(_: schemathesis.HookContext, case: schemathesis.Case[Any]) -> schemathesis.Case[Any]:
    """Every other generated request as it is; the rest aimed at the stored memories: the user, one of their ids,
    no cursor (a generated one is never valid), no expiry, content not stored yet and a fresh Idempotency-Key."""
    if next(_CASES) % 2:
        return case
    label = case.operation.label
    if isinstance(case.headers, dict):
        case.headers.pop("Authorization", None)  # a generated bearer token besides the key is refused (two keys)
    if label in ("POST /api/memory/episodes", "POST /api/memories"):
        # generated settings changes may have left max_content_chars below any content: back to the default
        shared_runtime().settings.update(TENANT, {"max_content_chars": 300})
        case.body = {"content": f"Generated memory #{next(_CASES)}"}
        case.query = {}  # Operativus: no userId, the key's user
        return case
    if label.startswith(("POST /api/users/", "GET /api/users/", "DELETE /api/users/")):  # Teammate: the user's
        case.path_parameters = {**(case.path_parameters or {}), "user_id": USER}
        if label.startswith("POST"):
            shared_runtime().settings.update(TENANT, {"max_content_chars": 300})
            case.body = {"content": f"Generated memory #{next(_CASES)}", "source": "agent"}
            return case
    if label.split(" ")[1].startswith(("/api/assistants/", "/api/threads/")):
        return _aim_backboard(case, label)
    if label.split(" ")[1].startswith("/api/memories") and isinstance(case.query, dict):
        case.query.pop("userId", None)  # the key's user
    if label == "DELETE /v1/memories":
        case.query = {"user_id": SPARE, "confirm": SPARE}
        return case
    if label == "DELETE /v1/users/{user_id}":
        case.path_parameters = {"user_id": SPARE}
        return case
    if label == "GET /v1/exports/{operation_id}":
        exports = shared_runtime().operations.list(TENANT, USER, JobKind.EXPORT, None, 1, None)[0]
        case.path_parameters = {"operation_id": exports[0].id}
        return case
    if label == "POST /v1/recalls/{recall_id}/feedback":
        shared_runtime()
        recall = RECALLS[0]
        case.path_parameters = {"recall_id": recall.recall_id}
        case.body = {"user_id": USER, "used": [recall.hits[0].memory.id]}
        return case
    if label == "GET /v1/entities/{entity_id}":
        # One the user has now: generated deletes may have taken the seeded ones' memories.
        entities, _ = shared_runtime().graph.entities(Owner(TENANT, USER), limit=1)
        case.path_parameters = {"entity_id": entities[0].entity.id if entities else "none-left"}
        case.query = {"user_id": USER}
        return case
    if label == "GET /v1/runs/search":
        runtime = shared_runtime()
        said = (Message(Role.USER, "Plan my Lyon trip"), Message(Role.ASSISTANT, "Day one in Lyon: the old town."))
        runtime.conversations.turn(TENANT, Turn(USER, "runs-thread", said, mode=MemoryMode.READONLY))
        case.query = {"user_id": USER, "q": "Lyon"}
        return case
    if label == "GET /v1/graph":
        case.query = {"user_id": USER, "depth": 2}
        return case
    if label == "POST /v1/import":
        case.body = {"format": "agent-memory.export/1", "memories": [], "operations": []}
        case.media_type = "application/json"
        return case
    case.query = _aim(case.query)
    if isinstance(case.query, dict):
        case.query.pop("cursor", None)
    body = _aim(case.body)
    if isinstance(body, dict) and isinstance(body.get("items"), list):
        body["items"] = [_aim(item) for item in body["items"]]
    if isinstance(body, dict) and isinstance(body.get("ids"), list):
        body["ids"] = stored_ids("memory_id")[:1] or ["none-left"]
    case.body = body
    for name in ("memory_id", "operation_id", "id"):
        if isinstance(case.path_parameters, dict) and name in case.path_parameters:
            ids = stored_ids("memory_id" if name == "id" else name) or ["none-left"]
            case.path_parameters[name] = ids[next(_CASES) % len(ids)]
    if case.headers is not None and "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = uuid.uuid4().hex
    return case


ANSWERED: dict[str, set[int]] = collections.defaultdict(set)


@schema.hook("after_call")
def record_status(_: schemathesis.HookContext, case: schemathesis.Case[Any], response: schemathesis.Response) -> None:
    ANSWERED[case.operation.label].add(response.status_code)


@schema.parametrize()
@EXAMPLES
def test_no_operation_answers_a_server_error(case: schemathesis.Case[Any]) -> None:
    # Given a generated request with a valid key / When it is sent / Then the answer is not a 5xx
    case.call_and_validate(headers={"X-API-Key": key_for(case)}, checks=[not_a_server_error])


@schema.parametrize()
@EXAMPLES
def test_answers_have_a_documented_status_content_type_and_body(case: schemathesis.Case[Any]) -> None:
    # Given a generated request with a valid key / When it is sent
    # Then its status is listed for the operation, its content type is the one listed for that status,
    # and its body matches the documented schema (problem+json errors included)
    case.call_and_validate(
        headers={"X-API-Key": key_for(case)},
        checks=[status_code_conformance, content_type_conformance, response_schema_conformance],
    )


def test_generated_requests_reached_the_success_path_of_every_operation() -> None:
    # Given the requests the tests above sent: this test runs after them, in file order and in the same process
    # (`make test` distributes whole files to its workers)
    assert ANSWERED, "run the whole file: this test checks the answers to the generated requests above"
    # Then every operation they exercised answered at least one of them with a 2xx: the aiming at stored data works,
    # so the checks above saw success bodies too and not only refusals
    assert sorted(op for op, statuses in ANSWERED.items() if not any(200 <= s < 300 for s in statuses)) == []
