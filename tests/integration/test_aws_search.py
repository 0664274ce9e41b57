"""The aws backend's search path: stream indexing, the refresh window, and an index that is down."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from agent_memory.domain.clock import utcnow
from agent_memory.domain.models import HistoryEntry, HistoryEvent, MemoryFilter, MemoryPatch, NewMemory, Owner, Scope
from agent_memory.http.app import create_app
from agent_memory.services.search import SearchMode
from tests.aws_support import aws_runtime

EVENTS = Path(__file__).resolve().parents[2] / "events" / "streams"
ALICE = Owner("acme", "alice")


class _Context:
    function_name = "agent-memory-stream-indexer"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:agent-memory-stream-indexer"
    aws_request_id = "b3c4-request"


def _event(name: str) -> dict:
    return json.loads((EVENTS / name).read_text())


def _indexed_ids(runtime, query: str) -> list[str]:
    return [hit.memory_id for hit in runtime.opensearch.keyword(ALICE, query, MemoryFilter(), utcnow(), 10)]


@pytest.fixture
def stream_handler(monkeypatch):
    """The stream indexer Lambda, bound to an aws runtime on moto + loopback OpenSearch."""
    import functions.streams.indexer as module

    from agent_memory.entry import shared

    with aws_runtime() as (runtime, server):
        monkeypatch.setattr(shared, "shared_runtime", lambda: runtime)
        yield module.handler, runtime, server


def test_stream_records_are_indexed_and_removed(stream_handler) -> None:
    handler, runtime, server = stream_handler
    # Given the records of a write: the memory, its uniqueness item, and a recall that only bumps access_count
    answer = handler(_event("memory_written.json"), _Context())
    assert answer == {"batchItemFailures": []}
    assert _indexed_ids(runtime, "Berlin") == ["01JBX0TQ3M8W5N6Z2K4R7Y9C1D"]
    bulk_calls = [path for method, path in server.collection.requests if path.startswith("/_bulk")]
    assert len(bulk_calls) == 1  # the uniqueness item and the recall were skipped
    # When the same batch is delivered again, nothing changes (idempotent)
    assert handler(_event("memory_written.json"), _Context()) == {"batchItemFailures": []}
    assert _indexed_ids(runtime, "Berlin") == ["01JBX0TQ3M8W5N6Z2K4R7Y9C1D"]
    # And a REMOVE takes it out of the index, twice without complaint
    for _ in range(2):
        assert handler(_event("memory_removed.json"), _Context()) == {"batchItemFailures": []}
    assert _indexed_ids(runtime, "Berlin") == []


def test_a_poison_record_is_reported_alone_and_the_rest_of_the_batch_is_indexed(stream_handler) -> None:
    handler, runtime, _ = stream_handler
    event = _event("with_poison_record.json")
    answer = handler(event, _Context())
    poison_sequence = event["Records"][0]["dynamodb"]["SequenceNumber"]
    assert answer == {"batchItemFailures": [{"itemIdentifier": poison_sequence}]}
    assert _indexed_ids(runtime, "sourdough") == ["01JBX0TQ3M8W5N6Z2K4R7Y9C1F"]


def test_an_index_that_is_down_fails_the_batch_for_a_retry(stream_handler) -> None:
    handler, _, server = stream_handler
    server.collection.down = True
    event = _event("memory_written.json")
    answer = handler(event, _Context())
    assert {"itemIdentifier": event["Records"][0]["dynamodb"]["SequenceNumber"]} in answer["batchItemFailures"]


@pytest.fixture
def unrefreshed():
    """An aws runtime whose collection shows writes only on refresh(), as a Classic collection does for up to 60 s."""
    with aws_runtime(refresh_on_write=False) as (runtime, server):
        yield runtime, server


def test_a_memory_is_searchable_the_moment_its_create_returns(unrefreshed) -> None:
    runtime, _ = unrefreshed
    created = runtime.memories.create("acme", NewMemory(user_id="alice", content="Alice plays the cello"))
    assert _indexed_ids(runtime, "cello") == []  # the index does not show it yet
    for mode in ("keyword", "semantic", "hybrid"):
        hits = runtime.search.search(ALICE, "cello", mode=SearchMode(mode), record_access=False).hits
        assert [hit.memory.id for hit in hits] == [created.id], mode


def test_a_memory_is_invisible_the_moment_its_delete_returns(unrefreshed) -> None:
    runtime, server = unrefreshed
    created = runtime.memories.create("acme", NewMemory(user_id="alice", content="Alice plays the cello"))
    runtime.search.search(ALICE, "cello", record_access=False)  # drains the stream
    server.collection.refresh()
    assert _indexed_ids(runtime, "cello") == [created.id]
    runtime.memories.delete(ALICE, created.id)
    runtime.search.search(ALICE, "cello", record_access=False)  # the delete reaches the index, unrefreshed
    assert _indexed_ids(runtime, "cello") == [created.id]  # so the index still shows it
    assert runtime.search.search(ALICE, "cello", record_access=False).hits == []


def test_an_update_is_searchable_by_its_new_words_at_once(unrefreshed) -> None:
    runtime, server = unrefreshed
    created = runtime.memories.create("acme", NewMemory(user_id="alice", content="Alice lives in Paris"))
    runtime.search.search(ALICE, "Paris", record_access=False)
    server.collection.refresh()
    runtime.memories.update(ALICE, created.id, MemoryPatch(content="Alice lives in Lisbon"))
    assert [h.memory.id for h in runtime.search.search(ALICE, "Lisbon", mode=SearchMode.KEYWORD).hits] == [created.id]
    assert runtime.search.search(ALICE, "Paris", mode=SearchMode.KEYWORD).hits == []


def test_an_index_that_is_down_is_a_503_with_retry_after_while_writes_still_work() -> None:
    with aws_runtime() as (runtime, server):
        plaintext, _ = runtime.keys.create("acme", frozenset({Scope.READ, Scope.WRITE}))
        client = TestClient(create_app(runtime), raise_server_exceptions=False)
        headers = {"X-API-Key": plaintext}
        server.collection.down = True
        written = client.post("/v1/memories", json={"user_id": "alice", "content": "likes tea"}, headers=headers)
        assert written.status_code == 201
        found = client.get("/v1/memories/search", params={"user_id": "alice", "q": "tea"}, headers=headers)
        assert found.status_code == 503 and found.headers["Retry-After"]
        assert found.json()["code"] == "search_unavailable" and "Traceback" not in found.text
        server.collection.down = False
        assert client.get("/v1/memories/search", params={"user_id": "alice", "q": "tea"}, headers=headers).json()[
            "results"
        ]


def test_a_hybrid_search_reads_the_refresh_window_from_the_table_once(unrefreshed, monkeypatch) -> None:
    runtime, _ = unrefreshed
    runtime.memories.create("acme", NewMemory(user_id="alice", content="Alice plays the cello"))
    reads = []
    original = runtime.store.changed_since
    monkeypatch.setattr(runtime.store, "changed_since", lambda *args: reads.append(args) or original(*args))
    assert runtime.search.search(ALICE, "cello", record_access=False).hits
    assert len(reads) == 1


@pytest.fixture
def lagging():
    """A collection that shows writes only on refresh(), with the refresh-window merge off: search answers from the
    index alone, as it does once a write is older than the window."""
    with aws_runtime(refresh_on_write=False, index_refresh_seconds=0) as (runtime, server):
        yield runtime, server


def _documents(runtime, server, memory_id: str) -> list[dict]:
    docs = server.collection.indexes[runtime.opensearch.name]["docs"].values()
    return sorted((doc for doc in docs if doc["memory_id"] == memory_id), key=lambda doc: doc["version"])


def _keyword(runtime, query: str, **filters) -> list[str]:
    found = runtime.search.search(
        ALICE, query, mode=SearchMode.KEYWORD, filters=MemoryFilter(**filters), record_access=False
    )
    return [hit.memory.id for hit in found.hits]


def test_an_update_inside_the_refresh_window_never_shows_the_old_wording(lagging) -> None:
    runtime, server = lagging
    # Given a memory updated before the index showed its first document
    created = runtime.memories.create("acme", NewMemory(user_id="alice", content="Alice lives in Paris"))
    _keyword(runtime, "Paris")  # the stream indexes it; the collection has not refreshed
    runtime.memories.update(ALICE, created.id, MemoryPatch(content="Alice lives in Lisbon"))
    _keyword(runtime, "Lisbon")  # the update's write cannot find the first document to replace it
    server.collection.refresh()
    assert [doc["version"] for doc in _documents(runtime, server, created.id)] == [1, 2]
    # When searching the old and the new wording
    # Then the outdated document does not bring the memory back for words it no longer holds
    assert _keyword(runtime, "Paris") == []
    assert _keyword(runtime, "Lisbon") == [created.id]


def test_a_memory_moved_out_of_a_filter_inside_the_refresh_window_is_not_found_by_it(lagging) -> None:
    runtime, server = lagging
    # Given a memory reassigned from one agent to another, and another superseded, both before a refresh
    reassigned = runtime.memories.create(
        "acme", NewMemory(user_id="alice", content="Alice drinks tea", agent_id="coach")
    )
    replaced = runtime.memories.create("acme", NewMemory(user_id="alice", content="Alice drinks green tea"))
    _keyword(runtime, "tea")
    runtime.memories.update(ALICE, reassigned.id, MemoryPatch(agent_id="planner"))
    current = runtime.store.get(ALICE, replaced.id, utcnow())
    runtime.store.update(
        current.with_changes(superseded_by=reassigned.id, version=2),
        1,
        HistoryEntry(replaced.id, 2, HistoryEvent.UPDATED, utcnow(), current.content, None, ("superseded_by",)),
    )
    _keyword(runtime, "tea")
    server.collection.refresh()
    # Then the coach's search does not find the memory the planner now holds, and the superseded one stays hidden
    assert _keyword(runtime, "tea", agent_id="coach") == []
    assert _keyword(runtime, "tea") == [reassigned.id]
    assert set(_keyword(runtime, "tea", include_superseded=True)) == {reassigned.id, replaced.id}


def _two_documents(runtime, server):
    """A memory with two documents: updated before the index showed its first one."""
    created = runtime.memories.create("acme", NewMemory(user_id="alice", content="Alice lives in Paris"))
    _keyword(runtime, "Paris")
    runtime.memories.update(ALICE, created.id, MemoryPatch(content="Alice lives in Lisbon"))
    _keyword(runtime, "Lisbon")
    server.collection.refresh()
    assert len(_documents(runtime, server, created.id)) == 2
    return created


def test_a_later_update_replaces_every_document_the_memory_left(lagging) -> None:
    runtime, server = lagging
    created = _two_documents(runtime, server)
    # When it is updated once the index shows both, the write finds them by memory id and replaces them with one
    runtime.memories.update(ALICE, created.id, MemoryPatch(content="Alice lives in Porto"))
    _keyword(runtime, "Porto")
    server.collection.refresh()
    assert [doc["version"] for doc in _documents(runtime, server, created.id)] == [3]


def test_a_delete_removes_every_document_the_memory_left(lagging) -> None:
    runtime, server = lagging
    created = _two_documents(runtime, server)
    runtime.memories.delete(ALICE, created.id)
    _keyword(runtime, "Lisbon")
    server.collection.refresh()
    assert _documents(runtime, server, created.id) == []


def test_an_older_write_never_takes_the_index_back(lagging) -> None:
    runtime, server = lagging
    # Given the index showing version 2 of a memory
    created = runtime.memories.create("acme", NewMemory(user_id="alice", content="Alice lives in Paris"))
    updated = runtime.memories.update(ALICE, created.id, MemoryPatch(content="Alice lives in Lisbon"))
    _keyword(runtime, "Lisbon")
    server.collection.refresh()
    runtime.opensearch.upsert([(updated, None)])
    server.collection.refresh()
    # When a write of version 1 arrives late (a reindex page read before the update)
    outcome = runtime.opensearch.upsert([(created, None)])
    server.collection.refresh()
    # Then the index keeps version 2
    assert not outcome.failed
    assert [doc["version"] for doc in _documents(runtime, server, created.id)] == [2]


def test_a_memory_holding_a_unicode_line_separator_is_indexed_and_found() -> None:
    # Given content with U+2028 inside (bulk bodies are newline-delimited: only "\n" separates documents)
    with aws_runtime(index_refresh_seconds=0) as (runtime, _):
        created = runtime.memories.create("acme", NewMemory(user_id="alice", content="Line one\u2028about kayaks"))
        # When searching for its words; Then the index holds it and finds it
        found = runtime.search.search(Owner("acme", "alice"), "kayaks")
        assert [hit.memory.id for hit in found.hits] == [created.id]
