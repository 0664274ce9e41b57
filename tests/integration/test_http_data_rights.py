"""Data rights over HTTP on both backends: clear, export, import (round trip), and erasing a user with a receipt."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from agent_memory.domain.models import Owner
from agent_memory.runtime import Runtime
from tests.conftest import Api, Jobs


def seed(api: Api, user_id: str, *contents: str) -> list[dict]:
    return [api.remember(user_id, content) for content in contents]


def ndjson(response) -> list[dict]:  # type: ignore[no-untyped-def]
    return [json.loads(line) for line in response.text.splitlines() if line.strip()]


def memory_lines(lines: list[dict]) -> list[dict]:
    return sorted((line["memory"] for line in lines if line["type"] == "memory"), key=lambda m: m["id"])


# -- clear ----------------------------------------------------------------------------------------


def test_clearing_a_user_needs_the_user_id_repeated_as_confirmation(api: Api) -> None:
    # Given a user with memories
    seed(api, "alice", "Lives in Lisbon", "Has a cat named Miso")
    # When the clear names no confirmation, or the wrong one
    missing = api.delete("/v1/memories", params={"user_id": "alice"})
    wrong = api.delete("/v1/memories", params={"user_id": "alice", "confirm": "bob"})
    # Then nothing is deleted and the answer says how to confirm
    for response in (missing, wrong):
        assert response.status_code == 422
        assert response.json()["code"] == "confirmation_required"
    assert api.get("/v1/memories", params={"user_id": "alice"}).json()["total"] == 2


def test_clearing_a_user_deletes_all_their_memories_and_nothing_of_their_neighbours(api: Api) -> None:
    # Given two users, one with an edited memory (history)
    first, *_ = seed(api, "alice", "Lives in Lisbon", "Has a cat named Miso", "Works as a nurse")
    api.patch(f"/v1/memories/{first['id']}", json={"user_id": "alice", "content": "Lives in Porto"})
    seed(api, "bob", "Lives in Lisbon")
    # When alice is cleared
    response = api.delete("/v1/memories", params={"user_id": "alice", "confirm": "alice"})
    # Then it answers how many went, and listing, search and stats show nothing of hers
    assert response.status_code == 200, response.text
    assert response.json() == {"cleared": 3}
    assert api.get("/v1/memories", params={"user_id": "alice"}).json()["total"] == 0
    assert api.get("/v1/memories/search", params={"user_id": "alice", "q": "Lisbon"}).json()["results"] == []
    assert api.get("/v1/stats", params={"user_id": "alice"}).json()["total_memories"] == 0
    assert api.get(f"/v1/memories/{first['id']}/history", params={"user_id": "alice"}).status_code == 404
    # And bob keeps his
    assert api.get("/v1/memories/search", params={"user_id": "bob", "q": "Lisbon"}).json()["results"]
    # And clearing again is harmless
    assert api.delete("/v1/memories", params={"user_id": "alice", "confirm": "alice"}).json() == {"cleared": 0}


@pytest.mark.parametrize("how", ["clear", "erase"])
def test_given_a_user_searched_then_cleared_or_erased_when_they_write_again_then_search_sees_only_the_new(
    api: Api, admin: Api, jobs: Jobs, how: str
) -> None:
    # Given bob's memory, then alice's, searched once (a process may keep her scope in memory)
    seed(api, "bob", "Likes tea")
    seed(api, "alice", *(f"Diagnosed with condition number {n} in hospital" for n in range(8)))
    assert api.get("/v1/memories/search", params={"user_id": "alice", "q": "hospital"}).json()["total"] == 8
    # When she is cleared or erased, and then writes again
    if how == "clear":
        assert api.delete("/v1/memories", params={"user_id": "alice", "confirm": "alice"}).status_code == 200
    else:
        assert admin.delete("/v1/users/alice").status_code == 202
        jobs.drain()
    seed(api, "alice", "Went to the hospital for a checkup")
    # Then search finds the new memory alone: nothing of the old ones is counted or stands in its place
    found = api.get("/v1/memories/search", params={"user_id": "alice", "q": "hospital", "limit": 3}).json()
    assert [hit["memory"]["content"] for hit in found["results"]] == ["Went to the hospital for a checkup"]
    assert found["total"] == 1


def test_clearing_the_tenant_needs_admin_and_the_tenant_id(api: Api, admin: Api, other_tenant: Api) -> None:
    # Given memories of two users in acme and one in another tenant
    seed(api, "alice", "Lives in Lisbon")
    seed(api, "bob", "Likes tea", "Plays chess")
    seed(other_tenant, "alice", "Lives in Lisbon")
    # When a writer (no admin scope) asks, or an admin without the tenant id
    assert api.delete("/v1/memories", params={"all_users": "true", "confirm": "acme"}).status_code == 403
    assert admin.delete("/v1/memories", params={"all_users": "true", "confirm": "yes"}).status_code == 422
    assert admin.delete("/v1/memories", params={"confirm": "acme"}).status_code == 422  # neither user nor all_users
    # When the admin confirms with the tenant id
    response = admin.delete("/v1/memories", params={"all_users": "true", "confirm": "acme"})
    # Then every memory of acme is gone, and the other tenant's remain
    assert response.json() == {"cleared": 3}
    assert admin.get("/v1/stats").json()["total_memories"] == 0
    assert other_tenant.get("/v1/memories", params={"user_id": "alice"}).json()["total"] == 1


# -- export ---------------------------------------------------------------------------------------


def test_export_streams_a_user_as_ndjson_download_with_history_and_an_end_line(api: Api) -> None:
    # Given a user with an edited memory and a neighbour
    first, _ = seed(api, "alice", "Lives in Lisbon", "Has a cat named Miso")
    api.patch(f"/v1/memories/{first['id']}", json={"user_id": "alice", "content": "Lives in Porto"})
    seed(api, "bob", "Likes tea")
    # When alice's memories are exported
    response = api.get("/v1/export", params={"user_id": "alice"})
    # Then it is a download of NDJSON: header, settings, her memories with full history, and the end counts
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert response.headers["content-disposition"].startswith('attachment; filename="agent-memory-alice-')
    lines = ndjson(response)
    assert [lines[0]["type"], lines[1]["type"], lines[-1]["type"]] == ["header", "settings", "end"]
    assert lines[0]["format"] == "agent-memory.export/1" and lines[0]["user_id"] == "alice"
    memories = memory_lines(lines)
    assert {m["content"] for m in memories} == {"Lives in Porto", "Has a cat named Miso"}
    edited = next(m for m in memories if m["id"] == first["id"])
    assert [h["content"] for h in edited["history"]] == ["Lives in Lisbon", "Lives in Porto"]
    assert lines[-1]["counts"] == {"memories": 2, "history": 3, "operations": 0}


def test_export_as_one_json_document_parses_and_matches_the_ndjson(api: Api) -> None:
    seed(api, "alice", "Lives in Lisbon", "Has a cat named Miso")
    document = api.get("/v1/export", params={"user_id": "alice", "format": "json"})
    assert document.headers["content-type"].startswith("application/json")
    parsed = document.json()
    lines = ndjson(api.get("/v1/export", params={"user_id": "alice"}))
    assert sorted(parsed["memories"], key=lambda m: m["id"]) == memory_lines(lines)
    assert parsed["operations"] == [] and parsed["counts"]["memories"] == 2
    assert parsed["settings"]["max_content_chars"] == 300


def test_exporting_the_whole_tenant_needs_admin(api: Api, admin: Api) -> None:
    seed(api, "alice", "Lives in Lisbon")
    seed(api, "bob", "Likes tea")
    assert api.get("/v1/export").status_code == 403
    lines = ndjson(admin.get("/v1/export"))
    assert {m["user_id"] for m in memory_lines(lines)} == {"alice", "bob"}
    assert lines[0]["user_id"] is None


# -- import ---------------------------------------------------------------------------------------


def test_export_clear_import_round_trips_exactly_and_importing_twice_changes_nothing(api: Api) -> None:
    # Given a user with metadata, topics, an edited memory and a recalled one
    first, second, _ = seed(api, "alice", "Lives in Lisbon", "Has a cat named Miso", "Works as a nurse in Lyon")
    api.patch(f"/v1/memories/{first['id']}", json={"user_id": "alice", "metadata": {"k": [1, {"x": None}]}})
    api.get("/v1/memories/search", params={"user_id": "alice", "q": "cat Miso"})
    before = memory_lines(ndjson(api.get("/v1/export", params={"user_id": "alice"})))
    exported = api.get("/v1/export", params={"user_id": "alice"}).content
    # When the user is cleared and the export imported
    api.delete("/v1/memories", params={"user_id": "alice", "confirm": "alice"})
    response = api.post("/v1/import", content=exported, headers={"Content-Type": "application/x-ndjson"})
    # Then every memory is back exactly as it was, history and recalls included
    assert response.status_code == 200, response.text
    assert response.json()["imported"] == 3 and response.json()["skipped"] == 0
    assert memory_lines(ndjson(api.get("/v1/export", params={"user_id": "alice"}))) == before
    # And it is searchable again (vectors re-made)
    hits = api.get("/v1/memories/search", params={"user_id": "alice", "q": "cat Miso"}).json()["results"]
    assert hits and hits[0]["memory"]["id"] == second["id"]
    # And importing it again imports nothing
    again = api.post("/v1/import", content=exported, headers={"Content-Type": "application/x-ndjson"}).json()
    assert again["imported"] == 0 and again["skipped"] == 3
    assert {skip["reason"] for skip in again["skips"]} == {"exists"}


def test_an_import_holding_another_tenants_memory_id_never_reports_it_as_already_there(
    api: Api, other_tenant: Api
) -> None:
    # Given a memory of another tenant, and an export of alice's that carries the same id (an import keeps ids)
    theirs = other_tenant.post("/v1/memories", json={"user_id": "alice", "content": "Keeps bees on the roof"}).json()
    seed(api, "alice", "Keeps bees on the allotment")
    exported = api.get("/v1/export", params={"user_id": "alice"}).text
    lines = [json.loads(line) for line in exported.splitlines()]
    mine = next(line for line in lines if line.get("type") == "memory")
    lines = [{**line, "memory": {**line["memory"], "id": theirs["id"]}} if line is mine else line for line in lines]
    api.delete("/v1/memories", params={"user_id": "alice", "confirm": "alice"})
    # When it is imported
    body = "\n".join(json.dumps(line) for line in lines) + "\n"
    report = api.post("/v1/import", content=body, headers={"Content-Type": "application/x-ndjson"}).json()
    # Then the memory is imported under its id (ids are per user), or refused as taken: never skipped as "exists"
    if report["imported"] == 1:
        assert api.get(f"/v1/memories/{theirs['id']}", params={"user_id": "alice"}).json()["content"] == (
            "Keeps bees on the allotment"
        )
    else:
        assert [skip["reason"] for skip in report["skips"]] == ["id_taken"]
    # And the other tenant's memory is untouched and still found by search
    kept = other_tenant.get(f"/v1/memories/{theirs['id']}", params={"user_id": "alice"}).json()
    assert kept["content"] == "Keeps bees on the roof"
    hits = other_tenant.get("/v1/memories/search", params={"user_id": "alice", "q": "bees roof"}).json()["results"]
    assert [hit["memory"]["id"] for hit in hits] == [theirs["id"]]


def test_import_of_a_json_document_applies_the_duplicate_rule(api: Api) -> None:
    # Given a JSON export, then a clear, then a new memory that says the same as one of the exported ones
    seed(api, "alice", "Lives in Lisbon", "Has a cat named Miso")
    document = api.get("/v1/export", params={"user_id": "alice", "format": "json"}).content
    api.delete("/v1/memories", params={"user_id": "alice", "confirm": "alice"})
    existing = api.remember("alice", "lives in LISBON")
    # When it is imported here
    report = api.post("/v1/import", content=document, headers={"Content-Type": "application/json"}).json()
    # Then the duplicate is skipped naming the memory that holds the content; the rest is imported
    assert report["imported"] == 1 and report["skipped"] == 1
    assert report["skips"][0]["reason"] == "duplicate" and report["skips"][0]["existing_id"] == existing["id"]
    assert report["ignored"] == {"settings": 1}
    assert api.get("/v1/memories", params={"user_id": "alice"}).json()["total"] == 2


def test_import_refuses_what_is_not_an_export_and_reports_bad_lines(api: Api) -> None:
    headers = {"Content-Type": "application/x-ndjson"}
    # Given a body that does not start with an export header
    not_export = api.post("/v1/import", content=b'{"type": "memory"}\n', headers=headers)
    assert not_export.status_code == 422 and not_export.json()["code"] == "invalid_export"
    empty = api.post("/v1/import", content=b"", headers=headers)
    assert empty.status_code == 422 and empty.json()["code"] == "invalid_export"
    # Given an export with a broken line, a memory with a bad field and one good memory
    seed(api, "alice", "Lives in Lisbon")
    lines = api.get("/v1/export", params={"user_id": "alice"}).text.splitlines()
    good = json.loads(lines[2])
    api.delete("/v1/memories", params={"user_id": "alice", "confirm": "alice"})
    bad = json.loads(lines[2])
    bad["memory"].update(id="other-id", importance=7)
    body = "\n".join([lines[0], "{not json", json.dumps(bad), json.dumps(good)]).encode()
    report = api.post("/v1/import", content=body, headers=headers).json()
    # Then the good memory is imported and each bad line is reported by number, with why
    assert report["imported"] == 1
    assert [(skip["line"], skip["reason"]) for skip in report["skips"]] == [(2, "invalid"), (3, "invalid")]
    assert "importance" in report["skips"][1]["detail"]


# -- erase ----------------------------------------------------------------------------------------


def test_erasing_a_user_removes_every_trace_and_leaves_a_verified_receipt(
    api: Api, admin: Api, runtime: Runtime, jobs: Jobs
) -> None:
    # Given alice with memories (one edited), a replayable create, an optimize operation; and bob beside her
    first, *_ = seed(api, "alice", "Lives in Lisbon", "Has a cat named Miso")
    api.patch(f"/v1/memories/{first['id']}", json={"user_id": "alice", "content": "Lives in Porto"})
    keyed = api.post(
        "/v1/memories", json={"user_id": "alice", "content": "Works as a nurse"}, headers={"Idempotency-Key": "k-1"}
    )
    assert keyed.status_code == 201
    api.post("/v1/jobs/optimize", json={"user_id": "alice"})
    jobs.drain()
    seed(api, "bob", "Lives in Lisbon")
    bob_key = api.post(
        "/v1/memories", json={"user_id": "bob", "content": "Likes tea"}, headers={"Idempotency-Key": "k-2"}
    )
    # When an admin erases alice
    started = admin.delete("/v1/users/alice")
    assert started.status_code == 202, started.text
    assert started.headers["location"] == f"/v1/operations/{started.json()['operation_id']}"
    jobs.drain()
    receipt = api.get(started.headers["location"]).json()
    # Then the receipt counts what went from each store and says the verification found nothing
    assert receipt["status"] == "succeeded", receipt
    assert receipt["counts"]["memories"] == 3 and receipt["counts"]["idempotency_records"] == 1
    assert receipt["counts"]["operations"] == 1
    assert receipt["result"]["verified"] is True and receipt["result"]["found_in_verification"] == {}
    # And nothing of alice is left anywhere
    owner = Owner("acme", "alice")
    assert runtime.store.residue(owner) == {}
    assert api.get("/v1/memories", params={"user_id": "alice"}).json()["total"] == 0
    assert api.get("/v1/memories/search", params={"user_id": "alice", "q": "Lisbon Porto"}).json()["results"] == []
    assert [op["kind"] for op in api.get("/v1/operations", params={"user_id": "alice"}).json()["items"]] == [
        "erase-user"
    ]
    # And the replayed key does the work again (its stored response went with her)
    replay = api.post(
        "/v1/memories", json={"user_id": "alice", "content": "Works as a nurse"}, headers={"Idempotency-Key": "k-1"}
    )
    assert replay.status_code == 201 and "idempotent-replayed" not in {h.lower() for h in replay.headers}
    # And bob is untouched, his idempotent response included
    assert api.get("/v1/memories", params={"user_id": "bob"}).json()["total"] == 2
    again = api.post(
        "/v1/memories", json={"user_id": "bob", "content": "Likes tea"}, headers={"Idempotency-Key": "k-2"}
    )
    assert again.json()["id"] == bob_key.json()["id"]


def test_erase_refuses_unknown_users_and_non_admin_keys(api: Api, admin: Api, jobs: Jobs) -> None:
    seed(api, "alice", "Lives in Lisbon")
    assert api.delete("/v1/users/alice").status_code == 403
    unknown = admin.delete("/v1/users/nobody")
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    assert api.post("/v1/jobs/erase-user", json={"user_id": "alice"}).status_code == 422


def test_writes_during_an_erasure_are_refused_and_allowed_again_after_it(
    api: Api, admin: Api, runtime: Runtime, jobs: Jobs
) -> None:
    # Given an erasure of alice that has marked her (its first phase ran) but not finished
    seed(api, "alice", "Lives in Lisbon")
    runtime.store.begin_erasure(Owner("acme", "alice"), "op-in-progress", runtime.memories._clock())
    # When a memory of alice is written, alone or in a batch, or imported
    single = api.post("/v1/memories", json={"user_id": "alice", "content": "Has a cat"})
    batch = api.post("/v1/memories/batch", json={"items": [{"user_id": "alice", "content": "Likes tea"}]})
    # Then it is refused, never half-written; bob is not affected
    assert single.status_code == 409 and single.json()["code"] == "user_being_erased"
    assert batch.status_code == 409 or batch.json()["results"][0]["status"] == 409
    assert api.get("/v1/memories", params={"user_id": "alice"}).json()["total"] == 1
    # And no job of hers starts, and no conversation turn of hers is kept (its transcript would outlive the erasure)
    for kind in ("export", "optimize", "generate-episodes"):
        started = api.post(f"/v1/jobs/{kind}", json={"user_id": "alice"})
        assert started.status_code == 409 and started.json()["code"] == "user_being_erased", kind
    turn = api.post(
        "/v1/conversations/t1/messages",
        json={"user_id": "alice", "messages": [{"role": "user", "content": "I moved to Porto"}]},
    )
    assert turn.status_code == 409 and turn.json()["code"] == "user_being_erased"
    assert runtime.archive.logs_of("acme", "alice") == []
    api.remember("bob", "Has a cat")
    assert api.post("/v1/jobs/export", json={"user_id": "bob"}).status_code == 202
    # When the erasure runs to its end
    assert admin.delete("/v1/users/alice").status_code == 202
    jobs.drain()
    # Then alice can be written again, from nothing
    assert api.get("/v1/memories", params={"user_id": "alice"}).json()["total"] == 0
    api.remember("alice", "Has a cat")


def test_an_import_with_absurd_numbers_or_deep_nesting_reports_the_lines(api: Api) -> None:
    seed(api, "alice", "Lives in Lisbon")
    lines = api.get("/v1/export", params={"user_id": "alice"}).text.splitlines()
    api.delete("/v1/memories", params={"user_id": "alice", "confirm": "alice"})
    huge = json.loads(lines[2])
    huge["memory"]["version"] = 2**64
    deep = "[" * 100_000 + "]" * 100_000
    body = "\n".join([lines[0], json.dumps(huge), deep]).encode()
    report = api.post("/v1/import", content=body, headers={"Content-Type": "application/x-ndjson"})
    assert report.status_code == 200, report.text
    assert [(skip["line"], skip["reason"]) for skip in report.json()["skips"]] == [(2, "invalid"), (3, "invalid")]
    assert report.json()["imported"] == 0


def test_an_import_line_with_broken_unicode_or_a_repeated_history_version_is_skipped_and_the_rest_imported(
    api: Api,
) -> None:
    # Given an export of three memories, then a clear
    seed(api, "alice", "Lives in Lisbon", "Has a cat named Miso", "Works as a nurse")
    header, settings, *memories, end = api.get("/v1/export", params={"user_id": "alice"}).text.splitlines()
    api.delete("/v1/memories", params={"user_id": "alice", "confirm": "alice"})
    records = {json.loads(line)["memory"]["content"]: json.loads(line) for line in memories}
    # And one memory's content made an unpaired surrogate (JSON can write it; it is no text), another's history a
    # repeated version
    broken, repeated = records["Has a cat named Miso"], records["Works as a nurse"]
    broken["memory"]["content"] = "Has a cat \ud800"
    broken["memory"]["id"] = "id-\udfff"  # the report cannot name it either
    repeated["memory"]["history"] = repeated["memory"]["history"] * 2
    lines = [header, settings, json.dumps(records["Lives in Lisbon"]), json.dumps(broken), json.dumps(repeated), end]
    body = "\n".join(lines).encode()
    # When it is imported
    report = api.post("/v1/import", content=body, headers={"Content-Type": "application/x-ndjson"})
    # Then the two lines are skipped as invalid, and the good one is there
    assert report.status_code == 200, report.text
    assert [(skip["line"], skip["reason"]) for skip in report.json()["skips"]] == [(4, "invalid"), (5, "invalid")]
    assert [m["content"] for m in api.get("/v1/memories", params={"user_id": "alice"}).json()["items"]] == [
        "Lives in Lisbon"
    ]


def test_given_imported_ids_where_one_begins_another_then_each_keeps_its_own_history(api: Api) -> None:
    # Given two memories imported under the ids "m" and "m#x" (an import keeps ids; "#" is allowed in one)
    seed(api, "alice", "Lives in Lisbon", "Has a cat named Miso")
    header, settings, *memories, end = api.get("/v1/export", params={"user_id": "alice"}).text.splitlines()
    api.delete("/v1/memories", params={"user_id": "alice", "confirm": "alice"})
    renamed = []
    for record, new_id in zip(map(json.loads, memories), ("m", "m#x"), strict=True):
        record["memory"]["id"] = new_id
        renamed.append(json.dumps(record))
    body = "\n".join([header, settings, *renamed, end]).encode()
    assert (
        api.post("/v1/import", content=body, headers={"Content-Type": "application/x-ndjson"}).json()["imported"] == 2
    )

    def history(memory_id: str) -> list[str]:
        answer = api.get(f"/v1/memories/{quote(memory_id, safe='')}/history", params={"user_id": "alice"}).json()
        return [entry["content"] for entry in answer["entries"]]

    # When their histories are read / Then each holds its own entry only
    assert len(history("m")) == 1 and len(history("m#x")) == 1 and history("m") != history("m#x")
    # And deleting "m" leaves the history of "m#x"
    assert api.delete("/v1/memories/m", params={"user_id": "alice"}).status_code == 204
    assert len(history("m#x")) == 1


def test_given_an_export_holding_an_expired_memory_and_a_live_one_with_its_words_then_import_restores_the_live_one(
    api: Api,
) -> None:
    # Given an export where an expired memory (not yet removed) and a live one say the same thing
    seed(api, "alice", "Favourite colour is green")
    header, settings, live, end = api.get("/v1/export", params={"user_id": "alice"}).text.splitlines()
    api.delete("/v1/memories", params={"user_id": "alice", "confirm": "alice"})
    expired = json.loads(live)
    expired["memory"].update(id="00-expired", expires_at="2020-01-02T00:00:00+00:00")
    expired["memory"]["created_at"] = expired["memory"]["updated_at"] = "2020-01-01T00:00:00+00:00"
    body = "\n".join([header, settings, json.dumps(expired), live, end]).encode()
    # When it is imported
    report = api.post("/v1/import", content=body, headers={"Content-Type": "application/x-ndjson"}).json()
    # Then the live memory is back, as on a write: an expired memory no longer holds its words
    assert [skip["reason"] for skip in report["skips"]] == []
    listed = api.get("/v1/memories", params={"user_id": "alice"}).json()["items"]
    assert [(m["id"], m["content"]) for m in listed] == [
        (json.loads(live)["memory"]["id"], "Favourite colour is green")
    ]


def test_a_user_known_only_by_a_stored_response_can_still_be_erased(api: Api, admin: Api, jobs: Jobs) -> None:
    # Given a create with an Idempotency-Key, then a clear: only the stored response still names carol
    created = api.post(
        "/v1/memories", json={"user_id": "carol", "content": "Has diabetes"}, headers={"Idempotency-Key": "k-carol"}
    )
    assert created.status_code == 201
    api.delete("/v1/memories", params={"user_id": "carol", "confirm": "carol"})
    # When carol is erased, the erasure runs (not 404) and removes that response
    started = admin.delete("/v1/users/carol")
    assert started.status_code == 202, started.text
    jobs.drain()
    receipt = api.get(started.headers["location"]).json()
    assert receipt["status"] == "succeeded" and receipt["counts"]["idempotency_records"] == 1
    replay = api.post(
        "/v1/memories", json={"user_id": "carol", "content": "Has diabetes"}, headers={"Idempotency-Key": "k-carol"}
    )
    assert replay.status_code == 201 and replay.json()["id"] != created.json()["id"]


def test_given_an_erasure_under_way_then_its_200_answer_is_documented_beside_the_202(client) -> None:
    # A second erase of the same user while the first runs answers 200 with the running operation (single flight):
    # the OpenAPI document must list it, or a client generated from it rejects the answer.
    responses = client.get("/openapi.json").json()["paths"]["/v1/users/{user_id}"]["delete"]["responses"]
    assert {"200", "202"} <= set(responses)
