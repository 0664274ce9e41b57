"""Async jobs over HTTP on both backends: start, single flight, polling, and what optimize changes."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from agent_memory.domain.clock import utcnow
from agent_memory.domain.models import HistoryEntry, HistoryEvent, Memory, Source
from agent_memory.domain.operations import JobKind, Operation, OperationStatus
from agent_memory.runtime import Runtime
from tests.conftest import Api, Jobs


def start(api: Api, kind: str, user_id: str = "u1", **params: object):  # type: ignore[no-untyped-def]
    return api.post(f"/v1/jobs/{kind}", json={"user_id": user_id, **params})


def seed(api: Api) -> dict[str, str]:
    contents = [
        "Lives in Berlin",
        "Likes tea.",
        "likes tea",
        "Likes coffee",
        "Plays tennis on weekends",
        "Has a dog named Rex",
        "Lives in Munich",
        "No longer likes coffee",
    ]
    return {content: api.remember("u1", content)["id"] for content in contents}


def test_given_seeded_duplicates_and_contradictions_when_optimize_runs_then_they_are_resolved_as_documented(
    api: Api, jobs: Jobs
) -> None:
    ids = seed(api)
    jobs.hold()

    # When: optimize is started twice while the first is still queued
    first = start(api, "optimize")
    second = start(api, "optimize")

    # Then: one job, 202 then 200 with the same operation
    assert first.status_code == 202, first.text
    assert first.headers["Location"] == f"/v1/operations/{first.json()['operation_id']}"
    assert first.json()["status"] == "queued"
    assert second.status_code == 200 and second.json()["operation_id"] == first.json()["operation_id"]

    jobs.drain()
    done = api.get(f"/v1/operations/{first.json()['operation_id']}").json()
    assert done["status"] == "succeeded", done
    assert done["counts"]["merged"] == 1 and done["counts"]["superseded"] == 2
    assert done["progress"] == {"phase": "refresh-topics", "phase_number": 2, "phases": 2, "done": 5, "total": 5}
    superseded = {(c["superseded_content"], c["kept_content"]) for c in done["result"]["supersessions"]}
    assert superseded == {("Lives in Berlin", "Lives in Munich"), ("Likes coffee", "No longer likes coffee")}
    assert [c["superseded_content"] for c in done["result"]["merges"]] == ["likes tea"]

    # The superseded are hidden from listing and search, kept with superseded_by and in their history
    listed = api.get("/v1/memories", params={"user_id": "u1"}).json()
    assert {m["content"] for m in listed["items"]} == {
        "Likes tea.",
        "Plays tennis on weekends",
        "Has a dog named Rex",
        "Lives in Munich",
        "No longer likes coffee",
    }
    found = api.get("/v1/memories/search", params={"user_id": "u1", "q": "Berlin", "mode": "keyword"}).json()
    assert found["results"] == []
    berlin = api.get(f"/v1/memories/{ids['Lives in Berlin']}", params={"user_id": "u1"}).json()
    assert berlin["superseded_by"] == ids["Lives in Munich"]
    history = api.get(f"/v1/memories/{ids['Lives in Berlin']}/history", params={"user_id": "u1"}).json()
    assert [entry["event"] for entry in history["entries"]] == ["created", "superseded"]
    everything = api.get("/v1/memories", params={"user_id": "u1", "include_superseded": "true"}).json()
    assert everything["total"] == 8
    munich = api.get(f"/v1/memories/{ids['Lives in Munich']}", params={"user_id": "u1"}).json()
    assert munich["supersedes"] == ids["Lives in Berlin"] and munich["topics"]

    # And: the lock is released, so the next optimize is a new job that finds nothing left to do
    again = start(api, "optimize")
    assert again.status_code == 202 and again.json()["operation_id"] != first.json()["operation_id"]
    jobs.drain()
    rerun = api.get(f"/v1/operations/{again.json()['operation_id']}").json()
    assert rerun["status"] == "succeeded" and rerun["counts"]["merged"] == rerun["counts"]["superseded"] == 0


def test_given_dry_run_when_optimize_runs_then_the_plan_is_reported_and_nothing_changes(api: Api, jobs: Jobs) -> None:
    seed(api)
    before = api.get("/v1/memories", params={"user_id": "u1"}).json()

    operation = start(api, "optimize", dry_run=True).json()
    jobs.drain()

    done = api.get(f"/v1/operations/{operation['operation_id']}").json()
    assert done["status"] == "succeeded" and done["params"] == {"dry_run": True}
    assert done["counts"]["merges"] == 1 and done["counts"]["supersessions"] == 2
    assert done["result"]["dry_run"] is True and len(done["result"]["supersessions"]) == 2
    assert api.get("/v1/memories", params={"user_id": "u1"}).json() == before


def test_given_jobs_of_different_users_and_kinds_then_each_runs_on_its_own(api: Api, jobs: Jobs) -> None:
    jobs.hold()
    a = start(api, "optimize", "u1")
    b = start(api, "optimize", "u2")
    c = start(api, "backfill-entities", "u1")
    assert [r.status_code for r in (a, b, c)] == [202, 202, 202]
    assert len({r.json()["operation_id"] for r in (a, b, c)}) == 3
    jobs.drain()


def test_given_concurrent_starts_of_the_same_job_then_exactly_one_is_created(api: Api, jobs: Jobs) -> None:
    jobs.hold()
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: start(api, "reindex"), range(6)))
    assert sorted(r.status_code for r in answers) == [200] * 5 + [202]
    assert len({r.json()["operation_id"] for r in answers}) == 1
    jobs.drain()


def test_given_a_job_whose_lock_ran_out_when_started_again_then_a_new_job_runs_and_the_old_is_marked_failed(
    api: Api, jobs: Jobs, runtime: Runtime
) -> None:
    # Given: an operation that started and then stopped reporting (its process died); its lock is already stale
    now = utcnow()
    crashed = Operation("01CRASHED0000000000000000", "acme", "u1", JobKind.REINDEX, OperationStatus.RUNNING, now, now)
    runtime.operation_store.open_operation(crashed, now, now)

    answer = start(api, "reindex")

    assert answer.status_code == 202 and answer.json()["operation_id"] != crashed.id
    old = api.get(f"/v1/operations/{crashed.id}").json()
    assert old["status"] == "failed" and "stopped reporting" in old["error"]
    jobs.drain()
    assert api.get(f"/v1/operations/{answer.json()['operation_id']}").json()["status"] == "succeeded"


def test_given_a_step_that_fails_then_the_operation_fails_with_the_error_and_the_lock_is_released(
    api: Api, jobs: Jobs, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.remember("u1", "Lives in Berlin")
    from agent_memory.domain.errors import ModelOutputInvalid
    from agent_memory.services.jobs.entities import BackfillEntities

    def broken(*_: object) -> None:
        raise ModelOutputInvalid("the model gave no valid record_entities answer twice")

    monkeypatch.setattr(BackfillEntities, "run", broken)

    operation = start(api, "backfill-entities").json()
    jobs.drain()

    failed = api.get(f"/v1/operations/{operation['operation_id']}").json()
    assert failed["status"] == "failed" and failed["finished_at"] is not None
    assert failed["error"] == "ModelOutputInvalid: the model gave no valid record_entities answer twice"
    monkeypatch.undo()
    retry = start(api, "backfill-entities")
    assert retry.status_code == 202
    jobs.drain()
    assert api.get(f"/v1/operations/{retry.json()['operation_id']}").json()["status"] == "succeeded"


def test_given_a_memory_stored_before_knowledge_reading_when_backfilled_then_only_it_gets_entities_and_relations(
    api: Api, jobs: Jobs, runtime: Runtime
) -> None:
    # Given a memory stored without entities or relations (as written before they were read on write)...
    now = utcnow()
    bare = Memory("01BARE000000000000000000000", "acme", "u1", "Works at Google in Zurich", Source.API, now, now)
    runtime.store.insert(bare, HistoryEntry(bare.id, 1, HistoryEvent.CREATED, now, bare.content, None, ()))
    # ...and one written now, which has both already
    current = api.remember("u1", "Visited Paris", entities=[{"name": "Paris", "type": "place"}])
    assert current["entities"] and current["relations"]

    operation = start(api, "backfill-entities").json()
    jobs.drain()

    done = api.get(f"/v1/operations/{operation['operation_id']}").json()
    assert done["counts"] == {"scanned": 2, "entities_added": 1, "conflicts": 0}
    read = api.get(f"/v1/memories/{bare.id}", params={"user_id": "u1"}).json()
    assert {(e["name"], e["type"]) for e in read["entities"]} == {("Google", "organization"), ("Zurich", "place")}
    assert ("user", "works_at", "organization:google") in {
        (r["subject"]["id"], r["predicate"], r["object"]["id"]) for r in read["relations"]
    }
    assert api.get(f"/v1/memories/{current['id']}", params={"user_id": "u1"}).json()["version"] == 1
    assert "organization:google" in {
        e["id"] for e in api.get("/v1/entities", params={"user_id": "u1"}).json()["entities"]
    }


def test_reindex_reembeds_vectors_of_another_model(api: Api, jobs: Jobs, runtime: Runtime) -> None:
    from agent_memory.domain.models import Owner

    memory = api.remember("u1", "Prefers window seats on long flights")
    owner = Owner("acme", "u1")
    (_, vector), *_ = runtime.store.memory_page(owner, None, 10)
    runtime.store.set_vectors(owner, "old-model", [(memory["id"], vector)])

    operation = start(api, "reindex").json()
    jobs.drain()

    done = api.get(f"/v1/operations/{operation['operation_id']}").json()
    assert done["status"] == "succeeded" and done["counts"]["reembedded"] == 1
    assert api.get(f"/v1/memories/{memory['id']}", params={"user_id": "u1"}).json()["embedding_model"] != "old-model"
    hits = api.get("/v1/memories/search", params={"user_id": "u1", "q": "window seat flights", "mode": "semantic"})
    assert [hit["memory"]["id"] for hit in hits.json()["results"]] == [memory["id"]]


def test_operations_are_listed_newest_first_filtered_and_paged(api: Api, jobs: Jobs) -> None:
    created = [start(api, kind, "u1").json()["operation_id"] for kind in ("reindex", "backfill-entities", "optimize")]
    start(api, "reindex", "u2")
    jobs.drain()

    page = api.get("/v1/operations", params={"user_id": "u1", "limit": 2}).json()
    assert [item["operation_id"] for item in page["items"]] == created[::-1][:2]
    rest = api.get("/v1/operations", params={"user_id": "u1", "limit": 2, "before": page["next_before"]}).json()
    assert [item["operation_id"] for item in rest["items"]] == [created[0]] and rest["next_before"] is None
    reindexes = api.get("/v1/operations", params={"kind": "reindex", "status": "succeeded"}).json()["items"]
    assert {item["user_id"] for item in reindexes} == {"u1", "u2"}
    assert api.get("/v1/operations", params={"status": "failed"}).json()["items"] == []


def test_bad_job_requests_are_refused_with_problems(api: Api, reader: Api, other_tenant: Api, jobs: Jobs) -> None:
    assert start(api, "defragment").status_code == 422
    assert api.post("/v1/jobs/optimize", json={}).status_code == 422
    assert start(api, "optimize", dry_run="maybe").status_code == 422
    refused = start(api, "reindex", dry_run=True)
    assert refused.status_code == 422 and refused.json()["detail"] == "reindex does not take dry_run."
    assert start(reader, "optimize").status_code == 403
    operation = start(api, "optimize").json()
    assert other_tenant.get(f"/v1/operations/{operation['operation_id']}").status_code == 404
    missing = api.get("/v1/operations/01NOSUCHOPERATION000000000")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert api.get("/v1/operations", params={"limit": 0}).status_code == 422
    jobs.drain()
