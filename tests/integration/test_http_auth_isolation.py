"""Credentials decide the tenant; two tenants and two users never see each other's memories."""

from __future__ import annotations

import pytest

PATH = "/v1/memories"


def test_missing_or_wrong_key_is_401(client, api) -> None:
    assert client.get(PATH, params={"user_id": "alice"}).status_code == 401
    response = client.get(PATH, params={"user_id": "alice"}, headers={"X-API-Key": "am_wrong"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert client.get(PATH, params={"user_id": "a"}, headers={"X-API-Key": "x" * 5000}).status_code == 401


def test_revoked_key_is_401(runtime, api) -> None:
    assert api.get(PATH, params={"user_id": "alice"}).status_code == 200
    record = runtime.keys.list_keys("acme")[0]
    runtime.keys.revoke(record.key_id)
    assert api.get(PATH, params={"user_id": "alice"}).status_code == 401


def test_read_only_key_cannot_write_and_non_admin_cannot_change_settings(reader, api) -> None:
    response = reader.post(PATH, json={"user_id": "alice", "content": "x"})
    assert response.status_code == 403 and "write" in response.json()["detail"]
    assert reader.get(PATH, params={"user_id": "alice"}).status_code == 200
    assert api.put("/v1/settings/memory", json={"max_content_chars": 500}).status_code == 403


def test_admin_scope_implies_read_and_write(admin) -> None:
    assert admin.post(PATH, json={"user_id": "alice", "content": "x"}).status_code == 201


def test_tenant_cannot_be_chosen_in_the_body(api) -> None:
    response = api.post(PATH, json={"user_id": "alice", "content": "x", "tenant": "globex"})
    assert response.status_code == 422


@pytest.fixture
def alice_memory(api) -> dict:
    return api.remember("alice", "Alice's secret")


def test_other_tenant_with_same_user_id_sees_nothing(api, other_tenant, alice_memory) -> None:
    mid = alice_memory["id"]
    assert other_tenant.get(PATH, params={"user_id": "alice"}).json()["total"] == 0
    assert other_tenant.get(f"{PATH}/{mid}", params={"user_id": "alice"}).status_code == 404
    assert other_tenant.get(f"{PATH}/{mid}/history", params={"user_id": "alice"}).status_code == 404
    assert other_tenant.patch(f"{PATH}/{mid}", json={"user_id": "alice", "content": "pwned"}).status_code == 404
    assert other_tenant.delete(f"{PATH}/{mid}", params={"user_id": "alice"}).status_code == 404
    assert other_tenant.post(f"{PATH}/delete", json={"user_id": "alice", "ids": [mid]}).status_code == 204
    # The same content is not a duplicate across tenants, and the original is untouched.
    assert other_tenant.post(PATH, json={"user_id": "alice", "content": "Alice's secret"}).status_code == 201
    assert api.get(f"{PATH}/{mid}", params={"user_id": "alice"}).json() == alice_memory


def test_other_user_of_same_tenant_sees_nothing(api, alice_memory) -> None:
    mid = alice_memory["id"]
    assert api.get(PATH, params={"user_id": "bob"}).json()["total"] == 0
    assert api.get(f"{PATH}/{mid}", params={"user_id": "bob"}).status_code == 404
    assert api.patch(f"{PATH}/{mid}", json={"user_id": "bob", "importance": 1}).status_code == 404
    assert api.delete(f"{PATH}/{mid}", params={"user_id": "bob"}).status_code == 404
    assert api.post(f"{PATH}/delete", json={"user_id": "bob", "ids": [mid]}).status_code == 204
    assert api.get(f"{PATH}/{mid}", params={"user_id": "alice"}).json() == alice_memory


def test_404_does_not_reveal_whether_the_id_exists_elsewhere(api, other_tenant, alice_memory) -> None:
    foreign = other_tenant.get(f"{PATH}/{alice_memory['id']}", params={"user_id": "alice"}).json()
    missing = other_tenant.get(f"{PATH}/01NOSUCHMEMORY000000000000", params={"user_id": "alice"}).json()
    assert foreign["detail"].replace(alice_memory["id"], "ID") == missing["detail"].replace(
        "01NOSUCHMEMORY000000000000", "ID"
    )


def test_settings_are_per_tenant(admin, other_tenant) -> None:
    admin.put("/v1/settings/memory", json={"max_content_chars": 900})
    assert other_tenant.get("/v1/settings/memory").json()["max_content_chars"] == 300
