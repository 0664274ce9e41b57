"""The isolation matrix's cases: who the victim is, who attacks, and for every operation the request each wrong
caller sends (ATTACKS) with what its own data should answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agent_memory.domain.models import Scope

VICTIM_TENANT, VICTIM_USER = "acme", "alice"
VICTIM_MAX_CHARS = 4321


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
