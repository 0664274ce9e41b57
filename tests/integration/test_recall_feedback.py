"""Recall feedback over HTTP on both backends: searches and conversation turns return a recall id, the client says
which memories it used or ignored, and stats count it."""

from __future__ import annotations

from tests.conftest import Api


def feedback_stats(api: Api, user_id: str = "alice") -> dict:
    return api.get("/v1/stats", params={"user_id": user_id}).json()["recall_feedback"]


def test_a_search_returns_a_recall_id_and_feedback_on_it_is_counted(api: Api) -> None:
    # Given memories and a search that returns two of them
    for content in ("Lives in Lisbon", "Works in Lisbon as a nurse", "Has a cat named Miso"):
        api.remember("alice", content)
    assert feedback_stats(api) == {"total_recalls": 0, "used_count": 0, "ignored_count": 0, "usage_rate": None}
    found = api.get("/v1/memories/search", params={"user_id": "alice", "q": "Lisbon", "mode": "keyword"}).json()
    ids = [hit["memory"]["id"] for hit in found["results"]]
    assert len(ids) == 2 and found["recall_id"]
    # When the client reports one used and one ignored (twice: the second replaces the first)
    path = f"/v1/recalls/{found['recall_id']}/feedback"
    for _ in range(2):
        answer = api.post(path, json={"user_id": "alice", "used": [ids[0]], "ignored": [ids[1]]})
        assert answer.status_code == 200, answer.text
    assert answer.json() == {"recall_id": found["recall_id"], "memory_ids": ids, "used": [ids[0]], "ignored": [ids[1]]}
    # Then stats count one recall with one used and one ignored memory
    assert feedback_stats(api) == {"total_recalls": 1, "used_count": 1, "ignored_count": 1, "usage_rate": 0.5}
    # And a search that finds nothing records no recall
    assert api.get("/v1/memories/search", params={"user_id": "alice", "q": "zzzz"}).json()["recall_id"] is None
    assert feedback_stats(api)["total_recalls"] == 1


def test_a_conversation_turn_returns_a_recall_id_for_what_it_recalled(api: Api) -> None:
    api.remember("alice", "Prefers Python over JavaScript for backend development")
    turn = api.post(
        "/v1/conversations/t1/messages",
        json={"user_id": "alice", "memory": "readonly", "messages": [{"role": "user", "content": "Python or Java?"}]},
    ).json()
    assert turn["recalled"] and turn["recall_id"]
    recalled = [r["id"] for r in turn["recalled"]]
    used = api.post(f"/v1/recalls/{turn['recall_id']}/feedback", json={"user_id": "alice", "used": recalled})
    assert used.status_code == 200
    assert feedback_stats(api) == {
        "total_recalls": 1,
        "used_count": len(recalled),
        "ignored_count": 0,
        "usage_rate": 1.0,
    }


def test_bad_feedback_is_refused(api: Api, other_tenant: Api) -> None:
    first = api.remember("alice", "Lives in Lisbon")
    other = api.remember("alice", "Has a cat named Miso")
    recall = api.get("/v1/memories/search", params={"user_id": "alice", "q": "Lisbon", "mode": "keyword"}).json()
    path = f"/v1/recalls/{recall['recall_id']}/feedback"
    # A memory that was not recalled, one in both lists, nothing named, an unknown recall, another user's or tenant's
    assert api.post(path, json={"user_id": "alice", "used": [other["id"]]}).status_code == 422
    assert api.post(path, json={"user_id": "alice", "used": [first["id"]], "ignored": [first["id"]]}).status_code == 422
    assert api.post(path, json={"user_id": "alice"}).status_code == 422
    assert (
        api.post(
            "/v1/recalls/01JD00000000000000000000NO/feedback", json={"user_id": "alice", "used": [first["id"]]}
        ).status_code
        == 404
    )
    assert api.post(path, json={"user_id": "bob", "used": [first["id"]]}).status_code == 404
    assert other_tenant.post(path, json={"user_id": "alice", "used": [first["id"]]}).status_code == 404
    assert feedback_stats(api) == {"total_recalls": 1, "used_count": 0, "ignored_count": 0, "usage_rate": None}


def test_clearing_a_user_clears_their_recalls_too(api: Api) -> None:
    api.remember("alice", "Lives in Lisbon")
    api.get("/v1/memories/search", params={"user_id": "alice", "q": "Lisbon"})
    assert feedback_stats(api)["total_recalls"] == 1
    api.delete("/v1/memories", params={"user_id": "alice", "confirm": "alice"})
    assert feedback_stats(api)["total_recalls"] == 0
