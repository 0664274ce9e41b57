"""Defects an attack run found: each answers a clear 4xx now, and nothing unreadable is ever written."""

from __future__ import annotations

import stat

import pytest

from tests.integration.test_http_bad_input import assert_problem

PATH = "/v1/memories"


def nested(depth: int) -> dict:
    value: dict = {"leaf": 1}
    for _ in range(depth - 1):
        value = {"child": value}
    return value


def assert_user_still_readable(api, user_id: str) -> None:
    listed = api.get(PATH, params={"user_id": user_id})
    assert listed.status_code == 200, listed.text
    assert api.get(f"{PATH}/search", params={"user_id": user_id, "q": "berlin"}).status_code == 200
    for item in listed.json()["items"]:
        assert api.get(f"{PATH}/{item['id']}", params={"user_id": user_id}).status_code == 200
        assert api.get(f"{PATH}/{item['id']}/related", params={"user_id": user_id}).status_code == 200


# -- metadata that could not be read back ---------------------------------------------------------


def test_given_metadata_nested_256_deep_when_created_then_422_and_nothing_is_written(api) -> None:
    api.remember("alice", "Lives in Berlin")
    assert_problem(api.post(PATH, json={"user_id": "alice", "content": "Deep", "metadata": nested(256)}), 422)
    batch = api.post(
        f"{PATH}/batch", json={"items": [{"user_id": "alice", "content": "Deep", "metadata": nested(256)}]}
    )
    assert batch.status_code == 200 and batch.json()["results"][0]["status"] == 422
    assert [m["content"] for m in api.get(PATH, params={"user_id": "alice"}).json()["items"]] == ["Lives in Berlin"]
    assert_user_still_readable(api, "alice")


def test_given_a_memory_when_patched_with_too_deep_metadata_then_422_and_it_is_unchanged(api) -> None:
    memory = api.remember("alice", "Lives in Berlin", metadata={"k": "v"})
    response = api.patch(f"{PATH}/{memory['id']}", json={"user_id": "alice", "metadata": nested(40)})
    assert_problem(response, 422, "invalid_input")
    assert api.get(f"{PATH}/{memory['id']}", params={"user_id": "alice"}).json()["metadata"] == {"k": "v"}
    assert_user_still_readable(api, "alice")


def test_metadata_at_the_documented_depth_round_trips(api) -> None:
    memory = api.remember("alice", "Lives in Berlin", metadata=nested(16))
    assert api.get(f"{PATH}/{memory['id']}", params={"user_id": "alice"}).json()["metadata"] == nested(16)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_in_a_body_are_a_malformed_body(api, literal) -> None:
    raw = '{"user_id": "alice", "content": "x", "metadata": {"n": ' + literal + "}}"
    response = api.post(PATH, content=raw, headers={"content-type": "application/json"})
    assert_problem(response, 422, "malformed_body")
    assert_user_still_readable(api, "alice")


@pytest.mark.parametrize(
    ("raw", "what"),
    [
        ("[" * 30_000 + "]" * 30_000, "nested"),
        ('{"user_id": "alice", "content": "x", "metadata": {"n": ' + "9" * 5_000 + "}}", "valid JSON"),
        ('{"user_id": "alice", "content": ', "valid JSON"),
    ],
)
def test_bodies_json_cannot_read_are_a_malformed_body(api, raw, what) -> None:
    body = assert_problem(api.post(PATH, content=raw, headers={"content-type": "application/json"}), 422)
    assert body["code"] == "malformed_body" and what in body["detail"]


def test_a_body_that_is_not_utf8_is_a_documented_problem(api) -> None:
    response = api.post(PATH, content=b'{"user_id": "alice", "content": "\xff\xfe"}')
    body = assert_problem(response, 422, "malformed_body")
    assert "UTF-8" in body["detail"]


# -- invisible characters and the duplicate rule ----------------------------------------------------

INVISIBLES = [
    "\u00ad",  # soft hyphen
    "\u200e",  # left-to-right mark
    "\u200f",
    "\u061c",  # Arabic letter mark
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u2061",
    "\u2063",
    "\u180e",
    "\u034f",  # combining grapheme joiner
    "\ufe0f",  # variation selector
    "\U000e0041",  # tag letter A
    "\u3164",  # Hangul filler
    "\u2800",  # Braille blank
]


@pytest.mark.parametrize("invisible", INVISIBLES, ids=[f"U+{ord(c):04X}" for c in INVISIBLES])
def test_given_a_memory_when_the_same_words_arrive_with_an_invisible_character_then_409(api, invisible) -> None:
    first = api.remember("alice", "Lives in Berlin")
    response = api.post(PATH, json={"user_id": "alice", "content": f"Lives in{invisible} Ber{invisible}lin"})
    assert assert_problem(response, 409)["existing_id"] == first["id"]


def test_content_of_only_invisible_characters_is_blank(api) -> None:
    assert_problem(api.post(PATH, json={"user_id": "alice", "content": "".join(INVISIBLES)}), 422, "content_blank")


@pytest.mark.parametrize(
    "fields",
    [
        {"summary": "bell\x07"},
        {"topics": ["tra\x1bvel"]},
        {"topics": ["\u200b"]},
        {"entities": [{"name": "Ber\x00lin", "type": "place"}]},
        {"entities": [{"name": "\u2800", "type": "place"}]},
    ],
)
def test_control_characters_outside_content_are_refused(api, fields) -> None:
    assert_problem(api.post(PATH, json={"user_id": "alice", "content": "Lives in Berlin", **fields}), 422)


# -- dates outside what UTC can hold ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (PATH, {"user_id": "alice", "created_after": "0001-01-01T00:00:00+14:00"}),
        (PATH, {"user_id": "alice", "created_before": "9999-12-31T23:59:59-14:00"}),
        (f"{PATH}/search", {"user_id": "alice", "q": "x", "start_date": "0001-01-01T00:00:00+14:00"}),
        (f"{PATH}/search", {"user_id": "alice", "q": "x", "end_date": "9999-12-31T23:59:59-14:00"}),
    ],
)
def test_dates_that_overflow_utc_in_queries_are_422(api, path, params) -> None:
    assert_problem(api.get(path, params=params), 422, "invalid_input")


def test_an_expiry_that_overflows_utc_is_422_on_create_and_update(api) -> None:
    late = "9999-12-31T23:59:59-14:00"
    assert_problem(api.post(PATH, json={"user_id": "alice", "content": "x", "expires_at": late}), 422)
    memory = api.remember("alice", "Lives in Berlin")
    assert_problem(api.patch(f"{PATH}/{memory['id']}", json={"user_id": "alice", "expires_at": late}), 422)


# -- parameters and flags ----------------------------------------------------------------------------


def test_a_repeated_query_parameter_is_refused_not_last_wins(api) -> None:
    api.remember("alice", "Lives in Berlin")
    response = api.get(f"{PATH}?user_id=bob&user_id=alice")
    body = assert_problem(response, 422, "repeated_parameter")
    assert "user_id" in body["detail"]


@pytest.mark.parametrize("flag", ["dry_run", "force"])
@pytest.mark.parametrize("value", ["yes", "true", 1, "1"])
def test_job_flags_must_be_json_booleans(api, flag, value) -> None:
    assert_problem(api.post("/v1/jobs/optimize", json={"user_id": "alice", flag: value}), 422, "invalid_input")


# -- the OpenAPI document -------------------------------------------------------------------------


def test_every_operation_documents_its_problem_statuses_as_problem_json(client) -> None:
    document = client.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            statuses = {int(status) for status in operation["responses"] if int(status) >= 400}
            expected = {413, 422} if path == "/healthz" else {401, 403, 413, 422, 503}
            assert expected <= statuses, (method, path, statuses)
            if "{memory_id}" in path or "{operation_id}" in path:
                assert 404 in statuses, (method, path)
            for status in statuses:
                content = operation["responses"][str(status)]["content"]
                assert list(content) == ["application/problem+json"], (method, path, status)
    assert document["paths"]["/v1/memories"]["post"]["responses"].keys() >= {"409", "502"}


# -- files at rest ---------------------------------------------------------------------------------


def test_the_local_database_and_its_journal_are_owner_only(tmp_path) -> None:
    from agent_memory.config import Config
    from agent_memory.domain.models import Scope
    from agent_memory.runtime import Runtime

    runtime = Runtime(Config(data_dir=tmp_path / "data", embedder="hashing"))
    try:
        runtime.keys.create("acme", frozenset({Scope.READ}))
        files = sorted((tmp_path / "data").glob("memory.db*"))
        assert {f.name for f in files} >= {"memory.db", "memory.db-wal", "memory.db-shm"}
        for file in files:
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
    finally:
        runtime.close()
