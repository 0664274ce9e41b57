"""Search, related and stats through HTTP: results, isolation and bad input."""

from __future__ import annotations

import pytest

SEARCH = "/v1/memories/search"


@pytest.fixture
def seeded(api) -> dict[str, dict]:
    contents = {
        "python": "I prefer Python over JavaScript for backend development",
        "sister": "My sister lives in Lyon",
        "marathon": "Running marathons is my favourite hobby",
        "peanuts": "Allergic to peanuts",
    }
    return {name: api.remember("alice", text) for name, text in contents.items()}


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "semantic"])
def test_each_mode_finds_the_matching_memory_first(api, seeded, mode) -> None:
    response = api.get(SEARCH, params={"user_id": "alice", "q": "marathons hobby", "mode": mode})
    assert response.status_code == 200
    body = response.json()
    assert body["mode"] == mode and body["query"] == "marathons hobby"
    assert body["results"][0]["memory"]["id"] == seeded["marathon"]["id"]
    assert body["total"] >= 1 and body["limit"] == 10 and body["offset"] == 0


def test_highlights_mark_matched_terms(api, seeded) -> None:
    body = api.get(SEARCH, params={"user_id": "alice", "q": "running", "mode": "keyword"}).json()
    assert body["results"][0]["highlights"] == ["**Running** marathons is my favourite hobby"]
    # And the same match as offsets into the content, on both backends
    content = body["results"][0]["memory"]["content"]
    assert [content[start:end] for start, end in body["results"][0]["matches"]] == ["Running"]


def test_recalled_memories_count_their_accesses(api, seeded) -> None:
    first = api.get(SEARCH, params={"user_id": "alice", "q": "peanuts", "mode": "keyword"}).json()
    assert first["results"][0]["memory"]["access_count"] == 1
    api.get(SEARCH, params={"user_id": "alice", "q": "peanuts", "mode": "keyword"})
    stored = api.get(f"/v1/memories/{seeded['peanuts']['id']}", params={"user_id": "alice"}).json()
    assert stored["access_count"] == 2
    assert stored["version"] == 1  # a recall is not an edit


def test_a_query_that_matches_nothing_is_200_with_no_results(api, seeded) -> None:
    body = api.get(SEARCH, params={"user_id": "alice", "q": "zyzzyva quokka"}).json()
    assert body["results"] == [] and body["total"] == 0


def test_search_is_isolated_per_user_and_tenant(api, other_tenant, seeded) -> None:
    assert api.get(SEARCH, params={"user_id": "bob", "q": "peanuts"}).json()["results"] == []
    assert other_tenant.get(SEARCH, params={"user_id": "alice", "q": "peanuts"}).json()["results"] == []


def test_new_writes_are_searchable_at_once_and_deletes_vanish_at_once(api, seeded) -> None:
    created = api.remember("alice", "Learning to play the cello")
    hits = api.get(SEARCH, params={"user_id": "alice", "q": "cello"}).json()["results"]
    assert [h["memory"]["id"] for h in hits][:1] == [created["id"]]
    api.delete(f"/v1/memories/{created['id']}", params={"user_id": "alice"})
    hits = api.get(SEARCH, params={"user_id": "alice", "q": "cello"}).json()["results"]
    assert created["id"] not in [h["memory"]["id"] for h in hits]


def test_filters_and_pagination(api) -> None:
    api.remember("alice", "tea in the morning", agent_id="bot-1", topics=["food"], importance=0.9)
    api.remember("alice", "tea with friends", source="agent", importance=0.1)
    api.remember("alice", "tea before bed", topics=["sleep"])

    def contents(**params) -> list[str]:
        body = api.get(SEARCH, params={"user_id": "alice", "q": "tea", "mode": "keyword", **params}).json()
        return sorted(h["memory"]["content"] for h in body["results"])

    assert contents(agent_id="bot-1") == ["tea in the morning"]
    assert contents(source="agent") == ["tea with friends"]
    assert contents(topic="sleep") == ["tea before bed"]
    assert contents(min_importance=0.6) == ["tea in the morning"]
    assert contents(start_date="2999-01-01T00:00:00Z") == []
    assert len(contents(end_date="2999-01-01T00:00:00Z")) == 3
    page1 = api.get(SEARCH, params={"user_id": "alice", "q": "tea", "limit": 2}).json()
    page2 = api.get(SEARCH, params={"user_id": "alice", "q": "tea", "limit": 2, "offset": 2}).json()
    ids = [h["memory"]["id"] for h in page1["results"] + page2["results"]]
    assert len(ids) == len(set(ids)) == 3 and page1["total"] == 3


def test_blended_ranking_prefers_important_memories_among_equals(api) -> None:
    api.remember("alice", "tea note alpha", importance=0.1)
    important = api.remember("alice", "tea note beta", importance=1.0)
    body = api.get(SEARCH, params={"user_id": "alice", "q": "tea note", "mode": "keyword", "rank": "blended"}).json()
    assert body["results"][0]["memory"]["id"] == important["id"]


@pytest.mark.parametrize(
    "params",
    [
        {"user_id": "alice", "q": ""},
        {"user_id": "alice", "q": "   "},
        {"user_id": "alice"},
        {"q": "tea"},
        {"user_id": "alice", "q": "tea", "mode": "psychic"},
        {"user_id": "alice", "q": "tea", "rank": "random"},
        {"user_id": "alice", "q": "tea", "limit": 0},
        {"user_id": "alice", "q": "tea", "limit": 10**9},
        {"user_id": "alice", "q": "tea", "offset": 995},
        {"user_id": "alice", "q": "tea", "min_importance": 2},
        {"user_id": "alice", "q": "x" * 1001},
        {"user_id": "alice", "q": "tea", "start_date": "last week"},
    ],
)
def test_bad_search_parameters_are_422(api, params) -> None:
    response = api.get(SEARCH, params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_related_excludes_itself_and_other_users(api, seeded) -> None:
    api.remember("alice", "Running a marathon next spring")
    api.remember("bob", "Running marathons too")
    body = api.get(f"/v1/memories/{seeded['marathon']['id']}/related", params={"user_id": "alice", "limit": 3}).json()
    ids = [h["memory"]["id"] for h in body["results"]]
    assert seeded["marathon"]["id"] not in ids
    assert body["results"][0]["memory"]["content"] == "Running a marathon next spring"
    assert all(h["memory"]["user_id"] == "alice" for h in body["results"])
    assert len(ids) <= 3


def test_related_of_another_users_memory_is_404(api, seeded) -> None:
    response = api.get(f"/v1/memories/{seeded['marathon']['id']}/related", params={"user_id": "bob"})
    assert response.status_code == 404


def test_stats_for_a_user(api) -> None:
    api.remember("alice", "a" * 40, importance=0.95, valence=0.5, topics=["food"], agent_id="bot")
    api.remember("alice", "b" * 20, importance=0.05, valence=-0.5, source="agent", topics=["food", "travel"])
    api.remember("bob", "not counted")
    body = api.get("/v1/stats", params={"user_id": "alice"}).json()
    assert body["total_memories"] == 2
    assert body["estimated_tokens"] == 15
    assert body["average_importance"] == pytest.approx(0.5)
    assert body["average_valence"] == pytest.approx(0.0)
    assert body["importance_histogram"] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert body["by_source"] == {"api": 1, "agent": 1}
    assert body["by_agent"] == {"bot": 1, "": 1}
    assert body["by_topic"] == {"food": 2, "travel": 1}


def test_tenant_wide_stats_need_admin(api, admin, other_tenant) -> None:
    api.remember("alice", "one")
    api.remember("bob", "two")
    other_tenant.remember("carol", "three")
    assert api.get("/v1/stats").status_code == 403
    body = admin.get("/v1/stats").json()
    assert body["total_memories"] == 2 and body["user_id"] is None


def test_stats_of_an_empty_scope(api) -> None:
    body = api.get("/v1/stats", params={"user_id": "nobody"}).json()
    assert body["total_memories"] == 0 and body["importance_histogram"] == [0] * 10
    assert body["average_importance"] is None
