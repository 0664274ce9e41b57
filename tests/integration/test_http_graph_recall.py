"""Graph-aware recall on both backends: with graph=true, hybrid search also ranks the memories that the entities of
the query and of its best hits reach in the user's knowledge graph; filters still apply, no other user's graph takes
part, and without it search is what it was."""

from __future__ import annotations

import pytest

from agent_memory.domain.clock import utcnow
from agent_memory.domain.models import Memory, NewMemory, Owner
from agent_memory.runtime import Runtime
from agent_memory.services.graph_recall import GraphRecall
from tests.conftest import Api

SEARCH = "/v1/memories/search"
SISTER = "Her sister Chloe lives in Leeds"
LEEDS = "Leeds has great curry houses"  # shares no word with the queries below
WHITBY = "Caroline took Pixel the whippet to Whitby"
OTHERS = ("I prefer Python over JavaScript", "Running marathons is my favourite hobby", "The dentist is on Friday")


def found(api: Api, q: str, user_id: str = "alice", **params: object) -> list[str]:
    asked = {"user_id": user_id, "q": q, "graph": "true", **params}
    response = api.get(SEARCH, params={name: value for name, value in asked.items() if value is not None})
    assert response.status_code == 200, response.text
    return [hit["memory"]["content"] for hit in response.json()["results"]]


@pytest.fixture
def chloe(api: Api) -> None:
    for content in (SISTER, LEEDS, *OTHERS):
        api.remember("alice", content)


@pytest.mark.usefixtures("chloe")
def test_given_a_query_naming_chloe_when_searched_then_the_graph_brings_the_memory_about_where_she_lives(
    api: Api,
) -> None:
    assert found(api, "Where does Chloe live?")[:2] == [SISTER, LEEDS]


@pytest.mark.usefixtures("chloe")
@pytest.mark.parametrize("graph", ["false", None])
def test_given_graph_false_or_left_out_when_searched_then_only_words_and_meaning_find_memories(
    api: Api, graph: str | None
) -> None:
    without = found(api, "Where does Chloe live?", graph=graph)

    assert without[0] == SISTER and LEEDS not in without


@pytest.mark.usefixtures("chloe")
def test_given_a_query_naming_no_entity_when_its_best_hit_names_one_then_the_graph_walks_on_from_there(
    api: Api,
) -> None:
    assert found(api, "Where does my sister live?")[:2] == [SISTER, LEEDS]


@pytest.mark.usefixtures("chloe")
@pytest.mark.parametrize("mode", ["keyword", "semantic"])
def test_given_a_single_ranking_mode_when_searched_then_the_graph_takes_no_part(api: Api, mode: str) -> None:
    assert LEEDS not in found(api, "Where does Chloe live?", mode=mode, graph="true")


def test_given_filters_when_the_graph_reaches_a_memory_then_it_must_pass_them_too(api: Api) -> None:
    api.remember("alice", SISTER, agent_id="home")
    api.remember("alice", LEEDS, agent_id="travel", importance=0.2)
    api.remember("alice", "Leeds station has a new bike park", agent_id="home", importance=0.2)

    assert found(api, "Where does Chloe live?", agent_id="home") == [SISTER, "Leeds station has a new bike park"]
    assert found(api, "Where does Chloe live?", min_importance=0.5) == [SISTER]
    assert found(api, "Where does Chloe live?", start_date="2999-01-01T00:00:00Z") == []


def test_given_a_deleted_memory_when_the_graph_named_it_then_it_is_not_reached(api: Api) -> None:
    api.remember("alice", SISTER)
    leeds = api.remember("alice", LEEDS)

    assert api.delete(f"/v1/memories/{leeds['id']}", params={"user_id": "alice"}).status_code == 204

    assert found(api, "Where does Chloe live?") == [SISTER]


def test_given_another_users_and_tenants_memories_about_leeds_then_their_graphs_never_contribute(
    api: Api, other_tenant: Api
) -> None:
    api.remember("alice", SISTER)
    api.remember("bob", LEEDS)
    api.remember("bob", "Chloe moved to Leeds last spring")
    other_tenant.remember("alice", "Leeds Castle is worth a visit")

    assert found(api, "Where does Chloe live?") == [SISTER]
    assert found(api, "Where does Chloe live?", user_id="bob")[0] == "Chloe moved to Leeds last spring"
    assert "Leeds Castle is worth a visit" not in found(api, "Where does Chloe live?", user_id="bob")


def test_given_a_bad_graph_flag_then_422(api: Api) -> None:
    response = api.get(SEARCH, params={"user_id": "alice", "q": "Chloe", "graph": "sometimes"})

    assert response.status_code == 422


def test_given_a_name_most_memories_carry_when_a_query_names_it_then_the_walk_passes_it_over(runtime: Runtime) -> None:
    owner = Owner("acme", "alice")
    items = [NewMemory(user_id="alice", content=f"Caroline went out on day {n}") for n in range(1, 31)]
    written = runtime.memories.create_batch("acme", [*items, NewMemory(user_id="alice", content=WHITBY)])
    ids = {memory.id for memory in written if isinstance(memory, Memory)}
    whitby = next(memory.id for memory in written if isinstance(memory, Memory) and memory.content == WHITBY)
    walk = GraphRecall(runtime.knowledge_reader, runtime.graph_store)

    assert walk.reach(owner, "Where did Caroline go?", [], ids, utcnow()) == {}
    assert walk.reach(owner, "Where did Caroline go with Pixel?", [], ids, utcnow()) == {whitby: 1}
