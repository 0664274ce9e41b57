"""The Python SDK's conversation turn options (scope, save_memories, profile, profile_tokens, reply) against a real
`agent-memory serve` process (conftest). Every test works on its own user ids."""

from __future__ import annotations

import asyncio
import math

import pytest
from agent_memory_client import AsyncAgentMemory, ValidationFailed

MOVED = [{"role": "user", "content": "I moved to Lisbon last month."}]


def test_given_save_memories_off_when_a_turn_states_a_fact_then_nothing_is_stored(memory) -> None:
    # Given a turn that would save a fact
    # When it is sent with save_memories=False
    unsaved = memory.conversation_turn("keep-1", MOVED, user_id="max", memory="on", save_memories=False)
    # Then nothing is saved or stored
    assert unsaved.saved == [] and unsaved.skipped == [] and unsaved.mode == "on"
    assert memory.list_memories(user_id="max").total == 0
    # And the same turn with save_memories=True stores it
    saved = memory.conversation_turn("keep-2", MOVED, user_id="max", memory="on", save_memories=True)
    assert saved.saved and [m.id for m in memory.iter_memories(user_id="max")] == [f.id for f in saved.saved]


def test_given_memories_of_two_agents_when_a_turn_is_scoped_to_one_then_only_its_memories_are_recalled(memory) -> None:
    # Given a user's memories saved under two agents
    aisle = memory.create_memory("nia", "Prefers aisle seats on long flights", agent_id="planner")
    window = memory.create_memory("nia", "Prefers window seats on long flights", agent_id="concierge")
    asked = [{"role": "user", "content": "Which seats do I prefer on long flights?"}]
    # When a turn recalls in the user's scope and in the planner's
    everyone = memory.conversation_turn("seat-1", asked, user_id="nia", agent_id="planner", memory="readonly")
    planner = memory.conversation_turn(
        "seat-2", asked, user_id="nia", agent_id="planner", memory="readonly", scope="agent"
    )
    # Then the user's scope recalls both, the agent's only the planner's
    assert {item.id for item in everyone.recalled} == {aisle.id, window.id}
    assert [item.id for item in planner.recalled] == [aisle.id] and window.content not in planner.context
    by_user = memory.conversation_turn("seat-3", asked, user_id="nia", memory="readonly", scope="user")
    assert {item.id for item in by_user.recalled} == {aisle.id, window.id}


def test_given_standing_facts_when_a_turn_asks_for_a_profile_then_it_comes_within_the_token_budget(memory) -> None:
    # Given more standing facts than 50 tokens (characters / 4) hold
    facts = [
        ("Works as a structural engineer at a bridge design firm in Porto", 0.9),
        ("Has a daughter called Rita who starts primary school this September", 0.8),
        ("Is allergic to peanuts and carries an epinephrine pen everywhere", 0.7),
        ("Plays five-a-side football with colleagues every Thursday evening", 0.3),
    ]
    for content, importance in facts:
        memory.create_memory("oto", content, importance=importance)
    assert sum(math.ceil(len(content) / 4) for content, _ in facts) > 50
    hello = [{"role": "user", "content": "Hi there!"}]
    # When a turn that names no fact asks for the profile within 50 tokens
    turn = memory.conversation_turn("hello-1", hello, user_id="oto", memory="readonly", profile=True, profile_tokens=50)
    # Then the most important facts that fit come back, first in the context
    assert turn.profile and all(item.matched_by == "profile" for item in turn.profile)
    assert sum(math.ceil(len(item.content) / 4) for item in turn.profile) <= 50
    assert turn.profile[0].content == facts[0][0] and len(turn.profile) < len(facts)
    assert turn.context.startswith("Standing facts about this user:")
    # And a larger budget holds them all, while no profile is asked for by default
    everything = memory.conversation_turn("hello-2", hello, user_id="oto", profile=True, profile_tokens=4000)
    assert {item.content for item in everything.profile} == {content for content, _ in facts}
    assert memory.conversation_turn("hello-3", hello, user_id="oto", profile=False).profile == []
    assert memory.conversation_turn("hello-4", hello, user_id="oto").profile == []


def test_given_the_async_client_when_a_turn_asks_for_a_reply_without_a_model_then_it_answers_no_model(server) -> None:
    async def scenario() -> None:
        async with AsyncAgentMemory(server.base_url, api_key=server.admin_key) as memory:
            # When a turn asks for a reply from a server with no chat model (the local default)
            turn = await memory.conversation_turn(
                "reply-1", MOVED, user_id="pia", memory="on", save_memories=False, reply=True, profile=True
            )
            # Then the reply says so, and the options are the async client's too
            assert turn.reply is not None and (turn.reply.status, turn.reply.text) == ("no_model", None)
            assert turn.saved == [] and turn.profile == []
            plain = await memory.conversation_turn("reply-2", MOVED, user_id="pia", memory="readonly", reply=False)
            assert plain.reply is None

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"profile": True, "profile_tokens": 49}, "profile_tokens"),
        ({"profile_tokens": 4001}, "profile_tokens"),
        ({"scope": "team"}, "scope"),
        ({"scope": "agent"}, None),  # an agent scope needs an agent_id
        ({"save_memories": "sometimes"}, "save_memories"),
    ],
)
def test_given_a_bad_turn_option_when_sent_then_validation_failed(memory, options, field) -> None:
    # When a turn is sent with an option the server refuses
    with pytest.raises(ValidationFailed) as invalid:
        memory.conversation_turn("bad-1", MOVED, user_id="quy", **options)
    # Then it is a 422 naming the field (or the body, for a rule across fields), and nothing was saved
    assert invalid.value.status == 422 and invalid.value.code == "invalid_input" and invalid.value.errors
    if field is not None:
        assert field in invalid.value.errors[0]["loc"]
    assert memory.list_memories(user_id="quy").total == 0
