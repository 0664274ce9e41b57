"""Every operation of the API x every kind of wrong caller: refused (401/403/404) or answered from the caller's own
data, never revealing or changing the victim's.

The victim is user `alice` of tenant `acme`: three memories (one with a summary, topic and metadata), a finished job
and the tenant's settings. The operations are enumerated from the app's routes, so a new operation fails
`test_every_operation_has_an_attack_case` until it gets a row in ATTACKS.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from agent_memory.domain.conversation import MemoryMode, Message, Role, Turn
from agent_memory.domain.models import MemoryFilter, NewMemory, Owner, Scope
from agent_memory.domain.operations import JobKind
from agent_memory.entry.local_worker import LocalJobWorker
from agent_memory.http.app import create_app, default_routers
from agent_memory.http.job_schemas import OperationOut
from agent_memory.http.schemas import HistoryEntryOut, MemoryOut, MemorySettingsOut
from agent_memory.runtime import Runtime
from tests.security.isolation_cases import (
    ATTACKS,
    SETTINGS_READS,
    VICTIM_MAX_CHARS,
    VICTIM_TENANT,
    VICTIM_USER,
    Attacker,
    Attempt,
    Case,
    Victim,
)

PUBLIC = {"GET /healthz"}  # answers without a key and holds no tenant data


def operations_of_the_app() -> list[str]:
    """What the app publishes in its OpenAPI document, and every route of the routers it mounts (hidden ones too)."""
    app = create_app(lambda: None)  # type: ignore[arg-type,return-value]  # routes only, no request is served
    published = {
        f"{method.upper()} {path}"
        for path, item in app.openapi()["paths"].items()
        for method in item
        if method.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE"}
    }
    mounted = {
        f"{method} {route.path}"
        for router in default_routers()
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods or ()
        if method != "HEAD"
    }
    return sorted((published | mounted) - PUBLIC)


OPERATIONS = operations_of_the_app()


@dataclass
class World:
    runtime: Runtime
    client: TestClient
    victim: Victim
    keys: dict[str, str]
    worker: LocalJobWorker

    def attacker(self, name: str, case: Case) -> Attacker | None:
        """None when the kind of caller makes no attack on this operation."""
        bound = "-bound" if case.bound else ""
        if name == "other tenant":
            return Attacker(name, self.keys["globex" + bound], tenant_wide=True)
        if name == "same tenant, other user":
            return Attacker(name, self.keys["acme-all" + bound], user="bob") if case.per_user else None
        if name == "key without the scope":
            lacking = {Scope.READ: None, Scope.WRITE: "acme-read", Scope.ADMIN: "acme-read-write"}[case.scope]
            return None if lacking is None else Attacker(name, self.keys[lacking + bound])
        if name == "revoked key":
            return Attacker(name, self.keys["acme-revoked"])
        if name == "no key":
            return Attacker(name, None)
        assert name == "malformed key"
        return Attacker(name, "")  # the other malformed values are tried in the same attempt

    def send(self, attempt: Attempt, key: str | bytes | None) -> Any:
        headers: dict[str, Any] = {} if key is None else {"X-API-Key": key}
        return self.client.request(
            attempt.method, attempt.path, params=attempt.params, json=attempt.body, headers=headers
        )

    def state(self) -> dict[str, Any]:
        """Everything of the victim's, read through the services (no HTTP read, no access counting)."""
        self.worker.wait_idle(30)
        owner = Owner(VICTIM_TENANT, VICTIM_USER)
        memories = self.runtime.memories.list_memories(owner, MemoryFilter(include_superseded=True), 100, None, 0)
        operations, _ = self.runtime.operations.list(VICTIM_TENANT, VICTIM_USER, None, None, 100, None)
        return {
            "memories": [MemoryOut.of(m).model_dump(mode="json") for m in memories.items],
            "history": {
                m.id: [
                    HistoryEntryOut.of(e).model_dump(mode="json") for e in self.runtime.memories.history(owner, m.id)
                ]
                for m in memories.items
            },
            "operations": [OperationOut.of(o).model_dump(mode="json") for o in operations],
            "settings": MemorySettingsOut.of(self.runtime.settings.get(VICTIM_TENANT)).model_dump(mode="json"),
        }


def _key(runtime: Runtime, tenant: str, *scopes: Scope, user_id: str | None = None) -> str:
    plaintext, _ = runtime.keys.create(tenant, frozenset(scopes), user_id=user_id)
    return plaintext


def _revoked_key(runtime: Runtime, tenant: str) -> str:
    plaintext, record = runtime.keys.create(tenant, frozenset(Scope))
    runtime.keys.revoke(record.key_id)
    return plaintext


@pytest.fixture
def world(runtime: Runtime) -> Iterator[World]:
    # Jobs run on a background worker in this process on either backend (Step Functions have their own tests).
    worker = LocalJobWorker(lambda: runtime.job_steps, lambda: [])
    runtime.__dict__["job_runner"] = worker
    keys = {
        "acme-all": _key(runtime, VICTIM_TENANT, *Scope),
        "acme-read": _key(runtime, VICTIM_TENANT, Scope.READ),
        "acme-read-write": _key(runtime, VICTIM_TENANT, Scope.READ, Scope.WRITE),
        "acme-revoked": _revoked_key(runtime, VICTIM_TENANT),
        "globex": _key(runtime, "globex", *Scope),
        # for the compatible APIs, which act for the key's user: the same kinds of caller with bound keys
        "acme-all-bound": _key(runtime, VICTIM_TENANT, *Scope, user_id="bob"),
        "acme-read-bound": _key(runtime, VICTIM_TENANT, Scope.READ, user_id=VICTIM_USER),
        "acme-read-write-bound": _key(runtime, VICTIM_TENANT, Scope.READ, Scope.WRITE, user_id=VICTIM_USER),
        "globex-bound": _key(runtime, "globex", *Scope, user_id=VICTIM_USER),
        "victim": _key(runtime, VICTIM_TENANT, *Scope, user_id=VICTIM_USER),
    }
    owner_ids = []
    for new in (
        NewMemory(user_id=VICTIM_USER, content="Lives in Berlin"),
        NewMemory(user_id=VICTIM_USER, content="Lives in Munich"),
        NewMemory(
            user_id=VICTIM_USER,
            content="Alice's vault code is 7731",
            summary="victim-summary-text",
            topics=("victim-topic",),
            metadata={"note": "victim-metadata-value"},
        ),
    ):
        owner_ids.append(runtime.memories.create(VICTIM_TENANT, new).id)
    said = (Message(Role.USER, "What is my vault code?"), Message(Role.ASSISTANT, "victim-run-output: vault code"))
    runtime.conversations.turn(
        VICTIM_TENANT, Turn(VICTIM_USER, "victim-thread", said, mode=MemoryMode.READONLY, previous_runs=False)
    )
    runtime.settings.update(VICTIM_TENANT, {"max_content_chars": VICTIM_MAX_CHARS})
    operation, _ = runtime.operations.start(VICTIM_TENANT, VICTIM_USER, JobKind.OPTIMIZE, {"dry_run": True})
    assert worker.wait_idle(30)
    secrets = (
        *owner_ids,
        operation.id,
        "Alice's vault code is 7731",
        "victim-summary-text",
        "victim-topic",
        "victim-metadata-value",
        "Lives in Berlin",
        "Lives in Munich",
        "person:alice",  # her entity, read from the vault memory (in her graph and that memory's entities)
        "victim-run-output",  # her assistant's earlier output, kept in her thread's transcript
    )
    recall = runtime.search.search(Owner(VICTIM_TENANT, VICTIM_USER), "Berlin", record_access=True).recall_id
    assert recall is not None
    client = TestClient(create_app(runtime), raise_server_exceptions=False)
    yield World(runtime, client, Victim(tuple(owner_ids), operation.id, secrets, recall), keys, worker)
    worker.stop()


MALFORMED_KEYS: list[str | bytes] = [
    "",
    "am_",
    "am_" + "A" * 43,  # the shape of a real key, not issued
    "x" * 5000,  # over the 256-character limit
    " " + "am_" + "A" * 43,
    b"am_\xff\xfe\x00"[:5],  # not ASCII
    "' OR '1'='1",
]
ATTACKERS = [
    "other tenant",
    "same tenant, other user",
    "key without the scope",
    "revoked key",
    "no key",
    "malformed key",
]


def attack(world: World, operation: str, attacker_name: str) -> int:
    """Runs one attack (or, for malformed keys, one per malformed value); returns how many requests were sent."""
    case = ATTACKS.get(operation)
    assert case is not None, f"{operation} has no attack case in ATTACKS: add how to aim it at the victim"
    attacker = world.attacker(attacker_name, case)
    if attacker is None:
        return 0
    attempt = case.build(world.victim, attacker)
    expected = {
        "other tenant": case.foreign,
        "same tenant, other user": case.foreign,
        "key without the scope": frozenset({403}),
    }.get(attacker_name, frozenset({401}))
    keys = MALFORMED_KEYS if attacker_name == "malformed key" else [attacker.key]
    sent = json.dumps([attempt.path, attempt.params, attempt.body])
    before = world.state()
    for key in keys:
        # When the attacker sends the request aimed at the victim
        response = world.send(attempt, key)
        # Then it is refused, or answered from the attacker's own data...
        assert response.status_code in expected, (operation, attacker_name, key, response.status_code, response.text)
        if response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json"
        # ...revealing nothing of the victim's that the request did not already name...
        leaked = [s for s in world.victim.secrets if s in response.text and s not in sent]
        assert leaked == [], (operation, attacker_name, response.text)
        if operation in SETTINGS_READS and response.status_code == 200:
            assert response.json()["max_content_chars"] != VICTIM_MAX_CHARS
        # ...and changing nothing of the victim's (jobs it started have finished by now)
        assert world.state() == before, (operation, attacker_name)
    return len(keys)


@pytest.mark.parametrize("runtime", ["local"], indirect=True)
@pytest.mark.parametrize("attacker", ATTACKERS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_attack_on_the_local_backend(world: World, operation: str, attacker: str) -> None:
    # Given the victim's memories, job and settings, and an attacker of this kind
    attack(world, operation, attacker)


@pytest.mark.parametrize("runtime", ["aws"], indirect=True)
@pytest.mark.parametrize("attacker", ATTACKERS)
def test_every_operation_attacked_on_the_aws_backend(world: World, attacker: str) -> None:
    # Given the victim's data in DynamoDB + OpenSearch (one world per kind of attacker: moto is slow to set up)
    # When they try every operation in turn / Then each attempt is refused or sees only the attacker's own data
    assert sum(attack(world, operation, attacker) for operation in OPERATIONS) > 0


def test_every_operation_has_an_attack_case() -> None:
    # Given the app's operations (from its routes) / Then each has a row in ATTACKS, and no row names a gone one
    assert sorted(set(OPERATIONS) - set(ATTACKS)) == []
    assert sorted(set(ATTACKS) - set(OPERATIONS)) == []


@pytest.mark.parametrize("runtime", ["local"], indirect=True)
def test_the_victim_is_visible_to_its_own_key(world: World) -> None:
    # Given the same requests sent by the victim's own key / Then they succeed and do show her data: the matrix
    # above asserts absence where presence was possible, so it can fail if isolation breaks
    owner = Attacker("victim", world.keys["acme-all"])
    for operation in (
        "GET /v1/memories",
        "GET /v1/memories/{memory_id}",
        "GET /v1/memories/{memory_id}/history",
        "GET /v1/memories/search",
        "GET /v1/operations/{operation_id}",
        "GET /v1/settings/memory",
    ):
        attempt = ATTACKS[operation].build(world.victim, owner)
        response = world.send(attempt, owner.key)
        shown = [s for s in world.victim.secrets if s in response.text] + [str(VICTIM_MAX_CHARS)] * (
            str(VICTIM_MAX_CHARS) in response.text
        )
        assert response.status_code == 200 and shown, (operation, response.text)
    stats = world.send(ATTACKS["GET /v1/stats"].build(world.victim, owner), owner.key).json()
    assert stats["total_memories"] == 3 and stats["by_topic"] == {"victim-topic": 1}
    operations = world.send(ATTACKS["GET /v1/operations"].build(world.victim, owner), owner.key).json()
    assert [o["operation_id"] for o in operations["items"]] == [world.victim.operation_id]
    turn = world.send(ATTACKS["POST /v1/conversations/{thread_id}/messages"].build(world.victim, owner), owner.key)
    assert "Lives in" in turn.json()["context"], turn.text
    # And her own bound key sees her episodes through the compatible API (so those attacks could have been seen)
    for operation in ("GET /api/memory/episodes", "GET /api/memory/episodes/{id}", "GET /api/memory/search"):
        response = world.send(ATTACKS[operation].build(world.victim, owner), world.keys["victim"])
        assert response.status_code == 200 and "Alice's vault code is 7731" in response.text, (operation, response.text)
    # And the victim's own optimize does change her memories (so the job attack could have been seen)
    before = world.state()
    started = world.send(ATTACKS["POST /v1/jobs/{kind}"].build(world.victim, owner), owner.key)
    assert started.status_code == 202
    assert world.state() != before
