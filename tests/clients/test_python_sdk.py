"""The Python SDK (clients/python) against a real `agent-memory serve` process on a free loopback port (conftest).

Every test works on its own user ids. Only the retry-timing test uses a loopback httpx MockTransport (a server
cannot be made to answer 503 with Retry-After on demand); the lost-answer test forwards every request to the real
server and drops one answer on the way back.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from agent_memory_client import (
    NO_RETRIES,
    AgentMemory,
    AsyncAgentMemory,
    ConnectionFailed,
    DuplicateMemory,
    Forbidden,
    NewMemory,
    NotFound,
    RetryPolicy,
    ServiceUnavailable,
    Unauthorized,
    ValidationFailed,
    VersionConflict,
)

from agent_memory.bench.server_process import free_port


def test_given_a_new_memory_when_read_updated_and_deleted_then_each_step_answers_typed_models(memory) -> None:
    # Given a memory
    created = memory.create_memory("ada", "Lives in Lyon", topics=["home"], importance=0.7, entities=[{"name": "Lyon"}])
    assert created.source == "api" and created.version == 1 and created.topics == ["home"]
    assert [entity.name for entity in created.entities] == ["Lyon"]
    # When it is read and updated
    assert memory.get_memory(created.id, user_id="ada") == created
    updated = memory.update_memory(created.id, user_id="ada", content="Lives in Berlin", version=1)
    # Then the update is versioned and in the history
    assert updated.content == "Lives in Berlin" and updated.version == 2
    history = memory.memory_history(created.id, user_id="ada")
    assert [(e.event, e.previous_content) for e in history.entries] == [("created", None), ("updated", "Lives in Lyon")]
    with pytest.raises(VersionConflict) as stale:
        memory.update_memory(created.id, user_id="ada", summary="stale", version=1)
    assert stale.value.status == 409 and stale.value.code == "version_conflict"
    # And once deleted it is gone
    memory.delete_memory(created.id, user_id="ada")
    with pytest.raises(NotFound) as gone:
        memory.get_memory(created.id, user_id="ada")
    assert gone.value.status == 404 and gone.value.type == "urn:agent-memory:problem:not_found" and gone.value.detail


def test_given_duplicate_content_when_created_then_duplicate_memory_carries_existing_id(memory) -> None:
    # Given a memory
    first = memory.create_memory("bea", "Prefers window seats on long flights")
    # When the same content (other case and spacing) is created again
    with pytest.raises(DuplicateMemory) as duplicate:
        memory.create_memory("bea", "prefers  WINDOW seats on long flights")
    # Then the error names the memory that exists
    assert duplicate.value.existing_id == first.id
    assert duplicate.value.status == 409 and duplicate.value.code == "duplicate_memory"
    assert duplicate.value.title == "Duplicate memory"


def test_given_more_memories_than_a_page_when_iterated_then_each_comes_once_newest_first(memory) -> None:
    # Given seven memories, created in one batch
    batch = memory.create_memories([NewMemory(user_id="cyd", content=f"Fact number {n}") for n in range(7)])
    assert batch.created == 7 and batch.failed == 0
    # When they are iterated three per page
    seen = list(memory.iter_memories(user_id="cyd", page_size=3))
    # Then every memory comes exactly once, in the order a single listing gives
    assert len(seen) == 7 and len({m.id for m in seen}) == 7
    assert [m.id for m in seen] == [m.id for m in memory.list_memories(user_id="cyd", limit=100).items]
    first_page = memory.list_memories(user_id="cyd", limit=3)
    assert first_page.total == 7 and first_page.next_cursor is not None
    # And the filters apply to every page
    assert [m.content for m in memory.iter_memories(user_id="cyd", page_size=2, topic="absent")] == []
    memory.delete_memories([m.id for m in seen[:2]], user_id="cyd")
    assert len(list(memory.iter_memories(user_id="cyd"))) == 5


def test_given_stored_memories_when_searched_then_the_match_ranks_first_and_feedback_counts(memory) -> None:
    # Given two memories of a user
    tea = memory.create_memory("dee", "Drinks green tea every morning", topics=["food"])
    memory.create_memory("dee", "Works as a structural engineer", topics=["work"])
    # When searched by keyword
    found = memory.search("green tea", user_id="dee", mode="keyword", limit=5)
    # Then the matching memory comes first, with highlights and a recall id
    assert found.results[0].memory.id == tea.id and found.total == 1
    assert any("**" in snippet for snippet in found.results[0].highlights)
    assert found.recall_id is not None
    feedback = memory.recall_feedback(found.recall_id, user_id="dee", used=[tea.id])
    assert feedback.used == [tea.id]
    # And the stats, related memories and topics see them
    stats = memory.stats(user_id="dee")
    assert stats.total_memories == 2 and stats.recall_feedback.used_count == 1
    assert stats.by_topic == {"food": 1, "work": 1}
    assert tea.id not in [hit.memory.id for hit in memory.related_memories(tea.id, user_id="dee").results]
    assert {topic.label for topic in memory.topics(user_id="dee").topics} == {"food", "work"}
    clusters = memory.clusters(user_id="dee", n=2)
    assert sorted(member for c in clusters.clusters for member in c.memory_ids) == sorted(
        m.id for m in memory.iter_memories(user_id="dee")
    )


def test_given_an_optimize_job_when_started_then_its_operation_is_polled_to_success(memory) -> None:
    # Given a user with two memories that say the same thing
    memory.create_memory("eve", "Likes tea.")
    memory.create_memory("eve", "likes tea")
    # When an optimize job is started and polled
    started = memory.start_job("optimize", user_id="eve")
    assert started.kind == "optimize" and started.status in {"queued", "running", "succeeded"}
    done = memory.wait_for_operation(started, timeout=30, interval=0.1)
    # Then it succeeded, merged them, and is listed among the user's operations
    assert done.status == "succeeded" and done.finished and done.counts["merged"] == 1, done
    assert started.operation_id in [op.operation_id for op in memory.iter_operations(user_id="eve", kind="optimize")]
    assert memory.get_operation(started.operation_id).operation_id == started.operation_id


def test_given_memories_naming_people_and_places_when_the_graph_is_read_then_it_answers_typed_nodes_and_edges(
    memory,
) -> None:
    # Given two memories whose content names people, places and an employer
    home = memory.create_memory("jo", "Lives in Lisbon with her partner Ana")
    memory.create_memory("jo", "Works at Feedzai in Coimbra")
    assert ("user", "lives_in", "place:lisbon") in {(r.subject.id, r.predicate, r.object.id) for r in home.relations}
    # When the graph is read
    graph = memory.graph(user_id="jo")
    # Then it holds the entities the memories name and the relations they state
    named = {"user", "person:ana", "place:lisbon", "place:coimbra", "organization:feedzai"}
    assert {node.id for node in graph.entities} == named
    edges = {(edge.subject, edge.predicate, edge.object) for edge in graph.relations}
    assert {("user", "lives_in", "place:lisbon"), ("user", "works_at", "organization:feedzai")} <= edges
    assert not graph.truncated and all(edge.valid_to is None and edge.memory_ids for edge in graph.relations)
    # And the neighbourhood of one entity, a limit, the listing by type and the stats agree with it
    near = memory.graph(user_id="jo", entity="Lisbon", depth=1)
    assert {node.id for node in near.entities} == {"place:lisbon", "user"}
    cut = memory.graph(user_id="jo", limit=1)
    assert cut.truncated and len(cut.entities) == 1
    places = memory.list_entities(user_id="jo", type="place")
    assert sorted(node.name for node in places.entities) == ["Coimbra", "Lisbon"] and places.total == 2
    second = memory.list_entities(user_id="jo", limit=1, offset=1)
    assert len(second.entities) == 1 and second.offset == 1 and second.total == 4
    stats = memory.stats(user_id="jo")
    assert (stats.total_entities, stats.total_relations) == (4, 3) and stats.entity_type_distribution["place"] == 2


def test_given_an_entity_when_read_by_id_or_name_then_it_comes_with_its_relations_and_memories(memory) -> None:
    # Given a memory naming a place
    home = memory.create_memory("kim", "Lives in Porto with her partner Rui")
    # When the place is read by id and by name (any case)
    by_id = memory.get_entity("place:porto", user_id="kim")
    by_name = memory.get_entity("porto", user_id="kim")
    # Then both are the same entity, with the relation and the memory stating it
    assert by_id == by_name and (by_id.name, by_id.type, by_id.mentions) == ("Porto", "place", 1)
    assert [(edge.subject, edge.predicate) for edge in by_id.relations] == [("user", "lives_in")]
    assert [each.id for each in by_id.memories] == [home.id] and by_id.relations[0].memory_ids == [home.id]
    # And an unknown entity is NotFound, a depth beyond 3 ValidationFailed
    with pytest.raises(NotFound) as unknown:
        memory.get_entity("place:atlantis", user_id="kim")
    assert unknown.value.status == 404
    with pytest.raises(ValidationFailed) as too_deep:
        memory.graph(user_id="kim", entity="Porto", depth=4)
    assert too_deep.value.status == 422 and "depth" in too_deep.value.errors[0]["loc"]


def test_given_an_earlier_run_when_a_turn_and_a_runs_search_follow_then_they_find_its_output(memory) -> None:
    # Given a thread where the assistant answered
    answer = "The Alfa Pendular train from Lisbon Oriente reaches Coimbra in under two hours."
    asked = [{"role": "user", "content": "Which train goes to Coimbra?"}, {"role": "assistant", "content": answer}]
    first = memory.conversation_turn("run-1", asked, user_id="lea", memory="off")
    assert first.transcript is not None and first.previous_runs == []
    # When a turn of another thread asks about it, and the runs are searched
    again = [{"role": "user", "content": "Remind me about the train to Coimbra"}]
    turn = memory.conversation_turn("run-2", again, user_id="lea", memory="readonly")
    found = memory.search_runs("train to Coimbra", user_id="lea", limit=3)
    # Then both find the earlier output, typed
    assert [(run.thread_id, run.content) for run in turn.previous_runs] == [("run-1", answer)]
    assert answer in turn.context and turn.previous_runs[0].score > 0 and turn.previous_runs[0].ts is not None
    assert found.query == "train to Coimbra" and found.user_id == "lea"
    assert [run.thread_id for run in found.results] == ["run-1"]
    # And a turn can leave them out
    assert (
        memory.conversation_turn("run-3", again, user_id="lea", memory="off", previous_runs=False).previous_runs == []
    )


def test_given_the_async_client_when_used_then_it_creates_searches_iterates_and_reports_errors(server) -> None:
    async def scenario() -> None:
        async with AsyncAgentMemory(server.base_url, api_key=server.admin_key) as memory:
            created = await memory.create_memory("fay", "Plays the cello on weekends")
            with pytest.raises(DuplicateMemory) as duplicate:
                await memory.create_memory("fay", "Plays the cello on weekends")
            assert duplicate.value.existing_id == created.id
            found = await memory.search("cello", user_id="fay", mode="keyword")
            assert [hit.memory.id for hit in found.results] == [created.id]
            assert [m.id async for m in memory.iter_memories(user_id="fay", page_size=1)] == [created.id]
            turn = await memory.conversation_turn(
                "t-1", [{"role": "user", "content": "I moved to Lisbon last month."}], user_id="fay", memory="on"
            )
            assert turn.saved and turn.mode == "on"
            lisbon = await memory.get_entity("Lisbon", user_id="fay")
            assert lisbon.id == "place:lisbon" and [each.id for each in lisbon.memories] == [turn.saved[0].id]
            assert "place:lisbon" in {node.id for node in (await memory.graph(user_id="fay")).entities}
            assert (await memory.list_entities(user_id="fay", type="place")).total == 1
            assert (await memory.search_runs("Lisbon", user_id="fay")).results == []
            job = await memory.start_job("backfill-entities", user_id="fay")
            assert (await memory.wait_for_operation(job, timeout=30, interval=0.1)).status == "succeeded"

    asyncio.run(scenario())


def test_given_keys_and_bad_input_when_called_then_problems_map_to_typed_errors(server) -> None:
    # Given a wrong key, a read-only key and an invalid body
    with AgentMemory(server.base_url, api_key="am_wrong") as stranger, pytest.raises(Unauthorized) as unknown:
        stranger.list_memories(user_id="gus")
    assert unknown.value.status == 401 and unknown.value.code == "unauthenticated"
    with AgentMemory(server.base_url, api_key=server.reader_key) as reader:
        assert reader.list_memories(user_id="gus").total == 0
        with pytest.raises(Forbidden):
            reader.create_memory("gus", "Not allowed to write")
    with server.client() as memory, pytest.raises(ValidationFailed) as invalid:
        memory.create_memory("gus", "Too important", importance=2.0)
    # Then each is its own exception, with the problem's fields
    assert invalid.value.status == 422 and invalid.value.code == "invalid_input"
    assert invalid.value.errors and "importance" in invalid.value.errors[0]["loc"]


def test_given_the_key_in_the_environment_when_no_key_is_passed_then_it_is_used(server, monkeypatch) -> None:
    monkeypatch.setenv("AGENT_MEMORY_API_KEY", server.admin_key)
    with AgentMemory(server.base_url) as memory:
        assert memory.get_settings().max_content_chars >= 1
        assert memory.health().status == "ok"


def test_given_settings_when_changed_then_the_change_is_read_back_and_undone(memory) -> None:
    before = memory.get_settings()
    changed = memory.update_settings(recall_limit=7, memory_retention_days=None)
    assert changed.recall_limit == 7 and changed.memory_retention_days is None
    assert memory.update_settings(recall_limit=before.recall_limit).recall_limit == before.recall_limit


def test_given_a_users_memories_when_exported_cleared_imported_and_erased_then_each_step_reports(memory) -> None:
    # Given a user's memory, exported
    kept = memory.create_memory("hal", "Keeps bees in the garden")
    exported = memory.export(user_id="hal")
    assert b'"Keeps bees in the garden"' in exported
    # When cleared (confirmation required) and imported back
    with pytest.raises(ValidationFailed) as unconfirmed:
        memory.clear_memories(user_id="hal", confirm="someone-else")
    assert unconfirmed.value.code == "confirmation_required"
    assert memory.clear_memories(user_id="hal", confirm="hal") == 1
    report = memory.import_memories(exported)
    # Then the memory is back with its id
    assert report.imported == 1 and memory.get_memory(kept.id, user_id="hal").content == kept.content
    # And the export job's file holds it, and an erasure removes every trace
    job = memory.start_job("export", user_id="hal")
    with pytest.raises(NotFound):
        memory.download_export("01J00000000000000000000000")
    assert memory.wait_for_operation(job, timeout=30, interval=0.1).status == "succeeded"
    assert b'"Keeps bees in the garden"' in memory.download_export(job.operation_id)
    receipt = memory.wait_for_operation(memory.erase_user("hal"), timeout=30, interval=0.1)
    assert receipt.kind == "erase-user" and receipt.status == "succeeded" and receipt.result["verified"] is True
    assert memory.list_memories(user_id="hal").total == 0


class DropsFirstAnswer(httpx.BaseTransport):
    """Sends every request to the real server, but loses the first answer on the way back."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.sent: list[httpx.Request] = []
        self.answers: list[httpx.Response] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        response = self.inner.handle_request(request)
        response.read()
        self.answers.append(response)
        if len(self.sent) == 1:
            raise httpx.ReadError("connection reset before the answer arrived", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


def test_given_a_lost_answer_when_a_create_is_retried_then_its_idempotency_key_replays_the_first(server) -> None:
    # Given a link that loses the first answer
    link = DropsFirstAnswer()
    with server.client(transport=link, retry=RetryPolicy(backoff=0.01)) as memory:
        # When a memory is created
        created = memory.create_memory("ivy", "Runs a marathon every spring")
        # Then the retry carried the same Idempotency-Key and the server replayed its first answer
        keys = [request.headers["Idempotency-Key"] for request in link.sent]
        assert len(keys) == 2 and keys[0] == keys[1] and len(keys[0]) == 36
        assert [answer.status_code for answer in link.answers] == [201, 201]
        assert link.answers[1].headers.get("Idempotent-Replayed") == "true"
        assert link.answers[0].json()["id"] == created.id
        assert [m.id for m in memory.iter_memories(user_id="ivy")] == [created.id]
        # And the next call has a key of its own (a GET has none)
        memory.create_memory("ivy", "Grows tomatoes")
    posted = [request.headers["Idempotency-Key"] for request in link.sent if request.method == "POST"]
    assert len(posted) == 3 and posted[2] != posted[0]
    assert all("Idempotency-Key" not in request.headers for request in link.sent if request.method == "GET")


def test_given_a_server_asking_to_retry_after_a_second_when_called_then_the_client_waits_that_long() -> None:
    # Given a loopback answering 503 with Retry-After: 1, then 429 with Retry-After: 0, then the answer
    answers = [
        httpx.Response(503, headers={"Retry-After": "1"}, json={"code": "store_unavailable", "status": 503}),
        httpx.Response(429, headers={"Retry-After": "0"}, text="Too Many Requests"),
        httpx.Response(200, json={"status": "ok", "version": "test"}),
    ]
    seen: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(time.monotonic())
        return answers[len(seen) - 1]

    transport = httpx.MockTransport(answer)
    with AgentMemory("http://loopback", api_key="k", transport=transport, retry=RetryPolicy(backoff=5.0)) as memory:
        # When called
        started = time.monotonic()
        health = memory.health()
    # Then it waited the second the server asked for (not its own 5 s backoff), then retried at once
    assert health.status == "ok" and len(seen) == 3
    assert 1.0 <= seen[1] - seen[0] < 2.5 and seen[2] - seen[1] < 0.5 and time.monotonic() - started < 3
    # And without retries the 503 is raised as it is
    answers[0] = httpx.Response(503, headers={"Retry-After": "7"}, json={"code": "store_unavailable", "status": 503})
    seen.clear()
    unretried = AgentMemory("http://loopback", api_key="k", transport=transport, retry=NO_RETRIES)
    with unretried as memory, pytest.raises(ServiceUnavailable) as unavailable:
        memory.health()
    assert unavailable.value.retry_after == 7.0 and unavailable.value.code == "store_unavailable"


def test_given_no_server_when_called_then_connection_failed_after_the_retries() -> None:
    nowhere = AgentMemory(f"http://127.0.0.1:{free_port()}", api_key="k", retry=RetryPolicy(backoff=0.01))
    with nowhere as memory, pytest.raises(ConnectionFailed) as failed:
        memory.health()
    assert "4 attempt(s)" in str(failed.value) and failed.value.status is None
    assert isinstance(failed.value.__cause__, httpx.ConnectError)
