"""Conversations keep their transcripts: every turn is appended to its thread's log (the layout ingested logs use),
an assistant's earlier outputs are searchable and offered as "previous runs", jobs and erasure see the turns, and
memory modes take any case. On both backends."""

from __future__ import annotations

from agent_memory.domain.models import Owner
from agent_memory.runtime import Runtime
from tests.conftest import Api

REPORT = "Here is the quarterly sales report draft: revenue grew 12% in Q3, driven by the Lisbon office."


def turn(api: Api, thread: str, *messages: tuple[str, str], **extra) -> dict:
    body = {"user_id": "alice", "messages": [{"role": r, "content": c} for r, c in messages], **extra}
    response = api.post(f"/v1/conversations/{thread}/messages", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_given_turns_when_sent_then_user_assistant_and_tool_messages_are_kept_in_the_threads_log(
    api: Api, runtime: Runtime
) -> None:
    first = turn(api, "t-1", ("user", "Draft the quarterly sales report"), ("assistant", REPORT), agent_id="writer")
    turn(api, "t-1", ("tool", "sales.csv loaded"), ("user", "Thanks, send it to Maria"))

    assert first["transcript"] == "conversations/acme/alice/t-1.jsonl"
    data, _ = runtime.archive.read(first["transcript"])
    lines = data.decode().splitlines()
    assert [line.split('"role": "')[1].split('"')[0] for line in lines] == ["user", "assistant", "tool", "user"]
    assert runtime.archive.logs_of("acme", "alice") == ["conversations/acme/alice/t-1.jsonl"]
    assert '"agent_id": "writer"' in lines[1]


def test_given_an_earlier_report_when_a_later_turn_asks_about_it_then_it_comes_back_as_a_previous_run(
    api: Api,
) -> None:
    turn(api, "t-1", ("user", "Draft the quarterly sales report"), ("assistant", REPORT), agent_id="writer")

    later = turn(api, "t-2", ("user", "What did the sales report say about revenue?"), agent_id="writer")

    assert [run["thread_id"] for run in later["previous_runs"]] == ["t-1"]
    assert later["previous_runs"][0]["content"] == REPORT
    assert "What you answered this user in earlier conversations:" in later["context"] and REPORT in later["context"]
    # Both can be turned off per turn
    quiet = turn(api, "t-3", ("user", "Remind me of the sales report revenue"), previous_runs=False)
    assert quiet["previous_runs"] == [] and REPORT not in quiet["context"]


def test_given_runs_when_searched_then_only_matching_outputs_of_the_user_come_back(api: Api, other_tenant: Api) -> None:
    turn(api, "t-1", ("user", "Draft the quarterly sales report"), ("assistant", REPORT), agent_id="writer")
    turn(api, "t-2", ("user", "Plan my trip"), ("assistant", "Day one: the Alfama walk."), agent_id="travel")

    found = api.get("/v1/runs/search", params={"user_id": "alice", "q": "quarterly revenue"})

    assert found.status_code == 200, found.text
    assert [r["content"] for r in found.json()["results"]] == [REPORT]
    only_travel = api.get("/v1/runs/search", params={"user_id": "alice", "q": "revenue", "agent_id": "travel"})
    assert only_travel.json()["results"] == []
    assert api.get("/v1/runs/search", params={"user_id": "bob", "q": "revenue"}).json()["results"] == []
    assert other_tenant.get("/v1/runs/search", params={"user_id": "alice", "q": "revenue"}).json()["results"] == []
    assert api.get("/v1/runs/search", params={"user_id": "alice", "q": ""}).status_code == 422
    assert api.get("/v1/runs/search", params={"user_id": "alice", "q": "x", "limit": 21}).status_code == 422


def test_given_save_memories_false_then_nothing_is_extracted_but_the_turn_is_kept(api: Api) -> None:
    answer = turn(api, "t-1", ("user", "I live in Lisbon and I love surfing"), memory="on", save_memories=False)

    assert answer["saved"] == [] and answer["transcript"] is not None
    assert api.get("/v1/memories", params={"user_id": "alice"}).json()["items"] == []


def test_given_a_mode_in_any_case_then_it_is_accepted(api: Api) -> None:
    for spelled, mode in (("Auto", "auto"), ("READONLY", "readonly"), ("On", "on"), ("oFF", "off")):
        assert turn(api, "t-1", ("user", "hello"), memory=spelled)["mode"] == mode
    bad = api.post(
        "/v1/conversations/t-1/messages",
        json={"user_id": "alice", "memory": "Sometimes", "messages": [{"role": "user", "content": "hi"}]},
    )
    assert bad.status_code == 422


def test_given_an_agent_scope_then_only_that_agents_memories_are_recalled(api: Api) -> None:
    api.remember("alice", "Prefers window seats", agent_id="travel")
    api.remember("alice", "Prefers aisle seats on trains", agent_id="rail")

    scoped = turn(api, "t-1", ("user", "Which seats do I prefer?"), agent_id="travel", scope="agent", memory="readonly")
    everyone = turn(api, "t-2", ("user", "Which seats do I prefer?"), agent_id="travel", memory="readonly")

    assert [r["content"] for r in scoped["recalled"]] == ["Prefers window seats"]
    assert len(everyone["recalled"]) == 2
    missing = api.post(
        "/v1/conversations/t-1/messages",
        json={"user_id": "alice", "scope": "agent", "messages": [{"role": "user", "content": "hi"}]},
    )
    assert missing.status_code == 422


def test_given_a_read_only_key_then_its_turns_are_answered_but_not_kept(reader: Api) -> None:
    answer = turn(reader, "t-1", ("user", "What do you know?"), memory="readonly")

    assert answer["transcript"] is None


def test_given_kept_turns_when_episodes_are_generated_and_the_user_erased_then_both_see_them(
    api: Api, admin: Api, runtime: Runtime, jobs
) -> None:
    turn(api, "t-1", ("user", "I adopted a cat called Miso"), ("assistant", "Congratulations on Miso!"))

    started = api.post("/v1/jobs/generate-episodes", json={"user_id": "alice"})
    jobs.drain()
    done = api.get(f"/v1/operations/{started.json()['operation_id']}").json()
    assert done["status"] == "succeeded", done
    insights = api.get("/v1/memories", params={"user_id": "alice", "source": "insight"}).json()["items"]
    assert len(insights) == 1 and "t-1" in insights[0]["thread_id"]

    assert admin.delete("/v1/users/alice").status_code == 202
    jobs.drain()
    assert runtime.archive.logs_of("acme", "alice") == []
    assert runtime.graph.entities(Owner("acme", "alice"))[1] == 0


def test_given_a_task_request_with_profile_then_the_users_standing_facts_come_with_it(api: Api) -> None:
    for content, importance in (
        ("Works as a nurse in Lyon", 0.9),
        ("Is vegetarian", 0.8),
        ("Has a cat named Miso", 0.3),
    ):
        api.remember("alice", content, importance=importance)

    answer = turn(api, "t-1", ("user", "Draft an email to my manager about next week"), memory="readonly", profile=True)

    assert {item["content"] for item in answer["profile"]} == {
        "Works as a nurse in Lyon",
        "Is vegetarian",
        "Has a cat named Miso",
    }
    assert answer["context"].startswith("Standing facts about this user:")
    assert all(item["matched_by"] == "profile" for item in answer["profile"])


def test_given_a_small_budget_then_the_profile_keeps_the_most_important_facts(api: Api) -> None:
    api.remember("alice", "Works as a nurse in Lyon", importance=0.9)
    pets = "Has a cat named Miso, a very old tortoise called Gerald who sleeps all winter in a box of straw, " * 2
    api.remember("alice", pets.strip(), importance=0.2)  # ~50 tokens: more than the budget leaves

    answer = turn(api, "t-1", ("user", "Plan my week"), memory="readonly", profile=True, profile_tokens=50)

    assert [item["content"] for item in answer["profile"]] == ["Works as a nurse in Lyon"]
    too_big = api.post(
        "/v1/conversations/t-1/messages",
        json={"user_id": "alice", "profile": True, "profile_tokens": 5, "messages": [{"role": "user", "content": "x"}]},
    )
    assert too_big.status_code == 422


def test_given_a_greeting_then_nothing_is_recalled(api: Api) -> None:
    for content in ("Works as a nurse in Lyon", "Is vegetarian", "Has a cat named Miso"):
        api.remember("alice", content)

    for greeting in ("Hi there!", "hello", "Thanks, bye!"):
        answer = turn(api, "t-1", ("user", greeting), memory="readonly")
        assert answer["recalled"] == [] and answer["context"] == "", greeting


class _Responder:
    """A chat model that answers with what its system prompt told it (the service, not the model, is under test)."""

    model = "test-model"

    def __init__(self) -> None:
        self.system = ""

    def reply(self, system: str, messages) -> str:
        self.system = system
        return f"Reply to: {messages[-1].content}"


def test_given_no_chat_model_when_a_reply_is_asked_then_the_answer_says_so_and_carries_the_context(api: Api) -> None:
    api.remember("alice", "Is vegetarian")

    answer = turn(api, "t-1", ("user", "Where should a vegetarian eat tonight?"), memory="readonly", reply=True)

    assert answer["reply"] == {"status": "no_model", "text": None, "model": None}
    assert "Is vegetarian" in answer["context"]
    assert turn(api, "t-1", ("user", "Where should I eat?"), memory="readonly")["reply"] is None


def test_given_a_chat_model_when_a_reply_is_asked_then_it_answers_with_the_memory_context_and_the_reply_is_kept(
    api: Api, runtime: Runtime
) -> None:
    responder = _Responder()
    runtime.conversations.__dict__["_responder"] = responder
    api.remember("alice", "Is vegetarian")

    answer = turn(api, "t-1", ("user", "Where should a vegetarian eat tonight?"), memory="readonly", reply=True)

    assert answer["reply"] == {
        "status": "answered",
        "text": "Reply to: Where should a vegetarian eat tonight?",
        "model": "test-model",
    }
    assert "Is vegetarian" in responder.system
    log, _ = runtime.archive.read(answer["transcript"])
    assert "Reply to: Where should a vegetarian eat tonight?" in log.decode().splitlines()[-1]


def test_given_a_transcript_at_its_size_limit_then_a_further_turn_is_413_and_nothing_is_saved(
    api: Api, monkeypatch
) -> None:
    from agent_memory.domain import conversation_log

    monkeypatch.setattr(conversation_log, "MAX_LOG_BYTES", 600)
    turn(api, "t-1", ("user", "I live in Lisbon"), memory="on")

    full = api.post(
        "/v1/conversations/t-1/messages",
        json={"user_id": "alice", "memory": "on", "messages": [{"role": "user", "content": "I love surfing " * 30}]},
    )

    assert full.status_code == 413, full.text
    assert "new thread" in full.json()["detail"]
    assert [m["content"] for m in api.get("/v1/memories", params={"user_id": "alice"}).json()["items"]] == [
        "Lives in Lisbon"
    ]
    assert turn(api, "t-2", ("user", "I love surfing"), memory="on")["transcript"].endswith("t-2.jsonl")
