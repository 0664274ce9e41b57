"""Teammate's memory API (its documentation page, /work/shared/seeds/002_*) served by agent-memory, on both backends.

The page names no paths and shows no request: every behaviour it documents (300-character memories, 409 on
normalised duplicates, `source` api/agent, delete needing the user, strict isolation per user, seeding before the
first run, the built-in save-memory tool, previous runs and turning either off for one run) runs here against
`/api/users/{user_id}/memories` and the conversation turn the runs map onto.
"""

from __future__ import annotations

import pytest

from agent_memory.domain.models import Scope
from tests.conftest import Api

USER = "user_42"
MEMORIES = f"/api/users/{USER}/memories"
FIELDS = {"id", "user_id", "content", "source", "created_at", "updated_at"}


@pytest.fixture
def teammate(client, runtime) -> Api:
    """A tenant key naming its users, as Teammate's clients pass `user_id` on every call."""
    key, _ = runtime.keys.create("acme", frozenset({Scope.READ, Scope.WRITE}))
    return Api(client, key)


def create(caller: Api, content: str, user: str = USER, **fields) -> dict:  # type: ignore[no-untyped-def]
    response = caller.post(f"/api/users/{user}/memories", json={"content": content, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def listed(caller: Api, user: str = USER, **params) -> list[dict]:  # type: ignore[no-untyped-def]
    response = caller.get(f"/api/users/{user}/memories", params=params)
    assert response.status_code == 200, response.text
    return response.json()["memories"]


def turn(caller: Api, thread: str, said: str, answered: str | None = None, **fields):  # type: ignore[no-untyped-def]
    messages = [{"role": "user", "content": said}]
    if answered is not None:
        messages.append({"role": "assistant", "content": answered})
    body = {"user_id": USER, "messages": messages, **fields}
    response = caller.post(f"/v1/conversations/{thread}/messages", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_given_a_short_fact_when_created_then_201_with_source_api(teammate) -> None:
    # When a memory is created through the API
    response = teammate.post(MEMORIES, json={"content": "Prefers concise answers with code examples"})
    # Then 201 with the memory, `source: "api"`, the user's
    assert response.status_code == 201, response.text
    memory = response.json()
    assert set(memory) == FIELDS
    assert (memory["user_id"], memory["content"], memory["source"]) == (
        USER,
        "Prefers concise answers with code examples",
        "api",
    )
    # And it is listed
    assert [m["id"] for m in listed(teammate)] == [memory["id"]]


def test_given_a_memory_when_the_same_text_differs_in_case_and_whitespace_then_409(teammate) -> None:
    first = create(teammate, "Works in the Berlin office")
    # When the same fact comes again, in other case and spacing
    again = teammate.post(MEMORIES, json={"content": "  works in the   BERLIN office "})
    # Then 409 Conflict naming the stored one, and nothing is added
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "duplicate_memory" and again.json()["existing_id"] == first["id"]
    assert len(listed(teammate)) == 1
    # And the same text for another user is that user's own memory (duplicates are per user)
    assert create(teammate, "Works in the Berlin office", user="user_7")["user_id"] == "user_7"


def test_given_the_300_character_limit_then_300_is_kept_and_301_is_422(teammate) -> None:
    # When a memory of exactly 300 characters and one of 301 are created
    assert create(teammate, "a" * 299 + "b")["content"] == "a" * 299 + "b"
    too_long = teammate.post(MEMORIES, json={"content": "c" * 301})
    # Then the first is kept, the second refused
    assert too_long.status_code == 422 and too_long.json()["code"] == "content_too_long", too_long.text


def test_given_api_and_agent_memories_when_listed_by_source_then_each_only(teammate) -> None:
    mine = create(teammate, "Timezone is Europe/Berlin")
    # Given a memory the teammate saved with its built-in tool (the tool call, forwarded)
    saved = create(teammate, "Prefers weekly summaries on Fridays", source="agent")
    assert saved["source"] == "agent"
    # When listed, all and by source
    everything = listed(teammate)
    # Then newest first with their sources; `source` keeps only those
    assert [(m["id"], m["source"]) for m in everything] == [(saved["id"], "agent"), (mine["id"], "api")]
    assert [m["id"] for m in listed(teammate, source="agent")] == [saved["id"]]
    assert [m["id"] for m in listed(teammate, source="api")] == [mine["id"]]
    page = teammate.get(MEMORIES, params={"limit": 1}).json()
    assert page["total"] == 2 and len(page["memories"]) == 1 and page["next_cursor"]
    rest = teammate.get(MEMORIES, params={"limit": 1, "cursor": page["next_cursor"]}).json()
    assert [m["id"] for m in rest["memories"]] == [mine["id"]] and rest["next_cursor"] is None


def test_given_a_memory_when_deleted_with_its_user_then_204_and_with_another_user_404(teammate) -> None:
    memory = create(teammate, "Owns a standing desk")
    # When deleted under another user
    wrong = teammate.delete(f"/api/users/user_7/memories/{memory['id']}")
    # Then 404 and it stays
    assert wrong.status_code == 404 and wrong.headers["content-type"] == "application/problem+json"
    assert [m["id"] for m in listed(teammate)] == [memory["id"]]
    # And deleted without a user there is no such operation
    assert teammate.delete(f"/api/memories/{memory['id']}").status_code in (404, 405)
    # When deleted under its user / Then 204, empty, gone; again 404
    gone = teammate.delete(f"{MEMORIES}/{memory['id']}")
    assert gone.status_code == 204 and gone.content == b""
    assert listed(teammate) == []
    assert teammate.delete(f"{MEMORIES}/{memory['id']}").status_code == 404


def test_given_two_users_then_memories_are_strictly_isolated(teammate, client, runtime) -> None:
    create(teammate, "Is allergic to peanuts")
    create(teammate, "Plays the cello", user="user_7")
    # When each user's memories are listed / Then only their own
    assert [m["content"] for m in listed(teammate)] == ["Is allergic to peanuts"]
    assert [m["content"] for m in listed(teammate, user="user_7")] == ["Plays the cello"]
    # And a key bound to user_7 cannot reach user_42 at all (403), and reads its own
    key, _ = runtime.keys.create("acme", frozenset({Scope.READ, Scope.WRITE}), user_id="user_7")
    bound = Api(client, key)
    assert bound.get(MEMORIES).status_code == 403
    assert bound.post(MEMORIES, json={"content": "pwned"}).status_code == 403
    assert [m["content"] for m in listed(bound, user="user_7")] == ["Plays the cello"]
    # And another tenant sees none of them
    other, _ = runtime.keys.create("globex", frozenset({Scope.READ, Scope.WRITE}))
    assert listed(Api(client, other)) == []


def test_given_memories_seeded_at_onboarding_when_the_first_run_executes_then_they_are_in_its_context(
    teammate,
) -> None:
    # Given memories seeded before the first run
    for fact in ("Role is data engineer", "Prefers Python for scripts", "Team uses Snowflake"):
        create(teammate, fact)
    # When the first run executes for that user (the turn, asking for the user's standing facts)
    run = turn(teammate, "run-1", "Draft my weekly plan", memory="readonly", profile=True)
    # Then every seeded memory is in the context put in front of the model
    for fact in ("Role is data engineer", "Prefers Python for scripts", "Team uses Snowflake"):
        assert fact in run["context"]


def test_given_runs_when_saved_memories_are_on_or_off_then_saved_with_source_agent_or_not(teammate) -> None:
    # Given a run with saved memories off: nothing is saved from it
    off = turn(teammate, "run-1", "I prefer dark mode in every editor.", memory="auto", save_memories=False)
    assert off["saved"] == [] and listed(teammate) == []
    # When the teammate's memory tool saves during a run (its call forwarded with source agent)
    saved = create(teammate, "Prefers dark mode in every editor", source="agent")
    # Then it is listed as the agent's, and included in the next run for that user
    assert [m["id"] for m in listed(teammate, source="agent")] == [saved["id"]]
    run = turn(teammate, "run-2", "Which editor theme do I prefer, dark mode?", memory="readonly")
    assert "Prefers dark mode in every editor" in run["context"]


def test_given_an_earlier_run_when_a_new_run_starts_then_previous_runs_are_in_context_unless_off(teammate) -> None:
    # Given a run whose output planned a migration
    turn(teammate, "run-1", "Plan the Postgres migration", "Migration plan: dump, restore, switch the Postgres DNS")
    # When a later run, in another thread, asks about it
    later = turn(teammate, "run-2", "Continue the Postgres migration", memory="readonly")
    # Then the earlier output comes with it, in the context too
    assert [r["thread_id"] for r in later["previous_runs"]] == ["run-1"]
    assert "Migration plan: dump, restore" in later["context"]
    # And the teammate can search previous run outputs
    found = teammate.get("/v1/runs/search", params={"user_id": USER, "q": "Postgres DNS"}).json()
    assert [r["content"] for r in found["results"]][:1] == ["Migration plan: dump, restore, switch the Postgres DNS"]
    # When previous run history is disabled for a run / Then none
    alone = turn(teammate, "run-3", "Continue the Postgres migration", memory="readonly", previous_runs=False)
    assert alone["previous_runs"] == [] and "Migration plan" not in alone["context"]
    # And another user's runs never come back
    other = teammate.post(
        "/v1/conversations/run-4/messages",
        json={
            "user_id": "user_7",
            "memory": "readonly",
            "messages": [{"role": "user", "content": "Postgres migration"}],
        },
    ).json()
    assert other["previous_runs"] == []


@pytest.mark.parametrize(
    ("method", "path", "body", "params"),
    [
        ("POST", MEMORIES, {}, None),  # content missing
        ("POST", MEMORIES, {"content": 42}, None),  # wrong type
        ("POST", MEMORIES, {"content": "   "}, None),  # blank
        ("POST", MEMORIES, {"content": "Likes tea", "source": "model"}, None),  # unknown source
        ("POST", MEMORIES, {"content": "Likes tea", "importance": 2}, None),  # unknown field
        ("POST", MEMORIES, ["Likes tea"], None),  # not an object
        ("GET", MEMORIES, None, {"source": "conversation"}),
        ("GET", MEMORIES, None, {"limit": 0}),
        ("GET", MEMORIES, None, {"limit": "many"}),
        ("GET", MEMORIES, None, {"cursor": "forged"}),
        ("POST", "/api/users/" + "u" * 300 + "/memories", {"content": "Likes tea"}, None),
    ],
)
def test_given_bad_input_then_422_problem(teammate, method, path, body, params) -> None:
    # When the request is malformed / Then 422 problem+json, and nothing is stored
    response = teammate.request(method, path, json=body, params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert listed(teammate) == []


def test_given_no_key_or_a_read_only_key_then_refused(teammate, client, runtime) -> None:
    memory = create(teammate, "Drinks oat milk")
    # When called without a key / Then 401
    assert client.get(MEMORIES).status_code == 401
    # When a read-only key writes / Then 403, and it still reads
    key, _ = runtime.keys.create("acme", frozenset({Scope.READ}))
    reader = Api(client, key)
    assert reader.post(MEMORIES, json={"content": "Drinks black coffee"}).status_code == 403
    assert reader.delete(f"{MEMORIES}/{memory['id']}").status_code == 403
    assert [m["id"] for m in listed(reader)] == [memory["id"]]


def test_given_a_key_bound_to_an_agent_then_it_keeps_to_that_agents_memories(teammate, client, runtime) -> None:
    theirs = create(teammate, "Uses Linux at home")
    key, _ = runtime.keys.create("acme", frozenset({Scope.READ, Scope.WRITE}), user_id=USER, agent_id="teammate-1")
    bound = Api(client, key)
    # When the agent's key creates and lists / Then only its own memories, and another's is not found
    mine = create(bound, "Uses macOS at work", source="agent")
    assert [m["id"] for m in listed(bound)] == [mine["id"]]
    assert bound.delete(f"{MEMORIES}/{theirs['id']}").status_code == 404
    assert {m["id"] for m in listed(teammate)} == {theirs["id"], mine["id"]}


# -- in production: each operation is a Lambda function behind API Gateway (infra/catalog.py) ----------------------


@pytest.mark.parametrize("runtime", ["aws"], indirect=True)
def test_given_each_function_when_it_handles_its_sample_event_then_it_answers_as_documented(
    runtime, monkeypatch
) -> None:
    from agent_memory.domain.models import NewMemory
    from agent_memory.entry import shared
    from tests.integration.test_lambda_handlers import call, load_event

    monkeypatch.setattr(shared, "shared_runtime", lambda: runtime)
    # Given alice's memory; the sample events carry a key bound to alice in the authorizer's context
    seeded = runtime.memories.create("acme", NewMemory(user_id="alice", content="Prefers window seats")).id
    for name, status in (("teammate_create_memory", 201), ("teammate_list_memories", 200)):
        # When the function handles its sample event / Then the documented status, as JSON
        response = call(f"api/{name}", load_event(f"api/{name}.json"))
        assert response["statusCode"] == status, (name, response["body"])
        assert response["headers"]["content-type"].startswith("application/json"), name
    deleted = call("api/teammate_delete_memory", load_event("api/teammate_delete_memory.json", memory_id=seeded))
    assert deleted["statusCode"] == 204, deleted["body"]
