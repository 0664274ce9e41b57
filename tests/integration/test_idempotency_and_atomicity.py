"""Idempotency-Key replays, and failed requests that leave the store exactly as it was."""

from __future__ import annotations

import sqlite3

import pytest

from agent_memory.adapters.aws.dynamo.table import DynamoTable
from agent_memory.adapters.local.sqlite.memories import SqliteMemories

PATH = "/v1/memories"


def test_repeated_key_returns_the_first_response_without_a_second_write(api) -> None:
    headers = {"Idempotency-Key": "req-1"}
    first = api.post(PATH, json={"user_id": "alice", "content": "Likes tea"}, headers=headers)
    again = api.post(PATH, json={"user_id": "alice", "content": "Likes tea"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert api.get(PATH, params={"user_id": "alice"}).json()["total"] == 1


def test_same_key_with_a_different_body_is_422(api) -> None:
    headers = {"Idempotency-Key": "req-2"}
    api.post(PATH, json={"user_id": "alice", "content": "Likes tea"}, headers=headers)
    response = api.post(PATH, json={"user_id": "alice", "content": "Likes coffee"}, headers=headers)
    assert response.status_code == 422 and response.json()["code"] == "idempotency_key_reused"


def test_keys_are_scoped_to_the_tenant(api, other_tenant) -> None:
    headers = {"Idempotency-Key": "shared"}
    a = api.post(PATH, json={"user_id": "alice", "content": "Likes tea"}, headers=headers)
    b = other_tenant.post(PATH, json={"user_id": "alice", "content": "Likes tea"}, headers=headers)
    assert a.json()["id"] != b.json()["id"]


def test_a_client_error_is_replayed_too(api) -> None:
    api.remember("alice", "Likes tea")
    headers = {"Idempotency-Key": "dup"}
    first = api.post(PATH, json={"user_id": "alice", "content": "likes tea"}, headers=headers)
    again = api.post(PATH, json={"user_id": "alice", "content": "likes tea"}, headers=headers)
    assert first.status_code == again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"


def test_batch_is_idempotent(api) -> None:
    headers = {"Idempotency-Key": "batch-1"}
    body = {"items": [{"user_id": "alice", "content": f"c{i}"} for i in range(3)]}
    first = api.post(f"{PATH}/batch", json=body, headers=headers)
    again = api.post(f"{PATH}/batch", json=body, headers=headers)
    assert again.json() == first.json() and first.json()["created"] == 3


@pytest.fixture
def break_writes(runtime, monkeypatch):
    """Make the store's n-th low-level write fail in the middle of an operation, on whichever backend runs."""

    def arm(on_call: int = 1, message: str = "simulated crash"):
        calls = {"n": 0}
        if isinstance(runtime.store, SqliteMemories):
            target, name = SqliteMemories, "_add_history"  # between the memory row and its history row
        else:
            target, name = DynamoTable, "transact"  # the memory's transaction
        original = getattr(target, name)

        def failing(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == on_call:
                raise sqlite3.OperationalError(message)
            return original(*args, **kwargs)

        monkeypatch.setattr(target, name, failing)
        return monkeypatch.undo

    return arm


def test_a_server_failure_releases_the_key_so_a_retry_can_succeed(api, break_writes) -> None:
    repair = break_writes(message="disk on fire")
    headers = {"Idempotency-Key": "retry-me"}
    failed = api.post(PATH, json={"user_id": "alice", "content": "Likes tea"}, headers=headers)
    assert failed.status_code == 500
    assert "disk on fire" not in failed.text and "Traceback" not in failed.text
    repair()
    retried = api.post(PATH, json={"user_id": "alice", "content": "Likes tea"}, headers=headers)
    assert retried.status_code == 201


def test_a_failure_while_writing_history_leaves_no_memory_behind(api, break_writes) -> None:
    repair = break_writes()
    response = api.post(PATH, json={"user_id": "alice", "content": "half written?"})
    assert response.status_code >= 500
    repair()
    assert api.get(PATH, params={"user_id": "alice"}).json()["total"] == 0
    api.remember("alice", "half written?")  # no stale uniqueness claim either


def test_a_failure_mid_batch_rolls_back_the_whole_batch(api, break_writes) -> None:
    repair = break_writes(on_call=3)
    body = {"items": [{"user_id": "alice", "content": f"c{i}"} for i in range(5)]}
    assert api.post(f"{PATH}/batch", json=body).status_code == 500
    repair()
    assert api.get(PATH, params={"user_id": "alice"}).json()["total"] == 0
    assert api.post(f"{PATH}/batch", json=body).status_code == 200  # nothing of it blocks a retry


@pytest.mark.parametrize("field", [{"content": "x" * 301}, {"importance": 7}, {"content": " "}])
def test_a_rejected_update_changes_nothing(api, field) -> None:
    created = api.remember("alice", "stable")
    assert api.patch(f"{PATH}/{created['id']}", json={"user_id": "alice", **field}).status_code == 422
    assert api.get(f"{PATH}/{created['id']}", params={"user_id": "alice"}).json() == created
    history = api.get(f"{PATH}/{created['id']}/history", params={"user_id": "alice"}).json()
    assert len(history["entries"]) == 1
