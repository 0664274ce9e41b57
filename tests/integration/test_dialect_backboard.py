"""Backboard's memory API (its documentation page, /work/shared/seeds/000_*) served by agent-memory, on both backends.

Every request the page shows runs here verbatim (its base URL, https://app.backboard.io, is the test client's), then
the behaviour it documents: memory modes on thread messages, cross-thread recall per assistant, the assistant's
memories listed, added, updated, deleted and counted, and writes reported as operations with a status.
"""

from __future__ import annotations

import pytest

from agent_memory.domain.models import MemoryFilter, Owner, Scope
from tests.conftest import Api

USER = "user_42"
FIELDS = {"id", "content", "metadata", "score", "created_at", "updated_at"}


@pytest.fixture
def backboard(client, runtime) -> Api:
    """A key bound to one user, as Backboard's requests name no user."""
    key, _ = runtime.keys.create("acme", frozenset({Scope.READ, Scope.WRITE}), user_id=USER)
    return Api(client, key)


def bound(client, runtime, user_id: str | None = USER, *scopes: Scope) -> Api:  # type: ignore[no-untyped-def]
    key, _ = runtime.keys.create("acme", frozenset(scopes or (Scope.READ, Scope.WRITE)), user_id=user_id)
    return Api(client, key)


def thread(caller: Api, assistant: str) -> str:
    response = caller.post(f"/api/assistants/{assistant}/threads")
    assert response.status_code == 201, response.text
    return response.json()["thread_id"]


def add(caller: Api, assistant: str, content: str) -> dict:
    response = caller.post(f"/api/assistants/{assistant}/memories", json={"content": content})
    assert response.status_code == 200, response.text
    return response.json()


def contents(caller: Api, assistant: str) -> list[str]:
    response = caller.get(f"/api/assistants/{assistant}/memories")
    assert response.status_code == 200, response.text
    return [m["content"] for m in response.json()["memories"]]


def message(caller: Api, thread_id: str, content: str, memory: str = "Auto") -> dict:
    data = {"content": content, "stream": "false", "memory": memory}
    response = caller.post(f"/api/threads/{thread_id}/messages", data=data)
    assert response.status_code == 200, response.text
    return response.json()


# --- the page's examples, verbatim ---


def test_given_the_pages_message_example_when_sent_form_encoded_then_the_preference_is_saved(backboard) -> None:
    thread_id = thread(backboard, "asst_1")
    headers = {"X-API-Key": backboard.key}

    # Message with memory enabled
    response = backboard.client.post(
        f"/api/threads/{thread_id}/messages",
        headers=headers,
        data={
            "content": "I prefer Python over JavaScript for backend development",
            "stream": "false",
            "memory": "Auto",
        },
    )

    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["thread_id"], answer["assistant_id"], answer["role"], answer["memory"]) == (
        thread_id,
        "asst_1",
        "assistant",
        "auto",
    )
    # no chat model is configured: the answer says so and carries what the assistant would be given
    assert answer["content"] is None and answer["model_configured"] is False and answer["model"] is None
    assert len(answer["saved_memory_ids"]) == 1
    assert any("Python" in c for c in contents(backboard, "asst_1"))


def test_given_the_pages_list_example_when_run_then_memories_hold_content(backboard) -> None:
    assistant_id = "your-assistant-id"
    add(backboard, assistant_id, "Works at a robotics startup")

    response = backboard.client.get(f"/api/assistants/{assistant_id}/memories", headers={"X-API-Key": backboard.key})

    assert response.status_code == 200, response.text
    memories = response.json()
    assert [memory["content"] for memory in memories["memories"]] == ["Works at a robotics startup"]
    assert set(memories["memories"][0]) == FIELDS and memories["total_count"] == 1


def test_given_the_pages_add_example_when_run_then_the_memory_is_written_as_a_completed_operation(backboard) -> None:
    assistant_id = "your-assistant-id"

    response = backboard.client.post(
        f"/api/assistants/{assistant_id}/memories",
        headers={"X-API-Key": backboard.key},
        json={"content": "User is a senior software engineer with 10 years of experience"},
    )

    assert response.status_code == 200, response.text
    written = response.json()
    assert written["success"] is True and written["status"] == "COMPLETED"
    assert written["content"] == "User is a senior software engineer with 10 years of experience"
    assert written["operation_id"] == f"op_add_{written['memory_id']}"
    status = backboard.get(f"/api/assistants/{assistant_id}/memories/operations/{written['operation_id']}")
    assert status.status_code == 200, status.text
    assert status.json() == {
        "operation_id": written["operation_id"],
        "status": "COMPLETED",
        "memory_id": written["memory_id"],
        "action": "add",
    }


def test_given_the_pages_delete_example_when_run_then_the_memory_is_gone(backboard) -> None:
    assistant_id = "your-assistant-id"
    memory_id = add(backboard, assistant_id, "Has a cat named Miso")["memory_id"]

    response = backboard.client.delete(
        f"/api/assistants/{assistant_id}/memories/{memory_id}", headers={"X-API-Key": backboard.key}
    )

    assert response.status_code == 200, response.text
    assert response.json()["operation_id"] == f"op_delete_{memory_id}" and response.json()["status"] == "COMPLETED"
    assert contents(backboard, assistant_id) == []


def test_given_the_pages_stats_example_when_run_then_total_count_is_the_assistants(backboard) -> None:
    assistant_id = "your-assistant-id"
    add(backboard, assistant_id, "Has a cat named Miso")
    add(backboard, assistant_id, "Runs marathons")
    add(backboard, "another-assistant", "Plays the cello")

    response = backboard.client.get(
        f"/api/assistants/{assistant_id}/memories/stats", headers={"X-API-Key": backboard.key}
    )

    assert response.status_code == 200, response.text
    stats = response.json()
    assert (stats["total_count"], stats["user_total_count"], stats["assistant_id"]) == (2, 3, assistant_id)


# --- the page's flow: cross-thread memory per assistant ---


def test_given_a_preference_in_thread_1_when_thread_2_of_the_same_assistant_asks_then_it_is_recalled(
    backboard,
) -> None:
    message(backboard, thread(backboard, "asst_1"), "I prefer Python over JavaScript for backend development")

    answer = message(backboard, thread(backboard, "asst_1"), "Which language do I prefer for backend development?")

    assert any("Python" in r["memory"] for r in answer["retrieved_memories"])
    assert "Python" in answer["memory_context"]


def test_given_assistant_1_remembers_when_assistant_2_asks_then_it_never_recalls_it(backboard) -> None:
    message(backboard, thread(backboard, "asst_1"), "I prefer Python over JavaScript for backend development")

    answer = message(backboard, thread(backboard, "asst_2"), "Which language do I prefer for backend development?")

    assert answer["retrieved_memories"] == [] and "Python" not in answer["memory_context"]
    assert contents(backboard, "asst_2") == []


@pytest.mark.parametrize("mode", ["Off", "off", "Readonly", "READONLY"])
def test_given_off_or_readonly_when_a_fact_is_said_then_nothing_is_saved(backboard, mode: str) -> None:
    answer = message(backboard, thread(backboard, "asst_1"), "I prefer Python over JavaScript", memory=mode)

    assert answer["saved_memory_ids"] == [] and answer["memory"] == mode.lower()
    assert contents(backboard, "asst_1") == []


def test_given_mode_on_when_a_json_message_is_sent_then_it_is_saved_and_off_recalls_nothing(backboard) -> None:
    thread_id = thread(backboard, "asst_1")
    body = {"content": "I prefer Python over JavaScript for backend development", "memory": "On"}

    saved = backboard.post(f"/api/threads/{thread_id}/messages", json=body)
    off = message(backboard, thread_id, "Which language do I prefer for backend development?", memory="Off")

    assert saved.status_code == 200 and saved.json()["saved_memory_ids"], saved.text
    assert off["retrieved_memories"] == [] and off["memory_context"] == ""


def test_given_a_chat_model_when_a_message_is_sent_then_it_answers_with_the_memory_context(backboard, runtime) -> None:
    class Responder:
        model = "test-model"
        system = ""

        def reply(self, system: str, messages) -> str:  # type: ignore[no-untyped-def]
            Responder.system = system
            return f"Reply to: {messages[-1].content}"

    runtime.conversations.__dict__["_responder"] = Responder()
    add(backboard, "asst_1", "Prefers Python for backend development")

    answer = message(backboard, thread(backboard, "asst_1"), "Which language for backend development?", "Readonly")

    assert answer["content"] == "Reply to: Which language for backend development?"
    assert answer["model"] == "test-model" and answer["model_configured"] is True
    assert "Prefers Python" in Responder.system


def test_given_an_update_when_put_then_the_content_changes_as_a_completed_operation(backboard) -> None:
    memory_id = add(backboard, "asst_1", "Runs marathons")["memory_id"]

    response = backboard.put(f"/api/assistants/asst_1/memories/{memory_id}", json={"content": "Runs ultramarathons"})

    assert response.status_code == 200, response.text
    assert response.json()["operation_id"] == f"op_update_{memory_id}"
    assert contents(backboard, "asst_1") == ["Runs ultramarathons"]


# --- bad input and isolation ---


def test_given_another_assistants_memory_when_deleted_or_updated_under_this_one_then_404_and_intact(
    backboard,
) -> None:
    memory_id = add(backboard, "asst_1", "Has a cat named Miso")["memory_id"]

    deleted = backboard.delete(f"/api/assistants/asst_2/memories/{memory_id}")
    updated = backboard.put(f"/api/assistants/asst_2/memories/{memory_id}", json={"content": "Has a dog"})

    assert (deleted.status_code, updated.status_code) == (404, 404), (deleted.text, updated.text)
    assert contents(backboard, "asst_1") == ["Has a cat named Miso"]


def test_given_another_users_memory_when_touched_then_404_and_intact(backboard, client, runtime) -> None:
    memory_id = add(backboard, "asst_1", "Has a cat named Miso")["memory_id"]
    stranger = bound(client, runtime, "user_7")

    assert stranger.delete(f"/api/assistants/asst_1/memories/{memory_id}").status_code == 404
    assert stranger.put(f"/api/assistants/asst_1/memories/{memory_id}", json={"content": "x"}).status_code == 404
    assert contents(stranger, "asst_1") == []
    assert contents(backboard, "asst_1") == ["Has a cat named Miso"]


def test_given_a_key_bound_to_no_user_when_any_backboard_call_then_403(client, runtime) -> None:
    unbound = bound(client, runtime, None)

    assert unbound.get("/api/assistants/asst_1/memories").status_code == 403
    assert unbound.post("/api/assistants/asst_1/threads").status_code == 403


@pytest.mark.parametrize(
    "data",
    [
        {"stream": "false", "memory": "Auto"},
        {"content": "", "memory": "Auto"},
        {"content": "hi", "memory": "Sometimes"},
    ],
)
def test_given_missing_content_or_a_wrong_memory_mode_when_a_message_is_sent_then_422(backboard, data) -> None:
    response = backboard.post(f"/api/threads/{thread(backboard, 'asst_1')}/messages", data=data)

    assert response.status_code == 422, response.text


def test_given_a_thread_id_not_made_by_backboard_when_a_message_is_sent_then_404(backboard) -> None:
    response = backboard.post("/api/threads/your-thread-id/messages", data={"content": "hi"})

    assert response.status_code == 404, response.text


def test_given_an_unknown_operation_id_when_its_status_is_asked_then_404(backboard) -> None:
    assert backboard.get("/api/assistants/asst_1/memories/operations/op_merge_x").status_code == 404
    assert backboard.get("/api/assistants/asst_1/memories/operations/nothing").status_code == 404


def test_given_a_read_only_key_when_a_storing_message_is_sent_then_403_and_readonly_is_allowed(client, runtime) -> None:
    reader = bound(client, runtime, USER, Scope.READ)
    thread_id = thread(reader, "asst_1")  # stores nothing: a read-only key may open one

    stored = reader.post(f"/api/threads/{thread_id}/messages", data={"content": "I prefer tea", "memory": "On"})
    read = reader.post(f"/api/threads/{thread_id}/messages", data={"content": "What do I drink?", "memory": "readonly"})

    assert (stored.status_code, read.status_code) == (403, 200), (stored.text, read.text)


def test_given_a_deleted_memory_when_its_operations_are_asked_then_delete_is_completed_and_add_is_gone(
    backboard,
) -> None:
    written = add(backboard, "asst_1", "Has a cat named Miso")
    deleted = backboard.delete(f"/api/assistants/asst_1/memories/{written['memory_id']}").json()

    status = backboard.get(f"/api/assistants/asst_1/memories/operations/{deleted['operation_id']}")
    added = backboard.get(f"/api/assistants/asst_1/memories/operations/{written['operation_id']}")

    assert status.status_code == 200 and status.json()["action"] == "delete", status.text
    assert added.status_code == 404, added.text


# -- in production: each operation is a Lambda function behind API Gateway (infra/catalog.py) ----------------------

LAMBDA_ANSWERS = [  # function (events/api/<name>.json), status; the update and delete last
    ("backboard_list_memories", 200),
    ("backboard_add_memory", 200),
    ("backboard_memory_stats", 200),
    ("backboard_operation_status", 200),
    ("backboard_create_thread", 201),
    ("backboard_message", 200),
    ("backboard_update_memory", 200),
    ("backboard_delete_memory", 200),
]


@pytest.mark.parametrize("runtime", ["aws"], indirect=True)
def test_given_each_function_when_it_handles_its_sample_event_then_it_answers_as_documented(
    runtime, monkeypatch
) -> None:
    from agent_memory.domain.models import NewMemory
    from agent_memory.entry import shared
    from tests.integration.test_lambda_handlers import call, load_event

    monkeypatch.setattr(shared, "shared_runtime", lambda: runtime)
    # Given alice's memory of asst_1; the sample events carry a key bound to alice in the authorizer's context
    new = NewMemory(user_id="alice", content="Prefers window seats", agent_id="asst_1")
    seeded = runtime.memories.create("acme", new).id
    for name, status in LAMBDA_ANSWERS:
        # When the function handles its sample event / Then the documented status, as JSON
        response = call(f"api/{name}", load_event(f"api/{name}.json", memory_id=seeded))
        assert response["statusCode"] == status, (name, response["body"])
        assert response["headers"]["content-type"].startswith("application/json"), name
    assert runtime.memories.list_memories(Owner("acme", "alice"), MemoryFilter(), 10).items[0].agent_id == "asst_1"
