"""The tenant's memory settings over HTTP on both backends: every field checked, and each one takes effect."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.conftest import Api

DEFAULTS = {
    "max_content_chars": 300,
    "default_memory_mode": "auto",
    "extraction_enabled": True,
    "recall_limit": 5,
    "min_salience": 0.4,
    "memory_retention_days": None,
    "raw_log_retention_days": None,
}


def test_a_new_tenant_reads_the_documented_defaults(admin: Api) -> None:
    assert admin.get("/v1/settings/memory").json() == DEFAULTS


def test_put_changes_only_the_fields_sent_and_null_turns_a_retention_off(admin: Api) -> None:
    # Given retention set, and a mode given in another case
    changed = admin.put(
        "/v1/settings/memory",
        json={"memory_retention_days": 30, "raw_log_retention_days": 90, "default_memory_mode": "ReadOnly"},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json() == {
        **DEFAULTS,
        "memory_retention_days": 30,
        "raw_log_retention_days": 90,
        "default_memory_mode": "readonly",
    }
    # When one retention is set to null and the other left out
    after = admin.put("/v1/settings/memory", json={"memory_retention_days": None}).json()
    # Then only that one is off
    assert after["memory_retention_days"] is None and after["raw_log_retention_days"] == 90


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"recall_limit": 0}, "recall_limit"),
        ({"recall_limit": 21}, "recall_limit"),
        ({"recall_limit": True}, "recall_limit"),
        ({"min_salience": 1.5}, "min_salience"),
        ({"min_salience": "0.5"}, "min_salience"),
        ({"extraction_enabled": "yes"}, "extraction_enabled"),
        ({"memory_retention_days": 0}, "memory_retention_days"),
        ({"memory_retention_days": 36_501}, "memory_retention_days"),
        ({"raw_log_retention_days": 45}, "raw_log_retention_days"),
        ({"default_memory_mode": "sometimes"}, "default_memory_mode"),
        ({"recall_limit": None}, "recall_limit"),
        ({"extraction_enabled": None}, "extraction_enabled"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_every_field_is_checked_and_one_bad_field_changes_nothing(admin: Api, body: dict, field: str) -> None:
    response = admin.put("/v1/settings/memory", json={"recall_limit": 7, **body})
    assert response.status_code == 422, response.text
    assert field in response.text
    assert admin.get("/v1/settings/memory").json() == DEFAULTS


def test_memory_retention_caps_the_life_of_every_memory_written(api: Api, admin: Api) -> None:
    admin.put("/v1/settings/memory", json={"memory_retention_days": 30})
    memory = api.remember("alice", "Lives in Lisbon")
    created = datetime.fromisoformat(memory["created_at"])
    assert datetime.fromisoformat(memory["expires_at"]) == created + timedelta(days=30)
    # A shorter expiry of the client's own is kept; a longer one is capped
    soon = created + timedelta(days=2)
    kept = api.remember("alice", "Has a cat", expires_at=soon.isoformat())
    assert datetime.fromisoformat(kept["expires_at"]) == soon
    late = api.remember("alice", "Plays chess", expires_at=(created + timedelta(days=90)).isoformat())
    assert datetime.fromisoformat(late["expires_at"]) <= datetime.fromisoformat(late["created_at"]) + timedelta(days=30)


def test_extraction_off_saves_nothing_from_turns_but_still_recalls(api: Api, admin: Api) -> None:
    api.remember("alice", "Prefers Python for data work")
    admin.put("/v1/settings/memory", json={"extraction_enabled": False, "recall_limit": 1})
    turn = api.post(
        "/v1/conversations/t1/messages",
        json={"user_id": "alice", "memory": "on", "messages": [{"role": "user", "content": "I live in Berlin now."}]},
    ).json()
    assert turn["saved"] == []
    assert api.get("/v1/memories", params={"user_id": "alice"}).json()["total"] == 1
    ask = api.post(
        "/v1/conversations/t1/messages",
        json={"user_id": "alice", "memory": "readonly", "messages": [{"role": "user", "content": "Python or R?"}]},
    ).json()
    assert len(ask["recalled"]) == 1  # the tenant's recall_limit applies when the turn names none
