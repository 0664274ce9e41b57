"""Bad input gets a clear problem+json answer, never a 500 and never a stack trace."""

from __future__ import annotations

import pytest

PATH = "/v1/memories"


def assert_problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["detail"]
    assert "Traceback" not in response.text
    if code is not None:
        assert body["code"] == code
    return body


@pytest.mark.parametrize(
    ("payload", "location"),
    [
        ({"content": "no user"}, "body.user_id"),
        ({"user_id": "alice"}, "body.content"),
        ({"user_id": 42, "content": "wrong type"}, "body.user_id"),
        ({"user_id": "alice", "content": ["not", "a", "string"]}, "body.content"),
        ({"user_id": "alice", "content": "ok", "importance": 1.5}, "body.importance"),
        ({"user_id": "alice", "content": "ok", "valence": -2}, "body.valence"),
        ({"user_id": "alice", "content": "ok", "importance": "high"}, "body.importance"),
        ({"user_id": "alice", "content": "ok", "source": "telepathy"}, "body.source"),
        ({"user_id": "alice", "content": "ok", "unknown_field": True}, "body.unknown_field"),
        ({"user_id": "alice", "content": "ok", "topics": "food"}, "body.topics"),
        ({"user_id": "alice", "content": "ok", "topics": ["t"] * 21}, "body.topics"),
        ({"user_id": "", "content": "ok"}, "body.user_id"),
        ({"user_id": "a" * 129, "content": "ok"}, "body.user_id"),
        ({"user_id": "alice", "content": "ok", "expires_at": "not a date"}, "body.expires_at"),
    ],
)
def test_structurally_invalid_bodies_are_422_naming_the_field(api, payload, location) -> None:
    body = assert_problem(api.post(PATH, json=payload), 422, "invalid_input")
    assert location in [error["loc"] for error in body["errors"]]
    assert all(set(error) == {"loc", "msg", "type"} for error in body["errors"])  # input is not echoed back


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("", "content_blank"),
        ("   \n\t ", "content_blank"),
        ("\u200b\u200b", "content_blank"),
        ("x" * 301, "content_too_long"),
        ("bell\x07", "invalid_input"),
    ],
)
def test_invalid_content_is_422_with_a_message(api, content, code) -> None:
    body = assert_problem(api.post(PATH, json={"user_id": "alice", "content": content}), 422, code)
    if code == "content_too_long":
        assert "max_content_chars=300" in body["detail"]
        assert body["limit"] == 300


@pytest.mark.parametrize(
    "content",
    ["naïve café ☕", "日本語のメモ", "emoji 👩‍👩‍👧‍👦 family", "right-to-left עברית", "x" * 300, "é" * 300],
)
def test_unicode_content_is_kept_exactly(api, content) -> None:
    created = api.remember("alice", content)
    assert api.get(f"{PATH}/{created['id']}", params={"user_id": "alice"}).json()["content"] == content


def test_user_ids_with_unicode_and_punctuation_are_distinct_scopes(api) -> None:
    api.remember("ユーザー", "one")
    api.remember("user@example.com", "one")
    assert api.get(PATH, params={"user_id": "ユーザー"}).json()["total"] == 1


def test_user_id_with_control_characters_is_rejected(api) -> None:
    assert_problem(api.post(PATH, json={"user_id": "al\nice", "content": "x"}), 422)


def test_expires_at_in_the_past_is_rejected(api) -> None:
    assert_problem(api.post(PATH, json={"user_id": "a", "content": "x", "expires_at": "2000-01-01T00:00:00Z"}), 422)


def test_malformed_json_is_422(api) -> None:
    response = api.post(PATH, content=b'{"user_id": "alice", "content": ', headers={"content-type": "application/json"})
    assert_problem(response, 422)


def test_body_over_256_kib_is_413(api) -> None:
    big = {"user_id": "alice", "content": "x", "metadata": {"blob": "y" * (256 * 1024)}}
    assert_problem(api.post(PATH, json=big), 413, "payload_too_large")


def test_chunked_body_over_the_limit_is_413(api) -> None:
    def chunks():
        for _ in range(300):
            yield b"x" * 1024

    assert_problem(api.post(PATH, content=chunks(), headers={"content-type": "application/json"}), 413)


def test_metadata_over_8_kib_is_422(api) -> None:
    body = assert_problem(api.post(PATH, json={"user_id": "a", "content": "x", "metadata": {"k": "v" * 9000}}), 422)
    assert "metadata" in body["detail"]


@pytest.mark.parametrize(
    "params",
    [
        {"user_id": "alice", "limit": 101},
        {"user_id": "alice", "limit": 10**12},
        {"user_id": "alice", "limit": 0},
        {"user_id": "alice", "limit": "lots"},
        {"user_id": "alice", "offset": -1},
        {"user_id": "alice", "offset": 10**9},
        {"user_id": "alice", "source": "nope"},
        {"user_id": "alice", "created_after": "yesterday"},
        {},
    ],
)
def test_bad_list_parameters_are_422(api, params) -> None:
    assert_problem(api.get(PATH, params=params), 422)


@pytest.mark.parametrize("cursor", ["garbage", "a.b", "eyJwIjp7fX0.AAAA", "%00", "x" * 1025])
def test_malformed_cursors_are_422(api, cursor) -> None:
    assert_problem(api.get(PATH, params={"user_id": "alice", "cursor": cursor}), 422)


def test_cursor_from_another_user_is_rejected(api) -> None:
    for i in range(3):
        api.remember("alice", f"fact {i}")
    cursor = api.get(PATH, params={"user_id": "alice", "limit": 1}).json()["next_cursor"]
    assert_problem(api.get(PATH, params={"user_id": "bob", "cursor": cursor}), 422, "invalid_cursor")


def test_batch_limits(api) -> None:
    assert_problem(api.post(f"{PATH}/batch", json={"items": []}), 422)
    too_many = [{"user_id": "a", "content": f"c{i}"} for i in range(101)]
    assert_problem(api.post(f"{PATH}/batch", json={"items": too_many}), 422)


def test_delete_without_user_id_is_422(api) -> None:
    created = api.remember("alice", "keep me")
    assert_problem(api.delete(f"{PATH}/{created['id']}"), 422)
    assert api.get(f"{PATH}/{created['id']}", params={"user_id": "alice"}).status_code == 200


def test_bulk_delete_limits(api) -> None:
    assert_problem(api.post(f"{PATH}/delete", json={"user_id": "a", "ids": []}), 422)
    assert_problem(api.post(f"{PATH}/delete", json={"user_id": "a", "ids": ["x"] * 101}), 422)


def test_unknown_route_and_method_are_problems(api) -> None:
    assert_problem(api.get("/v1/nothing-here"), 404)
    assert_problem(api.put(PATH, json={}), 405)


def test_settings_out_of_range_are_422(admin) -> None:
    assert_problem(admin.put("/v1/settings/memory", json={"max_content_chars": 0}), 422)
    assert_problem(admin.put("/v1/settings/memory", json={"max_content_chars": 10_001}), 422)
    assert_problem(admin.put("/v1/settings/memory", json={"default_memory_mode": "sometimes"}), 422)
