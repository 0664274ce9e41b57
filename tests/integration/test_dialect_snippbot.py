"""Snippbot's memory API (its documentation page, /work/shared/seeds/003_*) served by agent-memory, on both backends.

Every request example of the page runs verbatim (the base URL is the test client's), with a key bound to the user
as Snippbot's clients have one; each row of the page's endpoint table answers with its documented status and shape;
bad input, other users' ids and keys bound to nobody are refused.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from agent_memory.domain.models import Scope
from tests.conftest import Api, Bearer, Jobs

# The page's examples, verbatim.
CREATE_EXAMPLE = {
    "content": "Note: always use the snippbot_ prefix for database tables",
    "importance": 0.7,
    "valence": 0.0,
    "topics": ["conventions"],
    "agent_id": "agent_abc123",
}
SEARCH_EXAMPLE = "/api/memory/search?q=database+migration+strategy&mode=hybrid&limit=10"

LIST_FIELDS = set("id content summary source valence importance access_count created_at updated_at".split())
SEARCH_EPISODE_FIELDS = set("id content summary valence importance topics entities source created_at".split())
STATS_FIELDS = set(
    "total_episodes total_entities total_relations avg_importance"
    " avg_valence importance_distribution source_distribution entity_type_distribution recall_feedback".split()
)


def bound(client, runtime, user_id: str, *scopes: Scope, agent_id: str | None = None) -> Bearer:
    key, _ = runtime.keys.create(
        "acme", frozenset(scopes or (Scope.READ, Scope.WRITE)), user_id=user_id, agent_id=agent_id
    )
    return Bearer(client, key)


@pytest.fixture
def snippbot(client, runtime) -> Bearer:
    """Snippbot's client: a read/write key bound to alice."""
    return bound(client, runtime, "alice")


def episode(snippbot: Api, content: str, **fields: Any) -> dict[str, Any]:
    created = snippbot.post("/api/memory/episodes", json={"content": content, **fields})
    assert created.status_code == 201, created.text
    return created.json()


def test_given_the_pages_create_example_when_posted_then_201_with_the_episode(snippbot, api) -> None:
    # When the page's example is posted as written
    response = snippbot.post("/api/memory/episodes", json=CREATE_EXAMPLE)
    # Then the episode comes back with every field it was given, for the key's user
    assert response.status_code == 201, response.text
    body = response.json()
    assert LIST_FIELDS | {"agent_id", "topics", "entities"} == set(body)
    assert (body["content"], body["importance"], body["valence"]) == (CREATE_EXAMPLE["content"], 0.7, 0.0)
    assert (body["topics"], body["agent_id"], body["source"]) == (["conventions"], "agent_abc123", "api")
    assert api.get(f"/v1/memories/{body['id']}", params={"user_id": "alice"}).json()["content"] == body["content"]
    # And only content is required
    assert episode(snippbot, "Prefers tabs over spaces")["importance"] == 0.5


def test_given_episodes_when_listed_then_the_page_shape_limit_offset_and_filters(snippbot) -> None:
    made = [episode(snippbot, f"Fact number {i} about the build", agent_id="agent_abc123" if i % 2 else None)
            for i in range(3)]  # fmt: skip
    # When the list is asked with the defaults
    response = snippbot.get("/api/memory/episodes")
    # Then {episodes, total, limit, offset}, newest first, each episode with exactly the documented fields
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"episodes", "total", "limit", "offset"}
    assert (body["total"], body["limit"], body["offset"]) == (3, 20, 0)
    assert [e["id"] for e in body["episodes"]] == [m["id"] for m in reversed(made)]
    assert all(set(e) == LIST_FIELDS for e in body["episodes"])
    # And limit, offset and agent_id page and filter
    page = snippbot.get("/api/memory/episodes", params={"limit": 1, "offset": 1}).json()
    assert ([e["id"] for e in page["episodes"]], page["total"], page["limit"]) == ([made[1]["id"]], 3, 1)
    assert snippbot.get("/api/memory/episodes", params={"agent_id": "agent_abc123"}).json()["total"] == 1
    assert snippbot.get("/api/memory/episodes", params={"limit": 100}).status_code == 200
    # And cluster_id keeps one cluster's episodes
    cluster = snippbot.get("/api/memory/clusters", params={"n": 2}).json()["clusters"][0]
    members = snippbot.get("/api/memory/episodes", params={"cluster_id": cluster["id"]}).json()
    assert sorted(e["id"] for e in members["episodes"]) == sorted(cluster["episode_ids"])


def test_given_an_episode_when_got_related_and_deleted_then_as_documented(snippbot) -> None:
    first = episode(snippbot, "Deploys the API with blue green releases")
    second = episode(snippbot, "Deploys the worker with blue green releases too")
    # When it is got / Then the episode with its topics and entities
    got = snippbot.get(f"/api/memory/episodes/{first['id']}")
    assert got.status_code == 200 and got.json()["id"] == first["id"]
    assert all(set(e) == {"id", "name", "type", "mentions"} for e in got.json()["entities"])
    # When its related episodes are asked / Then the nearest others, each with a score
    related = snippbot.get(f"/api/memory/episodes/{first['id']}/related")
    assert related.status_code == 200
    assert related.json()["episode_id"] == first["id"]
    assert [r["episode"]["id"] for r in related.json()["results"]] == [second["id"]]
    assert set(related.json()["results"][0]) == {"episode", "score"}
    # When it is deleted / Then 204 with no body, and it is gone
    deleted = snippbot.delete(f"/api/memory/episodes/{first['id']}")
    assert deleted.status_code == 204 and deleted.content == b""
    gone = snippbot.get(f"/api/memory/episodes/{first['id']}")
    assert gone.status_code == 404 and gone.headers["content-type"] == "application/problem+json"
    assert snippbot.delete(f"/api/memory/episodes/{first['id']}").status_code == 404


def test_given_the_pages_search_example_when_sent_verbatim_then_the_documented_result_shape(snippbot) -> None:
    target = episode(
        snippbot, "User asked about database migration strategy for Postgres and SQL", source="conversation"
    )
    episode(snippbot, "Prefers dark mode in every editor", source="task")
    # When the page's example request is sent as written
    response = snippbot.get(SEARCH_EXAMPLE)
    # Then the documented shape: the query echoed, its mode, limit and offset, results and total
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"query", "mode", "limit", "offset", "results", "total"}
    assert (body["query"], body["mode"], body["limit"], body["offset"]) == (
        "database migration strategy",
        "hybrid",
        10,
        0,
    )
    top = body["results"][0]
    assert set(top) == {"episode", "score", "source", "highlights"}
    assert set(top["episode"]) == SEARCH_EPISODE_FIELDS
    assert top["episode"]["id"] == target["id"] and top["source"] == "conversation"
    assert top["episode"]["entities"] and all(
        set(e) == {"id", "name", "type", "mentions"} for e in top["episode"]["entities"]
    )
    assert any("**database migration strategy**" in h for h in top["highlights"])
    assert body["total"] == len(body["results"]) >= 1


def test_given_search_parameters_then_modes_dates_source_and_offset_filter(snippbot) -> None:
    conversation = episode(snippbot, "Chose Alembic for the schema migration", source="conversation")
    episode(snippbot, "Wrote the migration runbook", source="task")
    for mode in ("hybrid", "keyword", "semantic"):
        found = snippbot.get("/api/memory/search", params={"q": "migration", "mode": mode}).json()
        assert found["mode"] == mode and found["total"] >= 1, found
    only = snippbot.get("/api/memory/search", params={"q": "migration", "source": "conversation"}).json()
    assert [r["episode"]["id"] for r in only["results"]] == [conversation["id"]]
    day = conversation["created_at"][:10]
    dated = snippbot.get("/api/memory/search", params={"q": "migration", "start_date": day, "end_date": day}).json()
    assert dated["total"] == 2
    assert snippbot.get("/api/memory/search", params={"q": "migration", "end_date": "2020-01-01"}).json()["total"] == 0
    since = "2999-01-01T00:00:00Z"
    assert snippbot.get("/api/memory/search", params={"q": "migration", "start_date": since}).json()["total"] == 0
    paged = snippbot.get("/api/memory/search", params={"q": "migration", "limit": 1, "offset": 1}).json()
    assert (len(paged["results"]), paged["offset"], paged["total"]) == (1, 1, 2)


def test_given_episodes_when_clusters_and_graph_are_asked_then_their_shapes(snippbot) -> None:
    for content in ("Lives in Lisbon", "Works at Acme as a data engineer", "Plays the violin", "Likes sushi"):
        episode(snippbot, content)
    # When clusters are asked (default n=4, range 2-8)
    clusters = snippbot.get("/api/memory/clusters")
    assert clusters.status_code == 200
    body = clusters.json()
    assert body["n"] == 4 and 1 <= len(body["clusters"]) <= 4
    assert set(body["clusters"][0]) == {"id", "label", "size", "episode_ids", "episodes"}
    assert sum(c["size"] for c in body["clusters"]) == 4
    assert snippbot.get("/api/memory/clusters", params={"n": 2}).json()["n"] == 2
    assert snippbot.get("/api/memory/clusters", params={"agent_id": "agent_abc123"}).json()["clusters"] == []
    # When the graph is asked / Then entities and the relationships between them
    graph = snippbot.get("/api/memory/graph").json()
    assert set(graph) == {"entities", "relationships", "truncated"}
    assert {"id", "name", "type", "aliases", "mentions"} == set(graph["entities"][0])
    lives = [r for r in graph["relationships"] if r["target"] == "place:lisbon"]
    assert lives and lives[0]["source"] == "user" and lives[0]["type"] and lives[0]["episode_ids"]
    assert set(lives[0]) == {"source", "target", "type", "episode_ids", "valid_from", "valid_to"}


def test_given_episodes_and_feedback_when_stats_are_asked_then_every_documented_field(snippbot, api) -> None:
    episode(snippbot, "Lives in Lisbon", importance=0.9, valence=0.5, source="conversation")
    episode(snippbot, "Uses Python and Django at work", importance=0.2, source="task")
    recall = api.get("/v1/memories/search", params={"user_id": "alice", "q": "Lisbon"}).json()
    used = recall["results"][0]["memory"]["id"]
    api.post(f"/v1/recalls/{recall['recall_id']}/feedback", json={"user_id": "alice", "used": [used]})
    # When the stats are asked
    response = snippbot.get("/api/memory/stats")
    # Then every documented field is there, counted from the user's episodes and graph
    assert response.status_code == 200
    stats = response.json()
    assert set(stats) == STATS_FIELDS
    assert stats["total_episodes"] == 2 and stats["avg_importance"] == pytest.approx(0.55)
    assert stats["avg_valence"] == pytest.approx(0.25)
    assert len(stats["importance_distribution"]) == 10 and sum(stats["importance_distribution"]) == 2
    assert stats["source_distribution"] == {"conversation": 1, "task": 1}
    assert stats["total_entities"] >= 2 and stats["total_relations"] >= 1
    assert sum(stats["entity_type_distribution"].values()) == stats["total_entities"]
    assert stats["recall_feedback"] == {"total_recalls": 1, "used_count": 1, "ignored_count": 0, "usage_rate": 1.0}


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/api/memory/consolidate/conversations", "consolidate-conversations"),
        ("/api/memory/generate-episodes", "generate-episodes"),
        ("/api/memory/backfill-entities", "backfill-entities"),
    ],
)
def test_given_a_job_endpoint_when_posted_twice_then_one_job_runs(snippbot, jobs: Jobs, path, kind) -> None:
    episode(snippbot, "Lives in Lisbon")
    jobs.hold()
    # When it is posted (with no body, and again while the first still runs)
    first = snippbot.post(path)
    second = snippbot.post(path, json={})
    # Then 202 with the queued operation, then 200 with the same one; it finishes for the key's user
    assert first.status_code == 202, first.text
    assert (first.json()["kind"], first.json()["user_id"], first.json()["status"]) == (kind, "alice", "queued")
    assert first.headers["Location"] == f"/v1/operations/{first.json()['operation_id']}"
    assert second.status_code == 200 and second.json()["operation_id"] == first.json()["operation_id"]
    jobs.drain()
    done = snippbot.get(f"/v1/operations/{first.json()['operation_id']}").json()
    assert done["status"] == "succeeded", done


def test_given_settings_when_read_and_changed_then_as_documented(snippbot, client, runtime) -> None:
    # When the settings are read / Then agent-memory's memory settings
    got = snippbot.get("/api/settings/memory")
    assert got.status_code == 200 and got.json()["max_content_chars"] == 300
    # When an admin key changes one / Then the rest keep their value; a read/write key may not
    admin = bound(client, runtime, "alice", Scope.ADMIN)
    changed = admin.put("/api/settings/memory", json={"max_content_chars": 500})
    assert changed.status_code == 200 and changed.json() == {**got.json(), "max_content_chars": 500}
    assert snippbot.put("/api/settings/memory", json={"max_content_chars": 400}).status_code == 403
    assert admin.put("/api/settings/memory", json={"max_content_chars": "500"}).status_code == 422
    assert admin.put("/api/settings/memory", json={"recall_limit": 0}).status_code == 422


def test_given_episodes_when_exported_then_a_json_file_download_of_them(snippbot) -> None:
    made = episode(snippbot, "Lives in Lisbon")
    response = snippbot.get("/api/settings/memory/export")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith('.json"')
    document = json.loads(response.content)
    assert [m["id"] for m in document["memories"]] == [made["id"]] and document["user_id"] == "alice"
    assert document["counts"]["memories"] == 1


def test_given_episodes_when_data_is_cleared_then_cleared_counts_them_and_nothing_is_left(snippbot, api) -> None:
    for content in ("Lives in Lisbon", "Plays the violin"):
        episode(snippbot, content)
    api.remember("bob", "Lives in Porto")
    response = snippbot.delete("/api/settings/memory/data")
    assert response.status_code == 200 and response.json() == {"cleared": 2}
    assert snippbot.get("/api/memory/episodes").json()["total"] == 0
    assert snippbot.get("/api/memory/graph").json()["entities"] == []
    assert snippbot.get("/api/memory/search", params={"q": "Lisbon"}).json()["results"] == []
    assert snippbot.delete("/api/settings/memory/data").json() == {"cleared": 0}
    assert api.get("/v1/memories", params={"user_id": "bob"}).json()["total"] == 1


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/memory/episodes", {}),
        ("POST", "/api/memory/episodes", {"content": ""}),
        ("POST", "/api/memory/episodes", {"content": "   "}),
        ("POST", "/api/memory/episodes", {"content": 42}),
        ("POST", "/api/memory/episodes", {"content": "x", "importance": "high"}),
        ("POST", "/api/memory/episodes", {"content": "x", "importance": 1.5}),
        ("POST", "/api/memory/episodes", {"content": "x", "valence": -2}),
        ("POST", "/api/memory/episodes", {"content": "x", "topics": "conventions"}),
        ("POST", "/api/memory/episodes", {"content": "x", "agent_id": ""}),
        ("POST", "/api/memory/episodes", {"content": "x", "user_id": "bob"}),
        ("POST", "/api/memory/episodes", {"content": "x" * 301}),
        ("GET", "/api/memory/episodes?limit=101", None),
        ("GET", "/api/memory/episodes?limit=0", None),
        ("GET", "/api/memory/episodes?offset=-1", None),
        ("GET", "/api/memory/episodes?limit=ten", None),
        ("GET", "/api/memory/search", None),
        ("GET", "/api/memory/search?q=", None),
        ("GET", "/api/memory/search?q=x&mode=fuzzy", None),
        ("GET", "/api/memory/search?q=x&limit=101", None),
        ("GET", "/api/memory/search?q=x&start_date=yesterday", None),
        ("GET", "/api/memory/search?q=x&source=email", None),
        ("GET", "/api/memory/clusters?n=1", None),
        ("GET", "/api/memory/clusters?n=9", None),
        ("GET", "/api/memory/episodes/x/related?limit=0", None),
        ("PUT", "/api/settings/memory", {"max_content_chars": True}),
    ],
)
def test_given_bad_input_then_422_problem(snippbot, client, runtime, method, path, body) -> None:
    caller = bound(client, runtime, "alice", Scope.ADMIN) if method == "PUT" else snippbot
    response = caller.request(method, path, json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_given_another_users_episode_then_it_is_not_found_and_unchanged(snippbot, api) -> None:
    bobs = api.remember("bob", "Bob's secret recipe")
    for method, path in (
        ("GET", f"/api/memory/episodes/{bobs['id']}"),
        ("GET", f"/api/memory/episodes/{bobs['id']}/related"),
        ("DELETE", f"/api/memory/episodes/{bobs['id']}"),
    ):
        response = snippbot.request(method, path)
        assert response.status_code == 404 and "secret" not in response.text
    assert snippbot.get("/api/memory/search", params={"q": "secret recipe"}).json()["results"] == []
    assert snippbot.get("/api/memory/stats").json()["total_episodes"] == 0
    assert api.get(f"/v1/memories/{bobs['id']}", params={"user_id": "bob"}).status_code == 200


def test_given_a_key_bound_to_no_user_or_no_key_then_refused(api, client) -> None:
    # An unbound key cannot say whose episodes: 403; no key: 401
    for method, path in (("GET", "/api/memory/episodes"), ("POST", "/api/memory/episodes"), ("GET", SEARCH_EXAMPLE)):
        assert api.request(method, path, json={"content": "x"}).status_code == 403
        assert client.request(method, path, json={"content": "x"}).status_code == 401


def test_given_a_key_bound_to_an_agent_then_other_agents_are_refused(client, runtime, snippbot) -> None:
    mine = bound(client, runtime, "alice", agent_id="agent_abc123")
    other = episode(snippbot, "Lives in Lisbon", agent_id="agent_other")
    created = episode(mine, "Prefers short answers")
    assert created["agent_id"] == "agent_abc123"
    assert [e["id"] for e in mine.get("/api/memory/episodes").json()["episodes"]] == [created["id"]]
    assert mine.get(f"/api/memory/episodes/{other['id']}").status_code == 404
    assert mine.post("/api/memory/episodes", json={"content": "x", "agent_id": "agent_other"}).status_code == 403
    assert mine.get("/api/memory/episodes", params={"agent_id": "agent_other"}).status_code == 403
    assert mine.get("/api/memory/stats").status_code == 403
    assert mine.delete("/api/settings/memory/data").status_code == 403
    assert snippbot.get("/api/memory/stats").json()["total_episodes"] == 2


# -- in production: each operation is a Lambda function behind API Gateway (infra/catalog.py) ----------------------

LAMBDA_ANSWERS = [  # function (events/api/<name>.json), status; the delete and clear last
    ("snippbot_list_episodes", 200),
    ("snippbot_get_episode", 200),
    ("snippbot_create_episode", 201),
    ("snippbot_related_episodes", 200),
    ("snippbot_search", 200),
    ("snippbot_clusters", 200),
    ("snippbot_graph", 200),
    ("snippbot_stats", 200),
    ("snippbot_consolidate", 202),
    ("snippbot_generate_episodes", 202),
    ("snippbot_backfill_entities", 202),
    ("snippbot_get_settings", 200),
    ("snippbot_put_settings", 200),
    ("snippbot_export", 200),
    ("snippbot_delete_episode", 204),
    ("snippbot_clear", 200),
]


def sample_event_answers(runtime, monkeypatch, content: str, names: list[str]) -> dict[str, dict[str, Any]]:
    """Given alice's memory holding `content`, each function's answer to its sample event (events/api/<name>.json,
    which carry a key bound to alice in the authorizer's context), called in order as Lambda calls it."""
    from agent_memory.domain.models import NewMemory
    from agent_memory.entry import shared
    from tests.integration.test_lambda_handlers import call, load_event

    monkeypatch.setattr(shared, "shared_runtime", lambda: runtime)
    seeded = runtime.memories.create("acme", NewMemory(user_id="alice", content=content)).id
    return {name: call(f"api/{name}", load_event(f"api/{name}.json", memory_id=seeded)) for name in names}


@pytest.mark.parametrize("runtime", ["aws"], indirect=True)
def test_given_each_function_when_it_handles_its_sample_event_then_it_answers_as_documented(
    runtime, jobs: Jobs, monkeypatch
) -> None:
    answers = sample_event_answers(runtime, monkeypatch, "Prefers window seats", [n for n, _ in LAMBDA_ANSWERS])
    for name, status in LAMBDA_ANSWERS:
        # Then each answers the page's status, as JSON (or with no body)
        response = answers[name]
        assert response["statusCode"] == status, (name, response["body"])
        if status != 204:
            assert response["headers"]["content-type"].startswith("application/json"), name
