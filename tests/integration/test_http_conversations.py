"""POST /v1/conversations/{thread_id}/messages on both backends: the four memory modes, cross-thread recall,
provenance, the tenant's default mode and bad input."""

from __future__ import annotations

import pytest

PYTHON = "I prefer Python over JavaScript for backend development."


def turn(api, thread: str, *said: str, memory: str | None = None, user: str = "alice", **extra) -> dict:
    body = {"user_id": user, "messages": [{"role": "user", "content": text} for text in said], **extra}
    if memory is not None:
        body["memory"] = memory
    response = api.post(f"/v1/conversations/{thread}/messages", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def stored(api, user: str = "alice") -> list[dict]:
    return api.get("/v1/memories", params={"user_id": user}).json()["items"]


def test_a_preference_said_in_one_thread_is_recalled_in_another(api) -> None:
    # Given alice states a preference in thread 1 (auto mode)
    first = turn(api, "thread-1", PYTHON, memory="auto")
    assert [s["content"] for s in first["saved"]] == ["Prefers Python over JavaScript for backend development"]
    # When she asks a related question in thread 2
    second = turn(api, "thread-2", "What language should I use?", memory="auto")
    # Then the preference is recalled and ready to inject; the question itself is not stored
    assert [r["id"] for r in second["recalled"]] == [first["saved"][0]["id"]]
    assert "Prefers Python over JavaScript" in second["context"]
    assert second["saved"] == [] and len(stored(api)) == 1


def test_saved_memories_carry_provenance(api) -> None:
    body = {
        "user_id": "alice",
        "agent_id": "travel-bot",
        "messages": [
            {"role": "assistant", "content": "Where do you like to sit?"},
            {"role": "user", "content": "I always book window seats.", "id": "msg-42"},
        ],
        "memory": "on",
    }
    saved = api.post("/v1/conversations/t-9/messages", json=body).json()["saved"]
    (memory,) = stored(api)
    assert memory["id"] == saved[0]["id"] and memory["content"] == "Always books window seats"
    assert memory["source"] == "conversation" and memory["thread_id"] == "t-9" and memory["agent_id"] == "travel-bot"
    assert memory["source_refs"] == ["msg-42"]
    assert memory["metadata"]["extractor"] == "rules" and memory["metadata"]["extractor_version"] == "1"
    assert "travel" in memory["topics"]


def test_off_stores_and_recalls_nothing(api) -> None:
    turn(api, "t1", PYTHON, memory="on")
    answer = turn(api, "t2", "I love Rust too. Which language should I pick?", memory="off")
    assert answer == {**answer, "mode": "off", "saved": [], "skipped": [], "recalled": [], "context": ""}
    assert len(stored(api)) == 1


def test_readonly_recalls_without_storing_and_needs_only_read(api, reader) -> None:
    turn(api, "t1", PYTHON, memory="on")
    answer = turn(reader, "t2", "I also like Go. What language is best for a CLI?", memory="readonly")
    assert answer["saved"] == [] and [r["content"] for r in answer["recalled"]][:1] == [
        "Prefers Python over JavaScript for backend development"
    ]
    assert len(stored(api)) == 1
    # And a read-only key may not ask for a mode that stores
    refused = reader.post("/v1/conversations/t2/messages", json={"user_id": "alice", "messages": [
        {"role": "user", "content": PYTHON}], "memory": "auto"})  # fmt: skip
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


def test_on_keeps_every_fact_auto_only_what_is_worth_keeping(api) -> None:
    said = ("I'm so tired.", "I live in Lisbon.")
    on = turn(api, "t1", *said, memory="on", user="bob")
    assert sorted(s["content"] for s in on["saved"]) == ["Is so tired", "Lives in Lisbon"]
    auto = turn(api, "t2", *said, memory="auto", user="carol")
    assert [s["content"] for s in auto["saved"]] == ["Lives in Lisbon"]
    assert [(s["content"], s["reason"]) for s in auto["skipped"]] == [("Is so tired", "low_salience")]


def test_auto_does_not_store_what_is_already_known(api) -> None:
    first = turn(api, "t1", "I live in Lisbon.", memory="auto")
    again = turn(api, "t2", "I live in Lisbon!", memory="auto")
    assert again["saved"] == []
    (skipped,) = again["skipped"]
    assert skipped["reason"] in {"already_known", "duplicate"} and skipped["existing_id"] == first["saved"][0]["id"]
    # on mode tries to store it and reports the exact duplicate
    on = turn(api, "t3", "I live in Lisbon.", memory="on")
    assert [(s["reason"], s["existing_id"]) for s in on["skipped"]] == [("duplicate", first["saved"][0]["id"])]


def test_what_the_assistant_says_is_never_stored(api) -> None:
    body = {"user_id": "alice", "memory": "on", "messages": [
        {"role": "system", "content": "I am a helpful assistant."},
        {"role": "assistant", "content": "I love Java and I live in Paris."},
        {"role": "tool", "content": "I found 3 results."}]}  # fmt: skip
    answer = api.post("/v1/conversations/t1/messages", json=body).json()
    assert answer["saved"] == [] and stored(api) == []


def test_the_tenants_default_mode_applies_when_the_turn_names_none(api, admin) -> None:
    assert turn(api, "t1", PYTHON)["mode"] == "auto"  # the built-in default
    assert admin.put("/v1/settings/memory", json={"default_memory_mode": "readonly"}).status_code == 200
    answer = turn(api, "t2", "I live in Lisbon.")
    assert answer["mode"] == "readonly" and answer["saved"] == []


def test_memories_of_one_user_are_not_recalled_for_another(api, other_tenant) -> None:
    turn(api, "t1", PYTHON, memory="on", user="alice")
    assert turn(api, "t2", "What language should I use?", user="bob")["recalled"] == []
    assert turn(other_tenant, "t2", "What language should I use?", user="alice")["recalled"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"user_id": "alice", "messages": []},
        {"user_id": "alice", "messages": [{"role": "user", "content": "hi"}] * 101},
        {"user_id": "alice", "messages": [{"role": "user", "content": ""}]},
        {"user_id": "alice", "messages": [{"role": "robot", "content": "hi"}]},
        {"user_id": "alice", "messages": [{"role": "user", "content": "x" * 8001}]},
        {"user_id": "alice", "messages": [{"role": "user", "content": "hi"}], "memory": "sometimes"},
        {"user_id": "alice", "messages": [{"role": "user", "content": "hi"}], "recall_limit": 0},
        {"messages": [{"role": "user", "content": "hi"}]},
    ],
)
def test_bad_turns_are_422_problems(api, body) -> None:
    response = api.post("/v1/conversations/t1/messages", json=body)
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


def test_auto_mode_embeds_each_kept_fact_once(runtime, monkeypatch) -> None:
    from agent_memory.domain.conversation import MemoryMode, Message, Role, Turn

    embedded: list[str] = []
    real_embed = runtime.embedder.embed

    def counting(texts):
        embedded.extend(texts)
        return real_embed(texts)

    monkeypatch.setattr(runtime.embedder, "embed", counting)
    turn_ = Turn("alice", "t1", (Message(Role.USER, "I live in Lisbon. I have two cats."),))
    saved, _ = runtime.conversations.remember("acme", turn_, MemoryMode.AUTO)
    # The already-known check's vector is the one stored: one embedding per fact, not two
    assert sorted(s.content for s in saved) == ["Has two cats", "Lives in Lisbon"]
    assert sorted(embedded) == ["Has two cats", "Lives in Lisbon"]


def test_a_vector_for_other_words_is_never_stored(runtime) -> None:
    from agent_memory.domain.models import NewMemory, Owner

    # Given a caller that hands create() a vector computed for different text
    wrong = runtime.embedder.embed(["something else entirely"])[0]
    memory = runtime.memories.create("acme", NewMemory(user_id="alice", content="Lives in Lisbon"), ("other", wrong))
    # Then the memory is embedded from its own words: it is its own nearest neighbour, at similarity 1
    nearest = runtime.search.closest(Owner("acme", "alice"), "Lives in Lisbon")
    assert nearest.memory_id == memory.id and nearest.similarity == pytest.approx(1.0, abs=1e-5)
