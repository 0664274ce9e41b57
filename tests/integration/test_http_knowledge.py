"""Clusters on demand, cluster_id on listing and search, and topics, over HTTP on both backends."""

from __future__ import annotations

from agent_memory.runtime import Runtime
from tests.conftest import Api

FOOD = ["Loves spicy Thai curry", "Eats sushi every Friday", "Bakes sourdough bread on Sundays"]
CODE = ["Writes Python at work", "Prefers TypeScript for frontend code", "Uses PostgreSQL for side projects"]


def seed(api: Api) -> dict[str, str]:
    ids = {}
    for content in FOOD + CODE:
        ids[content] = api.remember("alice", content, topics=["food" if content in FOOD else "technology"])["id"]
    api.remember("alice", "Works with a Kotlin team", agent_id="coach", topics=["technology"])
    return ids


def test_clusters_cover_every_current_memory_once_with_stable_ids_and_labels(api: Api) -> None:
    seed(api)
    # When the clusters are asked for twice
    first = api.get("/v1/clusters", params={"user_id": "alice", "n": 3})
    second = api.get("/v1/clusters", params={"user_id": "alice", "n": 3})
    # Then every memory is in exactly one of at most n clusters, largest first, each labelled, with the same ids
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["n"] == 3 and 1 <= len(body["clusters"]) <= 3
    members = [i for cluster in body["clusters"] for i in cluster["memory_ids"]]
    assert len(members) == 7 == len(set(members))
    assert [c["size"] for c in body["clusters"]] == sorted((c["size"] for c in body["clusters"]), reverse=True)
    assert all(cluster["label"] and cluster["samples"] for cluster in body["clusters"])
    assert [c["id"] for c in second.json()["clusters"]] == [c["id"] for c in body["clusters"]]


def test_a_cluster_id_filters_listing_and_search_and_goes_stale_when_memories_change(api: Api) -> None:
    seed(api)
    cluster = api.get("/v1/clusters", params={"user_id": "alice", "n": 2}).json()["clusters"][0]
    # When memories are listed and searched within the cluster
    listed = api.get("/v1/memories", params={"user_id": "alice", "cluster_id": cluster["id"], "limit": 2})
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert page["total"] == cluster["size"]
    everything = [m["id"] for m in page["items"]]
    while page["next_cursor"]:
        page = api.get(
            "/v1/memories", params={"user_id": "alice", "cluster_id": cluster["id"], "cursor": page["next_cursor"]}
        ).json()
        everything += [m["id"] for m in page["items"]]
    assert sorted(everything) == sorted(cluster["memory_ids"])
    found = api.get(
        "/v1/memories/search", params={"user_id": "alice", "q": "food code work", "cluster_id": cluster["id"]}
    )
    assert {hit["memory"]["id"] for hit in found.json()["results"]} <= set(cluster["memory_ids"])
    # When the user's memories change that cluster, the old id no longer resolves (404 saying to list clusters again)
    api.remember("alice", "Another memory of the same topic", topics=[cluster["label"]])
    stale = api.get("/v1/memories", params={"user_id": "alice", "cluster_id": cluster["id"]})
    assert stale.status_code == 404 and "list clusters again" in stale.json()["detail"]


def test_clusters_of_one_agent_and_bad_input(api: Api, other_tenant: Api) -> None:
    seed(api)
    coach = api.get("/v1/clusters", params={"user_id": "alice", "agent_id": "coach"}).json()
    assert [c["memory_ids"] for c in coach["clusters"]] and sum(c["size"] for c in coach["clusters"]) == 1
    for n in (1, 9, "four"):
        assert api.get("/v1/clusters", params={"user_id": "alice", "n": n}).status_code == 422
    assert api.get("/v1/clusters").status_code == 422  # user_id is required
    cluster = api.get("/v1/clusters", params={"user_id": "alice"}).json()["clusters"][0]["id"]
    # Another user's or another tenant's view of that id: not found; a malformed id: 422
    assert api.get("/v1/memories", params={"user_id": "bob", "cluster_id": cluster}).status_code == 404
    assert other_tenant.get("/v1/memories", params={"user_id": "alice", "cluster_id": cluster}).status_code == 404
    assert api.get("/v1/memories", params={"user_id": "alice", "cluster_id": "c9-x"}).status_code == 422
    assert api.get("/v1/clusters", params={"user_id": "nobody"}).json()["clusters"] == []


def test_topics_count_the_current_memories_per_label(api: Api, admin: Api, runtime: Runtime) -> None:
    seed(api)
    api.remember("bob", "Hikes every weekend", topics=["hobbies"])
    topics = api.get("/v1/topics", params={"user_id": "alice"})
    assert topics.status_code == 200, topics.text
    assert topics.json()["topics"] == [{"label": "technology", "count": 4}, {"label": "food", "count": 3}]
    assert api.get("/v1/topics").status_code == 403  # the whole tenant's needs admin
    tenant = {t["label"]: t["count"] for t in admin.get("/v1/topics").json()["topics"]}
    assert tenant == {"technology": 4, "food": 3, "hobbies": 1}


def test_a_cluster_id_with_non_ascii_digits_is_refused_not_a_server_error(api: Api) -> None:
    seed(api)
    for bad in ("c²-0123456789abcdef", "c4-XYZ", "c9-0123456789abcdef"):
        for path in ("/v1/memories", "/v1/memories/search"):
            answer = api.get(path, params={"user_id": "alice", "q": "tea", "cluster_id": bad})
            assert answer.status_code == 422, (bad, path, answer.text)
