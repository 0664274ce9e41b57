"""The aws backend's search path: stream indexing, the refresh window, and an index that is down."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from agent_memory.domain.clock import utcnow
from agent_memory.domain.models import MemoryFilter, MemoryPatch, NewMemory, Owner, Scope
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
    return [hit for hit, _ in runtime.opensearch.keyword(ALICE, query, MemoryFilter(), utcnow(), 10)]


@pytest.fixture
def stream_handler(monkeypatch):
    """The stream indexer Lambda, bound to an aws runtime on moto + loopback OpenSearch."""
    import functions.streams.indexer as module

    from agent_memory import entrypoints

    with aws_runtime() as (runtime, server):
        monkeypatch.setattr(entrypoints, "shared_runtime", lambda: runtime)
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
