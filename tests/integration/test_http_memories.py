"""The native /v1/memories API through the FastAPI app: happy paths."""

from __future__ import annotations

PATH = "/v1/memories"


def test_given_new_content_when_created_then_201_with_defaults(api) -> None:
    response = api.post(PATH, json={"user_id": "alice", "content": "Prefers window seats"})
    assert response.status_code == 201
    body = response.json()
    assert body["content"] == "Prefers window seats"
    assert body["source"] == "api"
    assert body["importance"] == 0.5 and body["valence"] == 0.0
    assert body["version"] == 1 and body["access_count"] == 0
    assert len(body["id"]) == 26
    assert "tenant" not in body


def test_given_same_content_differently_written_when_created_again_then_409_with_existing_id(api) -> None:
    first = api.remember("alice", "Likes green tea")
    response = api.post(PATH, json={"user_id": "alice", "content": "  LIKES green   tea"})
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["existing_id"] == first["id"]
    assert problem["code"] == "duplicate_memory"
    assert set(problem) >= {"type", "title", "status", "detail", "code"}


def test_all_fields_round_trip(api) -> None:
    created = api.remember(
        "alice",
        "Allergic to peanuts",
        agent_id="chef-bot",
        thread_id="thread-9",
        summary="allergy",
        source="agent",
        importance=0.95,
        valence=-0.6,
        topics=["Health", "food", "health"],
        entities=[{"name": "peanuts", "type": "food"}],
        metadata={"confidence": 0.9},
        source_refs=["msg-1", "msg-2"],
        expires_at="2999-01-01T00:00:00Z",
    )
    fetched = api.get(f"{PATH}/{created['id']}", params={"user_id": "alice"}).json()
    assert fetched == created
    assert fetched["topics"] == ["health", "food"]
    assert fetched["entities"] == [{"id": "food:peanuts", "name": "peanuts", "type": "food", "mentions": 1}]
    assert fetched["expires_at"].startswith("2999-01-01")


def test_batch_create_reports_each_item(api) -> None:
    api.remember("alice", "Known fact")
    items = [
        {"user_id": "alice", "content": "First new"},
        {"user_id": "alice", "content": "known FACT"},
        {"user_id": "alice", "content": "x" * 301},
        {"user_id": "alice", "content": "   "},
        {"user_id": "bob", "content": "Bob fact"},
    ]
    response = api.post(f"{PATH}/batch", json={"items": items})
    assert response.status_code == 200
    body = response.json()
    assert body["created"] == 2 and body["failed"] == 3
    assert [r["status"] for r in body["results"]] == [201, 409, 422, 422, 201]
    assert body["results"][1]["error"]["code"] == "duplicate_memory"
    assert body["results"][2]["error"]["code"] == "content_too_long"
    assert body["results"][3]["error"]["code"] == "content_blank"
    assert body["results"][4]["memory"]["user_id"] == "bob"
    assert api.get(PATH, params={"user_id": "alice"}).json()["total"] == 2


def test_list_filters_and_total(api) -> None:
    api.remember("alice", "a1", agent_id="bot-1", topics=["food"])
    api.remember("alice", "a2", agent_id="bot-2", source="agent")
    api.remember("alice", "a3", topics=["Food", "travel"])
    api.remember("bob", "b1", topics=["food"])

    def contents(**params) -> list[str]:
        body = api.get(PATH, params={"user_id": "alice", **params}).json()
        assert body["total"] == len(body["items"])
        return [m["content"] for m in body["items"]]

    assert contents() == ["a3", "a2", "a1"]
    assert contents(agent_id="bot-1") == ["a1"]
    assert contents(source="agent") == ["a2"]
    assert contents(topic="FOOD") == ["a3", "a1"]
    assert contents(created_after="2000-01-01T00:00:00Z") == ["a3", "a2", "a1"]
    assert contents(created_before="2000-01-01T00:00:00Z") == []


def test_cursor_pagination_is_stable_while_new_memories_arrive(api) -> None:
    for i in range(7):
        api.remember("alice", f"fact {i}")
    first = api.get(PATH, params={"user_id": "alice", "limit": 3}).json()
    assert [m["content"] for m in first["items"]] == ["fact 6", "fact 5", "fact 4"]
    api.remember("alice", "arrived in between")
    second = api.get(PATH, params={"user_id": "alice", "limit": 3, "cursor": first["next_cursor"]}).json()
    assert [m["content"] for m in second["items"]] == ["fact 3", "fact 2", "fact 1"]
    third = api.get(PATH, params={"user_id": "alice", "limit": 3, "cursor": second["next_cursor"]}).json()
    assert [m["content"] for m in third["items"]] == ["fact 0"]
    assert third["next_cursor"] is None


def test_offset_pagination(api) -> None:
    for i in range(5):
        api.remember("alice", f"fact {i}")
    body = api.get(PATH, params={"user_id": "alice", "limit": 2, "offset": 2}).json()
    assert [m["content"] for m in body["items"]] == ["fact 2", "fact 1"]
    assert body["total"] == 5 and body["offset"] == 2


def test_update_changes_fields_bumps_version_and_records_history(api) -> None:
    created = api.remember("alice", "Lives in Paris", topics=["home"])
    response = api.patch(
        f"{PATH}/{created['id']}", json={"user_id": "alice", "content": "Lives in Berlin", "importance": 0.9}
    )
    assert response.status_code == 200
    updated = response.json()
    assert updated["content"] == "Lives in Berlin"
    assert updated["importance"] == 0.9 and updated["topics"] == ["home"]
    assert updated["version"] == 2
    assert updated["updated_at"] >= created["updated_at"]
    history = api.get(f"{PATH}/{created['id']}/history", params={"user_id": "alice"}).json()
    assert [(e["version"], e["event"]) for e in history["entries"]] == [(1, "created"), (2, "updated")]
    assert history["entries"][1]["previous_content"] == "Lives in Paris"
    assert history["entries"][1]["changed_fields"] == ["content", "importance"]


def test_update_into_duplicate_content_is_409_and_changes_nothing(api) -> None:
    tea = api.remember("alice", "Likes tea")
    coffee = api.remember("alice", "Likes coffee")
    response = api.patch(f"{PATH}/{coffee['id']}", json={"user_id": "alice", "content": "likes TEA"})
    assert response.status_code == 409
    assert response.json()["existing_id"] == tea["id"]
    assert api.get(f"{PATH}/{coffee['id']}", params={"user_id": "alice"}).json() == coffee


def test_update_with_stale_version_is_409(api) -> None:
    created = api.remember("alice", "Lives in Paris")
    api.patch(f"{PATH}/{created['id']}", json={"user_id": "alice", "importance": 0.1})
    response = api.patch(f"{PATH}/{created['id']}", json={"user_id": "alice", "importance": 0.2, "version": 1})
    assert response.status_code == 409
    assert response.json()["code"] == "version_conflict"


def test_update_with_nothing_to_change_is_422(api) -> None:
    created = api.remember("alice", "Lives in Paris")
    response = api.patch(f"{PATH}/{created['id']}", json={"user_id": "alice"})
    assert response.status_code == 422


def test_delete_then_gone_and_second_delete_is_404(api) -> None:
    created = api.remember("alice", "Forget me")
    assert api.delete(f"{PATH}/{created['id']}", params={"user_id": "alice"}).status_code == 204
    assert api.get(f"{PATH}/{created['id']}", params={"user_id": "alice"}).status_code == 404
    assert api.delete(f"{PATH}/{created['id']}", params={"user_id": "alice"}).status_code == 404
    # Once forgotten, the same content can be remembered again.
    api.remember("alice", "Forget me")


def test_bulk_delete_removes_only_that_users_ids(api) -> None:
    a = api.remember("alice", "one")
    b = api.remember("alice", "two")
    keep = api.remember("alice", "three")
    bob = api.remember("bob", "bob's")
    response = api.post(f"{PATH}/delete", json={"user_id": "alice", "ids": [a["id"], b["id"], bob["id"], "missing"]})
    assert response.status_code == 204
    assert [m["id"] for m in api.get(PATH, params={"user_id": "alice"}).json()["items"]] == [keep["id"]]
    assert api.get(f"{PATH}/{bob['id']}", params={"user_id": "bob"}).status_code == 200


def test_tenant_setting_raises_the_content_limit(api, admin) -> None:
    long_text = "x" * 800
    assert api.post(PATH, json={"user_id": "alice", "content": long_text}).status_code == 422
    response = admin.put("/v1/settings/memory", json={"max_content_chars": 1000})
    assert response.status_code == 200 and response.json()["max_content_chars"] == 1000
    assert api.get("/v1/settings/memory").json()["max_content_chars"] == 1000
    assert api.post(PATH, json={"user_id": "alice", "content": long_text}).status_code == 201


def test_openapi_and_docs_are_served(client) -> None:
    spec = client.get("/openapi.json").json()
    assert "/v1/memories" in spec["paths"]
    assert "X-API-Key" in str(spec["components"]["securitySchemes"])
    assert client.get("/docs").status_code == 200
    assert client.get("/healthz").json()["status"] == "ok"
