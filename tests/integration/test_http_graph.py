"""The knowledge graph over HTTP on both backends: entities and relations read from what is written, kept in step
with updates, supersession and deletion, neighbourhoods, entity pages, stats, and bad input."""

from __future__ import annotations

from agent_memory.runtime import Runtime
from tests.conftest import Api


def ids(entities: list[dict]) -> set[str]:
    return {entity["id"] for entity in entities}


def edges(relations: list[dict]) -> set[tuple[str, str, str]]:
    return {(r["subject"], r["predicate"], r["object"]) for r in relations}


def test_given_memories_when_written_then_the_graph_holds_their_entities_and_relations(api: Api) -> None:
    lisbon = api.remember("alice", "I live in Lisbon")
    api.remember("alice", "My sister Chloe lives in Leeds")
    # The memory itself carries what was read from it
    assert {
        "subject": {"id": "user", "name": "user", "type": "person"},
        "predicate": "lives_in",
        "object": {"id": "place:lisbon", "name": "Lisbon", "type": "place"},
    } in lisbon["relations"]

    graph = api.get("/v1/graph", params={"user_id": "alice"})

    assert graph.status_code == 200, graph.text
    body = graph.json()
    assert {"user", "place:lisbon", "person:chloe", "place:leeds"} <= ids(body["entities"])
    assert {("user", "lives_in", "place:lisbon"), ("person:chloe", "lives_in", "place:leeds")} <= edges(
        body["relations"]
    )
    assert body["truncated"] is False
    assert all(r["valid_to"] is None and r["memory_ids"] for r in body["relations"])


def test_given_an_entity_when_its_neighbourhood_is_asked_then_depth_bounds_it(api: Api) -> None:
    api.remember("alice", "My sister Chloe lives in Leeds")
    api.remember("alice", "I live in Lisbon")

    near = api.get("/v1/graph", params={"user_id": "alice", "entity": "Leeds", "depth": 1}).json()
    far = api.get("/v1/graph", params={"user_id": "alice", "entity": "place:leeds", "depth": 3}).json()

    assert ids(near["entities"]) == {"place:leeds", "person:chloe"}
    assert {"user", "place:lisbon"} <= ids(far["entities"])


def test_given_a_changed_memory_then_its_old_entities_leave_the_graph(api: Api) -> None:
    memory = api.remember("alice", "I live in Lisbon")

    changed = api.patch(f"/v1/memories/{memory['id']}", json={"user_id": "alice", "content": "I live in Porto"})

    assert changed.status_code == 200, changed.text
    entities = api.get("/v1/entities", params={"user_id": "alice"}).json()["entities"]
    assert "place:porto" in ids(entities) and "place:lisbon" not in ids(entities)


def test_given_a_deleted_memory_then_no_entity_of_it_is_left(api: Api) -> None:
    memory = api.remember("alice", "I live in Lisbon")

    assert api.delete(f"/v1/memories/{memory['id']}", params={"user_id": "alice"}).status_code == 204

    body = api.get("/v1/entities", params={"user_id": "alice"}).json()
    assert body["entities"] == [] and body["total"] == 0
    assert api.get("/v1/entities/place:lisbon", params={"user_id": "alice"}).status_code == 404


def test_given_an_entity_when_its_page_is_read_then_it_has_aliases_relations_and_memories(api: Api) -> None:
    first = api.remember("alice", "I live in Lisbon", entities=[{"name": "Lisbon", "type": "place"}])
    second = api.remember("alice", "Took the tram across lisbon", entities=[{"name": "lisbon", "type": "place"}])

    page = api.get("/v1/entities/place:lisbon", params={"user_id": "alice"})

    assert page.status_code == 200, page.text
    body = page.json()
    assert body["mentions"] == 2 and {body["name"], *body["aliases"]} == {"Lisbon", "lisbon"}
    assert {m["id"] for m in body["memories"]} == {first["id"], second["id"]}
    assert ("user", "lives_in", "place:lisbon") in edges(body["relations"])
    by_name = api.get("/v1/entities/LISBON", params={"user_id": "alice"})
    assert by_name.status_code == 200 and by_name.json()["id"] == "place:lisbon"


def test_given_an_agent_filter_then_only_that_agents_memories_count(api: Api) -> None:
    api.remember("alice", "I live in Lisbon", agent_id="travel")
    api.remember("alice", "I work at Feedzai", agent_id="career")

    travel = api.get("/v1/entities", params={"user_id": "alice", "agent_id": "travel"}).json()

    assert ids(travel["entities"]) == {"place:lisbon"}
    places = api.get("/v1/entities", params={"user_id": "alice", "type": "place"}).json()
    assert ids(places["entities"]) == {"place:lisbon"}


def test_given_a_graph_then_stats_count_entities_relations_and_types(api: Api, admin: Api) -> None:
    api.remember("alice", "I live in Lisbon")
    api.remember("alice", "My sister Chloe lives in Leeds")

    stats = api.get("/v1/stats", params={"user_id": "alice"}).json()

    assert stats["total_entities"] >= 3 and stats["total_relations"] >= 2
    assert stats["entity_type_distribution"]["place"] == 2
    assert sum(stats["entity_type_distribution"].values()) == stats["total_entities"]
    tenant_wide = admin.get("/v1/stats").json()
    assert tenant_wide["total_entities"] is None


def test_given_bad_graph_requests_then_each_is_a_clear_4xx(api: Api, other_tenant: Api, runtime: Runtime) -> None:
    api.remember("alice", "I live in Lisbon")
    cases = [
        ("/v1/graph", {"user_id": "alice", "depth": 4}, 422),
        ("/v1/graph", {"user_id": "alice", "limit": 0}, 422),
        ("/v1/graph", {"user_id": "alice", "entity": "Atlantis"}, 404),
        ("/v1/graph", {}, 422),
        ("/v1/entities", {"user_id": "alice", "type": "planet"}, 422),
        ("/v1/entities/place:atlantis", {"user_id": "alice"}, 404),
        ("/v1/entities/place:lisbon", {"user_id": "bob"}, 404),  # another user of the tenant
        ("/v1/clusters", {"user_id": "alice", "n": 9}, 422),
    ]
    for path, params, status in cases:
        answer = api.get(path, params=params)
        assert answer.status_code == status, (path, params, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
    assert other_tenant.get("/v1/entities/place:lisbon", params={"user_id": "alice"}).status_code == 404
