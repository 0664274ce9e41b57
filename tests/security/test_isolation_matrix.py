"""Every operation of the API x every kind of wrong caller: refused (401/403/404) or answered from the caller's own
data, never revealing or changing the victim's.

The victim is user `alice` of tenant `acme`: three memories (one with a summary, topic and metadata), a finished job
and the tenant's settings. The operations are enumerated from the app's routes, so a new operation fails
`test_every_operation_has_an_attack_case` until it gets a row in ATTACKS.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
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

VICTIM_TENANT, VICTIM_USER = "acme", "alice"
VICTIM_MAX_CHARS = 4321
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


@dataclass(frozen=True)
class Victim:
    memory_ids: tuple[str, ...]
    operation_id: str
    secrets: tuple[str, ...]  # text that only the victim's data holds
    recall_id: str = ""

    @property
    def memory_id(self) -> str:
        return self.memory_ids[-1]


@dataclass(frozen=True)
class Attempt:
    method: str
    path: str
    params: dict[str, Any] | None = None
    body: dict[str, Any] | list[Any] | None = None


@dataclass(frozen=True)
class Attacker:
    """Who calls: `user` is the user_id they name; `tenant_wide` asks for the whole tenant where an operation can."""

    name: str
    key: str | bytes | None
    user: str = VICTIM_USER
    tenant_wide: bool = False


Build = Callable[[Victim, Attacker], Attempt]


def _user(attacker: Attacker) -> dict[str, Any]:
    return {} if attacker.tenant_wide else {"user_id": attacker.user}


def _export_claiming(memory_id: str, user_id: str) -> dict[str, Any]:
    """A JSON export document holding one memory with the given id and user."""
    at = "2026-01-01T00:00:00+00:00"
    memory = {
        "id": memory_id,
        "user_id": user_id,
        "content": "pwned by import",
        "source": "api",
        "importance": 1.0,
        "valence": 0.0,
        "topics": [],
        "entities": [],
        "metadata": {},
        "source_refs": [],
        "access_count": 0,
        "created_at": at,
        "updated_at": at,
        "version": 1,
        "history": [{"version": 1, "event": "created", "at": at, "content": "pwned by import", "changed_fields": []}],
    }
    return {"format": "agent-memory.export/1", "memories": [memory]}


@dataclass(frozen=True)
class Case:
    """How to aim an operation at the victim, the scope it needs, and what a caller of another tenant or another
    user of the same tenant gets: `foreign` statuses (None: the operation has no user; another user of the same
    tenant is the victim's own tenant then). `bound`: the operation names no user (a compatible API acting for the
    key's user), so the attackers' keys are bound: to `alice` of the other tenant, to `bob` of the victim's."""

    build: Build
    scope: Scope
    foreign: frozenset[int]
    per_user: bool = True
    bound: bool = False


def _case(build: Build, scope: Scope, *foreign: int, per_user: bool = True, bound: bool = False) -> Case:
    return Case(build, scope, frozenset(foreign), per_user, bound)


def _bound(method: str, path: str, scope: Scope, *foreign: int, per_user: bool = True, **attempt: Any) -> Case:
    """A compatible API's operation: the same request whoever sends it, the key deciding whose data it reaches."""
    return _case(lambda v, a: Attempt(method, path, **attempt), scope, *foreign, per_user=per_user, bound=True)


def _bound_at(method: str, path: str, scope: Scope, *foreign: int) -> Case:
    """The same for an operation on one of the victim's memories (`{id}` in the path is her memory's id)."""
    return _case(lambda v, a: Attempt(method, path.format(id=v.memory_id)), scope, *foreign, bound=True)


M = "/v1/memories"
BB = "/api/assistants/{assistant_id}/memories"
ATTACKS: dict[str, Case] = {
    # The victim's exact content: another tenant or user gets a new memory, never a 409 naming the victim's id.
    f"POST {M}": _case(
        lambda v, a: Attempt("POST", M, body={"user_id": a.user, "content": "Lives in Berlin"}), Scope.WRITE, 201
    ),
    f"POST {M}/batch": _case(
        lambda v, a: Attempt("POST", f"{M}/batch", body={"items": [{"user_id": a.user, "content": "Lives in Munich"}]}),
        Scope.WRITE,
        200,
    ),
    f"GET {M}": _case(
        lambda v, a: Attempt("GET", M, params={"user_id": a.user, "include_superseded": "true"}), Scope.READ, 200
    ),
    f"GET {M}/{{memory_id}}": _case(
        lambda v, a: Attempt("GET", f"{M}/{v.memory_id}", params={"user_id": a.user}), Scope.READ, 404
    ),
    f"PATCH {M}/{{memory_id}}": _case(
        lambda v, a: Attempt(
            "PATCH", f"{M}/{v.memory_id}", body={"user_id": a.user, "content": "pwned", "importance": 1}
        ),
        Scope.WRITE,
        404,
    ),
    f"DELETE {M}/{{memory_id}}": _case(
        lambda v, a: Attempt("DELETE", f"{M}/{v.memory_id}", params={"user_id": a.user}), Scope.WRITE, 404
    ),
    f"POST {M}/delete": _case(
        lambda v, a: Attempt("POST", f"{M}/delete", body={"user_id": a.user, "ids": list(v.memory_ids)}),
        Scope.WRITE,
        204,
    ),
    f"GET {M}/{{memory_id}}/history": _case(
        lambda v, a: Attempt("GET", f"{M}/{v.memory_id}/history", params={"user_id": a.user}), Scope.READ, 404
    ),
    f"GET {M}/search": _case(
        lambda v, a: Attempt("GET", f"{M}/search", params={"user_id": a.user, "q": "vault code Berlin Munich"}),
        Scope.READ,
        200,
    ),
    f"GET {M}/{{memory_id}}/related": _case(
        lambda v, a: Attempt("GET", f"{M}/{v.memory_id}/related", params={"user_id": a.user}), Scope.READ, 404
    ),
    "GET /v1/stats": _case(lambda v, a: Attempt("GET", "/v1/stats", params=_user(a)), Scope.READ, 200),
    "GET /v1/settings/memory": _case(
        lambda v, a: Attempt("GET", "/v1/settings/memory"), Scope.READ, 200, per_user=False
    ),
    "PUT /v1/settings/memory": _case(
        lambda v, a: Attempt("PUT", "/v1/settings/memory", body={"max_content_chars": 999}),
        Scope.ADMIN,
        200,
        per_user=False,
    ),
    # A question whose words match the victim's memories: recall must come from the caller's own user only.
    "POST /v1/conversations/{thread_id}/messages": _case(
        lambda v, a: Attempt(
            "POST",
            "/v1/conversations/thread-1/messages",
            body={
                "user_id": a.user,
                "memory": "auto",
                "messages": [{"role": "user", "content": "Where do I live, Berlin or Munich? And my vault code?"}],
            },
        ),
        Scope.WRITE,
        200,
    ),
    # A real optimize (not a dry run) would supersede the victim's "Lives in Berlin" if it reached her memories.
    "POST /v1/jobs/{kind}": _case(
        lambda v, a: Attempt("POST", "/v1/jobs/optimize", body={"user_id": a.user}), Scope.WRITE, 202, 200
    ),
    "GET /v1/operations": _case(lambda v, a: Attempt("GET", "/v1/operations", params=_user(a)), Scope.READ, 200),
    "GET /v1/operations/{operation_id}": _case(
        lambda v, a: Attempt("GET", f"/v1/operations/{v.operation_id}"), Scope.READ, 404, per_user=False
    ),
    # Clearing "alice" (or, tenant-wide, everything) must only ever clear the caller's own tenant.
    f"DELETE {M}": _case(
        lambda v, a: Attempt(
            "DELETE",
            M,
            params={"all_users": "true", "confirm": "globex"}
            if a.tenant_wide
            else {"user_id": a.user, "confirm": a.user},
        ),
        Scope.WRITE,
        200,
    ),
    "GET /v1/export": _case(lambda v, a: Attempt("GET", "/v1/export", params=_user(a)), Scope.READ, 200),
    # An export naming the victim's memory id and user: it may land in the caller's scope, never replace hers.
    "POST /v1/import": _case(
        lambda v, a: Attempt("POST", "/v1/import", body=_export_claiming(v.memory_id, a.user)), Scope.WRITE, 200
    ),
    # The victim's finished job is not an export: another tenant gets 404, and so would anyone for her export.
    "GET /v1/exports/{operation_id}": _case(
        lambda v, a: Attempt("GET", f"/v1/exports/{v.operation_id}"), Scope.READ, 404, per_user=False
    ),
    # Clusters and topics of "alice" (or the whole tenant's topics): only ever the caller's own memories.
    "GET /v1/clusters": _case(lambda v, a: Attempt("GET", "/v1/clusters", params={"user_id": a.user}), Scope.READ, 200),
    "GET /v1/topics": _case(lambda v, a: Attempt("GET", "/v1/topics", params=_user(a)), Scope.READ, 200),
    # Feedback on the victim's recall: another user or tenant finds no such recall.
    "POST /v1/recalls/{recall_id}/feedback": _case(
        lambda v, a: Attempt(
            "POST", f"/v1/recalls/{v.recall_id}/feedback", body={"user_id": a.user, "used": [v.memory_id]}
        ),
        Scope.WRITE,
        404,
    ),
    # The victim's graph (Alice, Berlin...): another user or tenant sees only their own, and not her entities.
    "GET /v1/graph": _case(lambda v, a: Attempt("GET", "/v1/graph", params={"user_id": a.user}), Scope.READ, 200),
    "GET /v1/entities": _case(lambda v, a: Attempt("GET", "/v1/entities", params={"user_id": a.user}), Scope.READ, 200),
    "GET /v1/entities/{entity_id}": _case(
        lambda v, a: Attempt("GET", "/v1/entities/person:alice", params={"user_id": a.user}), Scope.READ, 404
    ),
    # The victim's earlier assistant outputs: another user or tenant searches only their own conversations.
    "GET /v1/runs/search": _case(
        lambda v, a: Attempt("GET", "/v1/runs/search", params={"user_id": a.user, "q": "vault code"}), Scope.READ, 200
    ),
    "DELETE /v1/users/{user_id}": _case(lambda v, a: Attempt("DELETE", f"/v1/users/{a.user}"), Scope.ADMIN, 404, 202),
    # Snippbot: every operation acts for the key's user. Her episodes by id are not found; lists, search, clusters,
    # graph, stats, exports and jobs are the caller's own (empty); clearing clears the caller's own.
    "GET /api/memory/episodes": _bound("GET", "/api/memory/episodes", Scope.READ, 200),
    # (duplicates across users and tenants are the /v1 create's rows: the same service decides)
    "POST /api/memory/episodes": _bound(
        "POST", "/api/memory/episodes", Scope.WRITE, 201, body={"content": "Keeps a spare key under the mat"}
    ),
    "GET /api/memory/episodes/{id}": _bound_at("GET", "/api/memory/episodes/{id}", Scope.READ, 404),
    "DELETE /api/memory/episodes/{id}": _bound_at("DELETE", "/api/memory/episodes/{id}", Scope.WRITE, 404),
    "GET /api/memory/episodes/{id}/related": _bound_at("GET", "/api/memory/episodes/{id}/related", Scope.READ, 404),
    "GET /api/memory/search": _bound(
        "GET", "/api/memory/search", Scope.READ, 200, params={"q": "vault code Berlin Munich"}
    ),
    "GET /api/memory/clusters": _bound("GET", "/api/memory/clusters", Scope.READ, 200),
    "GET /api/memory/graph": _bound("GET", "/api/memory/graph", Scope.READ, 200),
    "GET /api/memory/stats": _bound("GET", "/api/memory/stats", Scope.READ, 200),
    "POST /api/memory/consolidate/conversations": _bound(
        "POST", "/api/memory/consolidate/conversations", Scope.WRITE, 202
    ),
    "POST /api/memory/generate-episodes": _bound("POST", "/api/memory/generate-episodes", Scope.WRITE, 202),
    "POST /api/memory/backfill-entities": _bound("POST", "/api/memory/backfill-entities", Scope.WRITE, 202),
    "GET /api/settings/memory": _bound("GET", "/api/settings/memory", Scope.READ, 200, per_user=False),
    "PUT /api/settings/memory": _bound(
        "PUT", "/api/settings/memory", Scope.ADMIN, 200, per_user=False, body={"max_content_chars": 999}
    ),
    "GET /api/settings/memory/export": _bound("GET", "/api/settings/memory/export", Scope.READ, 200),
    "DELETE /api/settings/memory/data": _bound("DELETE", "/api/settings/memory/data", Scope.WRITE, 200),
    # Operativus names the user as userId, like /v1: another tenant's or user's calls see and change only their own.
    "POST /api/memories": _case(
        lambda v, a: Attempt("POST", "/api/memories", {"userId": a.user}, {"content": "Keeps a spare key in the car"}),
        Scope.WRITE,
        200,
    ),
    "GET /api/memories": _case(
        lambda v, a: Attempt("GET", "/api/memories", {"userId": a.user, "query": "vault code Berlin Munich"}),
        Scope.READ,
        200,
    ),
    "DELETE /api/memories": _case(
        lambda v, a: Attempt("DELETE", "/api/memories", {"userId": a.user}, list(v.memory_ids)), Scope.WRITE, 204
    ),
    "POST /api/memories/optimize": _case(
        lambda v, a: Attempt("POST", "/api/memories/optimize", {"userId": a.user}), Scope.WRITE, 202, 200
    ),
    "GET /api/memories/stats": _case(
        lambda v, a: Attempt("GET", "/api/memories/stats", {"userId": a.user}), Scope.READ, 200
    ),
    "GET /api/memories/topics": _case(
        lambda v, a: Attempt("GET", "/api/memories/topics", {"userId": a.user}), Scope.READ, 200
    ),
    # Teammate: the user is in the path; another user or tenant creates and lists its own, never deletes hers.
    "POST /api/users/{user_id}/memories": _case(
        lambda v, a: Attempt(
            "POST", f"/api/users/{a.user}/memories", body={"content": "Keeps a spare key in the shed"}
        ),
        Scope.WRITE,
        201,
    ),
    "GET /api/users/{user_id}/memories": _case(
        lambda v, a: Attempt("GET", f"/api/users/{a.user}/memories"), Scope.READ, 200
    ),
    "DELETE /api/users/{user_id}/memories/{memory_id}": _case(
        lambda v, a: Attempt("DELETE", f"/api/users/{a.user}/memories/{v.memory_id}"), Scope.WRITE, 404
    ),
    # Backboard names no user: the key's own user, the assistant in the path; her memory ids are 404 under it.
    f"GET {BB}": _bound("GET", BB.format(assistant_id="asst_1"), Scope.READ, 200),
    f"POST {BB}": _bound(
        "POST", BB.format(assistant_id="asst_1"), Scope.WRITE, 200, body={"content": "Keeps a spare key in the attic"}
    ),
    f"PUT {BB}/{{memory_id}}": _case(
        lambda v, a: Attempt("PUT", f"/api/assistants/asst_1/memories/{v.memory_id}", body={"content": "pwned"}),
        Scope.WRITE,
        404,
        bound=True,
    ),
    f"DELETE {BB}/{{memory_id}}": _bound_at("DELETE", "/api/assistants/asst_1/memories/{id}", Scope.WRITE, 404),
    f"GET {BB}/stats": _bound("GET", BB.format(assistant_id="asst_1") + "/stats", Scope.READ, 200),
    f"GET {BB}/operations/{{operation_id}}": _bound_at(
        "GET", "/api/assistants/asst_1/memories/operations/op_add_{id}", Scope.READ, 404
    ),
    "POST /api/assistants/{assistant_id}/threads": _bound("POST", "/api/assistants/asst_1/threads", Scope.READ, 201),
    "POST /api/threads/{thread_id}/messages": _bound(
        "POST",
        "/api/threads/thr_01JD7Z3V9K2M4N6P8Q0R2S4T6W_asst_1/messages",
        Scope.WRITE,
        200,
        body={"content": "I keep a spare key in the attic", "memory": "On"},
    ),
}
SETTINGS_READS = {"GET /v1/settings/memory", "GET /api/settings/memory"}


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
