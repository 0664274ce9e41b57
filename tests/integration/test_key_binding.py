"""API keys bound to a user (and an agent), and the key as `Authorization: Bearer`, on both backends.

A bound key supplies the user_id a request leaves out and reaches no other user (403, whether or not that user
exists); bound to an agent as well, it reads and changes only that agent's memories (another agent's id is not
found, like a stranger's) and operations on all of the user's memories are refused (403). An unbound key still has
to name the user (422).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from agent_memory.domain.models import Scope
from agent_memory.invoke import LocalContext
from tests.conftest import Api

M = "/v1/memories"


def bound_key(runtime, user_id: str, agent_id: str | None = None, *scopes: Scope) -> str:
    plaintext, _ = runtime.keys.create(
        "acme", frozenset(scopes or (Scope.READ, Scope.WRITE)), user_id=user_id, agent_id=agent_id
    )
    return plaintext


@pytest.fixture
def alice(client, runtime) -> Api:
    """A read/write key of tenant acme bound to alice."""
    return Api(client, bound_key(runtime, "alice"))


@pytest.fixture
def planner(client, runtime) -> Api:
    """A read/write key bound to alice's agent `planner`."""
    return Api(client, bound_key(runtime, "alice", "planner"))


def test_given_a_key_bound_to_a_user_when_created_then_the_binding_is_stored_and_authenticated(runtime) -> None:
    # Given keys created bound to a user, to a user and agent, and to nothing
    user_key, user_record = runtime.keys.create("acme", frozenset({Scope.READ}), user_id="alice")
    agent_key, _ = runtime.keys.create("acme", frozenset({Scope.READ}), user_id="alice", agent_id="planner")
    free_key, _ = runtime.keys.create("acme", frozenset({Scope.READ}))
    # When they authenticate / Then each principal carries its binding, in either store
    assert (runtime.keys.authenticate(user_key).user_id, runtime.keys.authenticate(user_key).agent_id) == (
        "alice",
        None,
    )
    assert runtime.keys.authenticate(agent_key).agent_id == "planner"
    assert runtime.keys.authenticate(free_key).user_id is None
    listed = {r.key_id: r for r in runtime.keys.list_keys("acme")}
    assert listed[user_record.key_id].user_id == "alice"


def test_given_an_agent_without_a_user_when_a_key_is_created_then_it_is_refused(runtime) -> None:
    from agent_memory.domain.errors import InvalidInput

    with pytest.raises(InvalidInput, match="user_id"):
        runtime.keys.create("acme", frozenset({Scope.READ}), agent_id="planner")
    with pytest.raises(InvalidInput):
        runtime.keys.create("acme", frozenset({Scope.READ}), user_id=" alice")


def test_given_a_bound_key_when_user_id_is_omitted_then_every_call_is_about_its_user(api, alice) -> None:
    # Given a memory of alice written by the bound key without a user_id
    created = alice.post(M, json={"content": "Lives in Lisbon"})
    assert created.status_code == 201 and created.json()["user_id"] == "alice"
    memory_id = created.json()["id"]
    batch = alice.post(f"{M}/batch", json={"items": [{"content": "Plays the cello"}]})
    assert batch.json()["created"] == 1 and batch.json()["results"][0]["memory"]["user_id"] == "alice"
    # When it reads and changes without naming the user / Then it is alice's, as an unbound key naming her sees
    assert alice.get(M).json()["total"] == 2
    assert alice.get(f"{M}/{memory_id}").json()["content"] == "Lives in Lisbon"
    assert alice.get(f"{M}/{memory_id}/history").status_code == 200
    assert alice.get(f"{M}/search", params={"q": "Lisbon"}).json()["results"][0]["memory"]["id"] == memory_id
    assert alice.get(f"{M}/{memory_id}/related").status_code == 200
    assert alice.patch(f"{M}/{memory_id}", json={"importance": 0.9}).json()["importance"] == 0.9
    assert alice.get("/v1/stats").json()["user_id"] == "alice"
    assert alice.get("/v1/clusters").json()["user_id"] == "alice"
    assert alice.get("/v1/topics").json()["user_id"] == "alice"
    assert alice.get("/v1/graph").json()["user_id"] == "alice"
    assert alice.get("/v1/entities").json()["user_id"] == "alice"
    assert alice.get("/v1/entities/place:lisbon").status_code == 200
    assert api.get(M, params={"user_id": "alice"}).json()["total"] == 2
    # And naming its own user is the same as leaving it out
    assert alice.get(M, params={"user_id": "alice"}).json()["total"] == 2
    assert alice.delete(f"{M}/{memory_id}").status_code == 204
    assert alice.post(f"{M}/delete", json={"ids": [memory_id]}).status_code == 204


def test_given_an_unbound_key_when_user_id_is_omitted_then_it_is_422_naming_the_field(api) -> None:
    for method, path, body in (("GET", M, None), ("POST", M, {"content": "x"}), ("GET", f"{M}/search?q=x", None)):
        response = api.request(method, path, json=body)
        assert response.status_code == 422, (path, response.text)
        problem = response.json()
        assert problem["code"] == "invalid_input" and problem["errors"][0]["type"] == "missing"
        assert problem["errors"][0]["loc"] in ("query.user_id", "body.user_id")


def test_given_a_bound_key_when_it_names_another_user_then_every_operation_is_403(api, alice, jobs) -> None:
    # Given bob's memory and finished export (written by an unbound key)
    bobs = api.remember("bob", "Bob's secret plan")
    export = api.post("/v1/jobs/export", json={"user_id": "bob"}).json()
    jobs.drain()
    bob = {"user_id": "bob"}
    attempts: list[tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]] = [
        ("POST", M, None, {**bob, "content": "x"}),
        ("POST", f"{M}/batch", None, {"items": [{**bob, "content": "x"}]}),
        ("GET", M, bob, None),
        ("GET", f"{M}/{bobs['id']}", bob, None),
        ("PATCH", f"{M}/{bobs['id']}", None, {**bob, "importance": 1}),
        ("DELETE", f"{M}/{bobs['id']}", bob, None),
        ("POST", f"{M}/delete", None, {**bob, "ids": [bobs["id"]]}),
        ("GET", f"{M}/{bobs['id']}/history", bob, None),
        ("GET", f"{M}/search", {**bob, "q": "plan"}, None),
        ("GET", f"{M}/{bobs['id']}/related", bob, None),
        ("GET", "/v1/stats", bob, None),
        ("GET", "/v1/clusters", bob, None),
        ("GET", "/v1/topics", bob, None),
        ("GET", "/v1/graph", bob, None),
        ("GET", "/v1/entities", bob, None),
        ("GET", "/v1/entities/user", bob, None),
        ("POST", "/v1/jobs/optimize", None, bob),
        ("GET", "/v1/operations", bob, None),
        ("DELETE", M, {**bob, "confirm": "bob"}, None),
        ("DELETE", M, {"all_users": "true", "confirm": "acme"}, None),
        ("GET", "/v1/export", bob, None),
        ("POST", "/v1/conversations/t1/messages", None, {**bob, "messages": [{"role": "user", "content": "hi"}]}),
        ("POST", "/v1/recalls/01JD7Z3V9K2M4N6P8Q0R2S4T6V/feedback", None, {**bob, "used": [bobs["id"]]}),
    ]
    for method, path, params, body in attempts:
        # When the key bound to alice names bob
        response = alice.request(method, path, params=params, json=body)
        # Then it is refused whether or not bob has anything there, and reveals nothing of his
        assert response.status_code == 403, (method, path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert "secret" not in response.text
    # And operations and exports of bob's, by id, are not found
    assert alice.get(f"/v1/operations/{export['operation_id']}").status_code == 404
    assert alice.get(f"/v1/exports/{export['operation_id']}").status_code == 404
    assert api.get(f"{M}/{bobs['id']}", params=bob).json()["content"] == "Bob's secret plan"


def test_given_a_bound_admin_key_when_it_omits_user_id_then_it_never_goes_tenant_wide(runtime, client, api) -> None:
    # Given memories of alice and bob, and an admin key bound to alice
    api.remember("alice", "Likes tea")
    api.remember("bob", "Likes coffee")
    admin = Api(client, bound_key(runtime, "alice", None, Scope.ADMIN))
    # When it asks without a user_id what an unbound admin key gets for the whole tenant / Then it gets alice's
    assert admin.get("/v1/stats").json()["total_memories"] == 1
    assert admin.get("/v1/topics").json()["user_id"] == "alice"
    exported = admin.get("/v1/export", params={"format": "json"}).json()
    assert [m["content"] for m in exported["memories"]] == ["Likes tea"]
    assert admin.delete(M, params={"all_users": "true", "confirm": "acme"}).status_code == 403
    assert admin.delete("/v1/users/bob").status_code == 403
    # And clearing without a user_id clears only alice
    assert admin.delete(M, params={"confirm": "alice"}).json() == {"cleared": 1}
    assert api.get(M, params={"user_id": "bob"}).json()["total"] == 1


def test_given_a_bound_key_when_it_imports_another_users_memory_then_that_line_is_skipped(api, alice) -> None:
    # Given an export holding a memory of alice and one of bob
    exported = [api.remember(user, f"{user} likes jazz") for user in ("alice", "bob")]
    document = api.get("/v1/export", params={"user_id": "alice", "format": "json"}).json()
    bob_doc = api.get("/v1/export", params={"user_id": "bob", "format": "json"}).json()
    document["memories"] += bob_doc["memories"]
    api.delete(M, params={"user_id": "alice", "confirm": "alice"})
    api.delete(M, params={"user_id": "bob", "confirm": "bob"})
    # When the key bound to alice imports it
    report = alice.post("/v1/import", json=document).json()
    # Then alice's memory comes back and bob's is skipped as another user's
    assert report["imported"] == 1 and report["skips"][0]["id"] == exported[1]["id"]
    assert "another user" in report["skips"][0]["detail"]
    assert api.get(M, params={"user_id": "bob"}).json()["total"] == 0


def test_given_a_key_bound_to_an_agent_then_it_reaches_only_that_agents_memories(api, planner) -> None:
    # Given alice's memories of another agent and of no agent, and one written by the planner-bound key
    other = api.remember("alice", "Lives in Berlin", agent_id="coder")
    loose = api.remember("alice", "Moved to Berlin last year")
    mine = planner.post(M, json={"content": "Meets the team in Berlin on Mondays"})
    assert mine.status_code == 201 and mine.json()["agent_id"] == "planner"
    mine_id = mine.json()["id"]
    # When it lists, searches and walks the graph / Then only the planner's memories appear
    assert [m["id"] for m in planner.get(M).json()["items"]] == [mine_id]
    assert [r["memory"]["id"] for r in planner.get(f"{M}/search", params={"q": "Berlin"}).json()["results"]] == [
        mine_id
    ]
    assert planner.get(f"{M}/{mine_id}/related").json()["results"] == []
    graph = planner.get("/v1/graph").json()
    assert {i for e in graph["relations"] for i in e["memory_ids"]} <= {mine_id}
    # And another agent's memory (or one of no agent) is not found by id, and cannot be changed or deleted
    for foreign in (other["id"], loose["id"]):
        assert planner.get(f"{M}/{foreign}").status_code == 404
        assert planner.get(f"{M}/{foreign}/history").status_code == 404
        assert planner.get(f"{M}/{foreign}/related").status_code == 404
        assert planner.patch(f"{M}/{foreign}", json={"importance": 1}).status_code == 404
        assert planner.delete(f"{M}/{foreign}").status_code == 404
    assert planner.post(f"{M}/delete", json={"ids": [other["id"], loose["id"]]}).status_code == 204
    assert api.get(M, params={"user_id": "alice"}).json()["total"] == 3
    # And naming another agent, or giving a memory to one, is 403
    assert planner.post(M, json={"content": "x", "agent_id": "coder"}).status_code == 403
    assert planner.get(M, params={"agent_id": "coder"}).status_code == 403
    assert planner.patch(f"{M}/{mine_id}", json={"agent_id": "coder"}).status_code == 403
    assert planner.get("/v1/clusters", params={"agent_id": "coder"}).status_code == 403
    # And operations on all of alice's memories at once are refused
    for method, path in (
        ("GET", "/v1/stats"),
        ("GET", "/v1/topics"),
        ("POST", "/v1/jobs/optimize"),
        ("GET", "/v1/operations"),
        ("GET", "/v1/export"),
        ("DELETE", f"{M}?confirm=alice"),
    ):
        assert planner.request(method, path, json={} if method == "POST" else None).status_code == 403, path
    assert planner.get(f"{M}/{mine_id}").status_code == 200


def test_given_an_agent_bound_key_when_a_turn_recalls_then_only_that_agents_memories_come_back(api, planner) -> None:
    api.remember("alice", "Lives in Berlin", agent_id="coder")
    planner.post(M, json={"content": "Lives near the Berlin office"})
    turn = planner.post(
        "/v1/conversations/t1/messages",
        json={"memory": "readonly", "messages": [{"role": "user", "content": "Where in Berlin do I live?"}]},
    ).json()
    assert [r["content"] for r in turn["recalled"]] == ["Lives near the Berlin office"]


def test_given_two_bound_keys_when_they_send_one_body_with_one_idempotency_key_then_each_writes_its_own(
    client, runtime
) -> None:
    # Given keys bound to alice, to bob, and to alice's agent planner, each sending the same body and the same key
    alice, bob = Api(client, bound_key(runtime, "alice")), Api(client, bound_key(runtime, "bob"))
    planner = Api(client, bound_key(runtime, "alice", "planner"))
    body, headers = {"content": "Allergic to penicillin"}, {"Idempotency-Key": "create-1"}
    first = alice.post(M, json=body, headers=headers)
    # When bob and the agent send it
    second, third = bob.post(M, json=body, headers=headers), planner.post(M, json=body, headers=headers)
    # Then each got a write of its own, not a replay of alice's
    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second.headers
    assert second.json()["user_id"] == "bob" and second.json()["id"] != first.json()["id"]
    assert third.status_code == 409  # alice already holds that content: her own duplicate, not a replay
    assert "Idempotent-Replayed" not in third.headers
    assert [m["content"] for m in bob.get(M).json()["items"]] == ["Allergic to penicillin"]
    # And alice's retry is still a replay of her own request
    again = alice.post(M, json=body, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json()["id"] == first.json()["id"]


@pytest.mark.parametrize("scheme", ["Bearer", "bearer"])
def test_given_the_key_as_a_bearer_token_then_it_authenticates_like_x_api_key(client, api, scheme) -> None:
    # When the key comes as Authorization: Bearer (scheme in any case)
    headers = {"Authorization": f"{scheme} {api.key}"}
    created = client.post(M, json={"user_id": "alice", "content": "Likes figs"}, headers=headers)
    # Then it is the same key
    assert created.status_code == 201
    assert client.get(M, params={"user_id": "alice"}, headers=headers).json()["total"] == 1


def test_given_bad_authorization_headers_then_401(client, api) -> None:
    for headers in (
        {"Authorization": f"Basic {api.key}"},
        {"Authorization": "Bearer am_not-a-real-key"},
        {"Authorization": "Bearer "},
        {"Authorization": f"Bearer {api.key}", "X-API-Key": "am_another-key"},
    ):
        response = client.get(M, params={"user_id": "alice"}, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["content-type"] == "application/problem+json"
    both = {"Authorization": f"Bearer {api.key}", "X-API-Key": api.key}
    assert client.get(M, params={"user_id": "alice"}, headers=both).status_code == 200


def test_given_a_bearer_key_when_the_lambda_authorizer_sees_it_then_the_binding_is_in_the_context(
    runtime, monkeypatch
) -> None:
    from agent_memory.entry import shared
    from agent_memory.entry.authorizer import authorize
    from agent_memory.invoke import load_handler
    from tests.integration.test_lambda_handlers import ROOT, load_event

    monkeypatch.setattr(shared, "shared_runtime", lambda: runtime)
    key, record = runtime.keys.create("acme", frozenset({Scope.READ, Scope.WRITE}), user_id="alice", agent_id="bot")
    # Given an authorizer event with the key only as Authorization: Bearer
    event = load_event("auth/authorizer.json")
    for headers in (event["headers"], event["multiValueHeaders"]):
        headers.pop("X-API-Key")
        headers["authorization"] = f"Bearer {key}" if headers is event["headers"] else [f"Bearer {key}"]
    # When the authorizer runs / Then it allows, with the user and agent in the context
    answer = authorize(event, runtime.keys)
    assert answer["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    assert answer["context"] == {
        "tenant": "acme",
        "scopes": "read,write",
        "keyId": record.key_id,
        "userId": "alice",
        "agentId": "bot",
    }
    # And an API function given that context acts for alice's agent without a user_id in the request
    create = json.loads((ROOT / "events/api/create_memory.json").read_text())
    create["body"] = json.dumps({"content": "Prefers tea"})
    create["requestContext"]["authorizer"].update(answer["context"])
    handler = load_handler("api/create_memory", ROOT)
    response = handler(create, LocalContext(function_name="create_memory"))
    assert response["statusCode"] == 201, response["body"]
    assert (json.loads(response["body"])["user_id"], json.loads(response["body"])["agent_id"]) == ("alice", "bot")
    # And a bearer key of another kind, or none, is denied
    event["headers"]["authorization"] = "Bearer am_nope"
    assert authorize(event, runtime.keys)["policyDocument"]["Statement"][0]["Effect"] == "Deny"


def test_given_the_cli_when_a_key_is_created_bound_then_json_shows_the_binding(tmp_path, capsys) -> None:
    from agent_memory.cli import main

    data = ["--data-dir", str(tmp_path / "data")]
    args = ["keys", "create", "--tenant", "acme", "--user-id", "alice", "--agent-id", "bot", "--json", *data]
    assert main(args) == 0
    created = json.loads(capsys.readouterr().out)
    assert (created["user_id"], created["agent_id"]) == ("alice", "bot")
    assert main(["keys", "create", "--tenant", "acme", "--agent-id", "bot", *data]) == 2
    assert "user_id" in capsys.readouterr().err
