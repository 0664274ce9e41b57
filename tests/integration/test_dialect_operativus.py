"""Operativus's memory API (its documentation page, /work/shared/seeds/004_*) served by agent-memory, on both
backends.

Every cURL example of the page runs verbatim (the base URL is the test client's; `{token}` is a key bound to
`user_abc123`, the user the examples name), with the documented status and shape; bad input, other users' ids and
keys bound to nobody are refused.
"""

from __future__ import annotations

import json
import math

import pytest

from agent_memory.domain.models import MemoryFilter, Owner, Scope
from tests.conftest import Bearer, Jobs

USER = "user_abc123"
FACTS = [
    "User prefers responses in bullet-point format.",
    "User prefers dark mode in all applications.",
    "User works in the finance department and focuses on equity research.",
]


@pytest.fixture
def operativus(client, runtime) -> Bearer:
    key, _ = runtime.keys.create("acme", frozenset({Scope.READ, Scope.WRITE}), user_id=USER)
    return Bearer(client, key)


def curl(caller: Bearer, method: str, url: str, data: str | None = None):  # type: ignore[no-untyped-def]
    """A cURL example of the page as written: its method, URL, headers and --data."""
    headers = {"Content-Type": "application/json"} if data is not None else {}
    return caller.request(method, url.replace("http://localhost:8080", ""), content=data, headers=headers)


def remember(caller: Bearer, content: str) -> None:
    response = caller.post("/api/memories", json={"content": content})
    assert response.status_code == 200, response.text


def test_given_the_add_example_when_sent_verbatim_then_memory_saved(operativus, api) -> None:
    # When the page's example is sent as written
    response = curl(
        operativus,
        "POST",
        "http://localhost:8080/api/memories",
        '{ "content": "User prefers responses in bullet-point format." }',
    )
    # Then {"message": "Memory saved"}, and the fact is the key's user's
    assert response.status_code == 200, response.text
    assert response.json() == {"message": "Memory saved"}
    stored = api.get("/v1/memories", params={"user_id": USER}).json()["items"]
    assert [m["content"] for m in stored] == ["User prefers responses in bullet-point format."]
    # And the same fact again is a duplicate (our problem+json)
    again = operativus.post("/api/memories", json={"content": "USER prefers responses in  bullet-point format."})
    assert again.status_code == 409 and again.json()["code"] == "duplicate_memory"


def test_given_facts_when_the_search_example_is_sent_then_strings_best_first(operativus) -> None:
    for fact in FACTS:
        remember(operativus, fact)
    # When the page's example is sent as written
    response = curl(operativus, "GET", "http://localhost:8080/api/memories?query=user+preferences")
    # Then a JSON array of the memories' contents, the preferences first
    assert response.status_code == 200
    found = response.json()
    assert isinstance(found, list) and all(isinstance(item, str) for item in found)
    assert sorted(found) == sorted(FACTS)
    assert set(found[:2]) == set(FACTS[:2])
    # And a query about nothing stored is an empty array; limit caps the answer
    assert operativus.get("/api/memories", params={"query": "submarine volcano"}).json() == []
    assert len(operativus.get("/api/memories", params={"query": "user", "limit": 1}).json()) == 1


def test_given_memories_when_the_delete_example_is_sent_then_204_and_only_named_ids_go(operativus, api) -> None:
    for fact in FACTS:
        remember(operativus, fact)
    ids = [m["id"] for m in api.get("/v1/memories", params={"user_id": USER}).json()["items"]]
    # When the page's example is sent as written (ids that do not exist) / Then 204 with an empty body
    example = curl(
        operativus, "DELETE", "http://localhost:8080/api/memories", '["mem_id_001", "mem_id_002", "mem_id_003"]'
    )
    assert example.status_code == 204 and example.content == b""
    # When real ids are sent the same way / Then those memories are gone and the other stays
    response = curl(operativus, "DELETE", "http://localhost:8080/api/memories", f'["{ids[0]}", "{ids[1]}"]')
    assert response.status_code == 204
    assert [m["id"] for m in api.get("/v1/memories", params={"user_id": USER}).json()["items"]] == ids[2:]


def test_given_the_optimize_example_when_sent_twice_then_one_job(operativus, api, jobs: Jobs) -> None:
    for fact in [*FACTS, "User prefers responses in bullet-point format"]:
        remember(operativus, fact)
    jobs.hold()
    # When the page's example is sent, and again while the first runs
    first = curl(operativus, "POST", "http://localhost:8080/api/memories/optimize?userId=user_abc123")
    second = curl(operativus, "POST", "http://localhost:8080/api/memories/optimize?userId=user_abc123")
    # Then {"jobId"} at once, and the second queues nothing: the same job
    assert first.status_code == 202, first.text
    assert set(first.json()) == {"jobId"} and first.json()["jobId"]
    assert second.status_code == 200 and second.json() == first.json()
    jobs.drain()
    done = api.get(f"/v1/operations/{first.json()['jobId']}").json()
    assert (done["kind"], done["user_id"], done["status"]) == ("optimize", USER, "succeeded")
    # And without userId it is the key's user
    assert operativus.post("/api/memories/optimize").json()["jobId"] != first.json()["jobId"]
    jobs.drain()


def test_given_memories_when_the_stats_example_is_sent_then_counts_and_tokens(operativus) -> None:
    for fact in FACTS:
        remember(operativus, fact)
    response = curl(operativus, "GET", "http://localhost:8080/api/memories/stats?userId=user_abc123")
    assert response.status_code == 200
    assert response.json() == {
        "totalMemories": 3,
        "estimatedTokens": math.ceil(sum(len(f) for f in FACTS) / 4),
        "userId": USER,
    }
    assert operativus.get("/api/memories/stats").json()["userId"] == USER


def test_given_topics_when_the_topics_example_is_sent_then_labels_most_used_first(operativus, api, jobs) -> None:
    # Given memories with topics, and others that optimize gives topics to
    assert curl(operativus, "GET", "http://localhost:8080/api/memories/topics?userId=user_abc123").json() == []
    api.remember(USER, "Prefers short replies", topics=["communication style"])
    api.remember(USER, "Prefers written updates", topics=["communication style", "work preferences"])
    remember(operativus, FACTS[2])
    # When the page's example is sent as written
    response = curl(operativus, "GET", "http://localhost:8080/api/memories/topics?userId=user_abc123")
    # Then an array of labels, the most used first
    assert response.status_code == 200
    assert response.json()[:2] == ["communication style", "work preferences"]
    assert all(isinstance(label, str) for label in response.json())
    # And optimize refreshes them: the memory without topics gets one
    operativus.post("/api/memories/optimize")
    jobs.drain()
    assert len(operativus.get("/api/memories/topics").json()) > len(response.json())


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("POST", "/api/memories", "{}"),
        ("POST", "/api/memories", '{"content": ""}'),
        ("POST", "/api/memories", '{"content": "   "}'),
        ("POST", "/api/memories", '{"content": 42}'),
        ("POST", "/api/memories", '{"content": "x", "importance": 1}'),
        ("POST", "/api/memories", '"User likes tea"'),
        ("POST", "/api/memories", "{not json"),
        ("POST", "/api/memories", '{"content": "' + "x" * 301 + '"}'),
        ("GET", "/api/memories", None),
        ("GET", "/api/memories?query=", None),
        ("GET", "/api/memories?query=x&limit=0", None),
        ("GET", "/api/memories?query=x&query=y", None),
        ("DELETE", "/api/memories", None),
        ("DELETE", "/api/memories", "[]"),
        ("DELETE", "/api/memories", '{"ids": ["a"]}'),
        ("DELETE", "/api/memories", "[1, 2]"),
        ("DELETE", "/api/memories", '[""]'),
        ("DELETE", "/api/memories", str([f"id{i}" for i in range(101)]).replace("'", '"')),
        ("POST", "/api/memories/optimize?userId=", None),
        ("GET", "/api/memories/stats?userId=", None),
        ("GET", "/api/memories/topics?userId=" + "u" * 129, None),
    ],
)
def test_given_bad_input_then_422_problem(operativus, method, path, data) -> None:
    response = curl(operativus, method, path, data)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_given_another_users_ids_or_user_id_then_refused_and_unchanged(operativus, api) -> None:
    bobs = api.remember("bob", "Bob's secret plan")
    # Another user's ids are not the caller's: nothing of bob's is deleted
    assert curl(operativus, "DELETE", "/api/memories", f'["{bobs["id"]}"]').status_code == 204
    assert api.get(f"/v1/memories/{bobs['id']}", params={"user_id": "bob"}).status_code == 200
    # Naming bob with a key bound to user_abc123 is 403 everywhere, and says nothing of him
    for method, path, data in (
        ("POST", "/api/memories?userId=bob", '{"content": "x"}'),
        ("GET", "/api/memories?userId=bob&query=secret", None),
        ("DELETE", "/api/memories?userId=bob", f'["{bobs["id"]}"]'),
        ("POST", "/api/memories/optimize?userId=bob", None),
        ("GET", "/api/memories/stats?userId=bob", None),
        ("GET", "/api/memories/topics?userId=bob", None),
    ):
        response = curl(operativus, method, path, data)
        assert response.status_code == 403 and "secret" not in response.text, (path, response.text)
    assert operativus.get("/api/memories", params={"query": "secret plan"}).json() == []


def test_given_a_key_bound_to_no_user_then_user_id_is_required_and_honoured(api, client) -> None:
    unbound = Bearer(client, api.key)
    # Without userId a key bound to no user cannot say whose memories: 422 naming the parameter
    missing = unbound.get("/api/memories", params={"query": "tea"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["loc"] == "query.userId"
    # With userId it works for that user, as the page says
    assert unbound.post("/api/memories?userId=carol", json={"content": "Likes tea"}).status_code == 200
    assert unbound.get("/api/memories", params={"query": "tea", "userId": "carol"}).json() == ["Likes tea"]
    assert unbound.get("/api/memories/stats", params={"userId": "carol"}).json()["totalMemories"] == 1
    # No key, or a wrong one: 401
    assert client.get("/api/memories", params={"query": "tea", "userId": "carol"}).status_code == 401
    assert Bearer(client, "am_nope").get("/api/memories/topics").status_code == 401


def test_given_a_key_bound_to_an_agent_then_it_keeps_to_that_agents_memories(client, runtime, api) -> None:
    key, _ = runtime.keys.create("acme", frozenset({Scope.READ, Scope.WRITE}), user_id=USER, agent_id="ops")
    agent = Bearer(client, key)
    api.remember(USER, "Prefers dark mode", agent_id="other")
    assert agent.post("/api/memories", json={"content": "Prefers light mode"}).status_code == 200
    assert agent.get("/api/memories", params={"query": "mode"}).json() == ["Prefers light mode"]
    assert agent.get("/api/memories/stats").status_code == 403
    assert agent.post("/api/memories/optimize").status_code == 403


@pytest.mark.parametrize("runtime", ["aws"], indirect=True)
def test_given_each_function_when_it_handles_its_sample_event_then_it_answers_as_documented(
    runtime, jobs: Jobs, monkeypatch
) -> None:
    from tests.integration.test_dialect_snippbot import sample_event_answers

    expected = {
        "operativus_add": (200, {"message": "Memory saved"}),
        "operativus_search": (200, ["User prefers dark mode", "User prefers responses in bullet-point format."]),
        "operativus_stats": (200, {"totalMemories": 2, "estimatedTokens": math.ceil((22 + 46) / 4), "userId": "alice"}),
        "operativus_topics": (200, None),
        "operativus_optimize": (202, None),
        "operativus_delete": (204, None),
    }
    answers = sample_event_answers(runtime, monkeypatch, "User prefers dark mode", list(expected))
    for name, (status, body) in expected.items():
        response = answers[name]
        assert response["statusCode"] == status, (name, response["body"])
        if body is not None:
            answer = json.loads(response["body"])
            assert (sorted(answer) if isinstance(answer, list) else answer) == body, name
    assert runtime.memories.list_memories(Owner("acme", "alice"), MemoryFilter()).total == 1
