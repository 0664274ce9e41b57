"""Reindex removes the index documents no record stands behind (orphans of the refresh window), and counts them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from agent_memory.domain.models import Memory, MemoryPatch, NewMemory, Owner
from agent_memory.domain.operations import JobKind, Operation, OperationStatus
from agent_memory.ports import IndexedDocument
from agent_memory.services.jobs.reconcile import orphans
from agent_memory.services.jobs.steps import run_to_end
from agent_memory.services.search import SearchMode
from tests.aws_support import aws_runtime

ALICE = Owner("acme", "alice")


class Recorder:
    def start(self, operation: Operation) -> None:
        return None


@pytest.fixture
def lagging() -> Iterator[tuple[Any, Any]]:
    """A collection that shows writes only on refresh(), the jobs run here step by step."""
    with aws_runtime(refresh_on_write=False, index_refresh_seconds=0) as (runtime, server):
        runtime.__dict__["job_runner"] = Recorder()
        yield runtime, server


def _drain(runtime: Any) -> None:
    runtime.search.search(ALICE, "anything", mode=SearchMode.KEYWORD, record_access=False)


def _documents(runtime: Any, server: Any) -> list[tuple[str, int]]:
    docs = server.collection.indexes[runtime.opensearch.name]["docs"].values()
    return sorted((doc["memory_id"], doc["version"]) for doc in docs)


def _reindex(runtime: Any) -> Operation:
    operation, _ = runtime.operations.start("acme", "alice", JobKind.REINDEX, {})
    final = run_to_end(runtime.job_steps, "acme", operation.id, sleep=lambda _: None)
    assert final is not None and final.status is OperationStatus.SUCCEEDED, final
    return final


def _remember(runtime: Any, content: str) -> Memory:
    return runtime.memories.create("acme", NewMemory(user_id="alice", content=content))


def test_reindex_removes_documents_left_by_writes_inside_the_refresh_window_and_counts_them(lagging) -> None:
    runtime, server = lagging
    # Given a memory deleted, and another updated, before the index showed their first documents, and one untouched
    deleted = _remember(runtime, "Alice once lived in Rome")
    moved = _remember(runtime, "Alice lives in Paris")
    kept = _remember(runtime, "Alice plays the cello")
    _drain(runtime)
    runtime.memories.delete(ALICE, deleted.id)
    moved = runtime.memories.update(ALICE, moved.id, MemoryPatch(content="Alice lives in Lisbon"))
    _drain(runtime)
    server.collection.refresh()
    assert _documents(runtime, server) == sorted([(deleted.id, 1), (moved.id, 1), (moved.id, 2), (kept.id, 1)])
    # When the reindex job runs
    done = _reindex(runtime)
    server.collection.refresh()
    # Then the index holds exactly one current document per live memory
    assert _documents(runtime, server) == sorted([(moved.id, 2), (kept.id, 1)])
    # And the job counts the orphan it removed (the outdated document went with the memory's own rewrite)
    assert done.counts["orphans_removed"] == 1
    assert done.counts["scanned"] == 2 and done.counts["index_failures"] == 0


def test_reconciling_pages_through_many_documents(lagging, monkeypatch) -> None:
    runtime, server = lagging
    from agent_memory.services.jobs import reconcile

    monkeypatch.setattr(reconcile, "PAGE", 3)
    # Given eight memories deleted before the index showed them, between five live ones
    live = [_remember(runtime, f"kept fact number {n}") for n in range(5)]
    gone = [_remember(runtime, f"forgotten fact number {n}") for n in range(8)]
    _drain(runtime)
    runtime.memories.delete_many(ALICE, [memory.id for memory in gone])
    _drain(runtime)
    server.collection.refresh()
    # When reindex reconciles page by page (three documents a page)
    done = _reindex(runtime)
    server.collection.refresh()
    # Then every orphan is gone and every live memory still indexed
    assert done.counts["orphans_removed"] == 8
    assert _documents(runtime, server) == sorted((memory.id, 1) for memory in live)
    found = runtime.search.search(ALICE, "fact number", mode=SearchMode.KEYWORD, limit=20, record_access=False)
    assert {hit.memory.id for hit in found.hits} == {memory.id for memory in live}


def _doc(memory_id: str, version: int | None, superseded: bool = False, doc_id: str | None = None) -> IndexedDocument:
    return IndexedDocument(doc_id or f"{memory_id}-{version}", memory_id, version, superseded)


def test_orphans_are_documents_of_gone_memories_older_versions_other_states_and_extra_copies() -> None:
    from datetime import UTC, datetime

    from agent_memory.domain.models import Source

    at = datetime(2026, 1, 1, tzinfo=UTC)

    def record(memory_id: str, version: int, superseded_by: str | None = None) -> Memory:
        return Memory(memory_id, "acme", "alice", "x", Source.API, at, at, version=version, superseded_by=superseded_by)

    records = {"live": record("live", 3), "replaced": record("replaced", 2, superseded_by="live")}
    documents = [
        _doc("gone", 1),  # the memory was deleted
        _doc("live", 2),  # an older version
        _doc("live", 3),  # current: kept
        _doc("live", 3, doc_id="copy"),  # a second copy of the current one
        _doc("live", None),  # no version: not built by this code
        _doc("replaced", 2, superseded=False),  # disagrees with the record's superseded state
        _doc("replaced", 2, superseded=True, doc_id="replaced-current"),  # current: kept
    ]
    assert [doc.document_id for doc in orphans(documents, records)] == [
        "gone-1",
        "live-2",
        "copy",
        "live-None",
        "replaced-2",
    ]
