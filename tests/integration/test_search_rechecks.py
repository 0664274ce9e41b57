"""Search re-checks every index hit against its hydrated record, on both backends.

The index is a projection that may lag the store: OpenSearch can keep a document of an older version, or of a memory
since deleted, when a write followed another within the collection's refresh window. The search service must never
show a memory for words it no longer holds, or one that no longer passes the query's filters. `LaggingIndex` plays
such a projection over each backend's real index (the local one cannot lag by itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest

from agent_memory.domain.clock import utcnow
from agent_memory.domain.ids import UlidGenerator
from agent_memory.domain.models import (
    HistoryEntry,
    HistoryEvent,
    Memory,
    MemoryFilter,
    MemoryPatch,
    NewMemory,
    Owner,
    Source,
)
from agent_memory.ports import IndexHit
from agent_memory.runtime import Runtime
from agent_memory.services.search import SearchMode, SearchService

ALICE = Owner("acme", "alice")


class LaggingIndex:
    """The runtime's index, answering some memories from documents the store has moved past (as the adapter does,
    one hit per memory, these in place of the current ones)."""

    reads_records = False  # a projection that lags, so every hit is re-checked

    def __init__(self, index: Any, stale: Sequence[IndexHit]) -> None:
        self._index = index
        self._stale = list(stale)

    def _with_stale(self, hits: list[IndexHit]) -> list[IndexHit]:
        lagging = {hit.memory_id for hit in self._stale}
        return self._stale + [hit for hit in hits if hit.memory_id not in lagging]

    def keyword(self, owner: Owner, query: str, filters: MemoryFilter, now: Any, limit: int) -> list[IndexHit]:
        return self._with_stale(self._index.keyword(owner, query, filters, now, limit))

    def semantic(self, owner: Owner, vector: Any, filters: MemoryFilter, now: Any, limit: int) -> list[IndexHit]:
        return self._with_stale(self._index.semantic(owner, vector, filters, now, limit))

    def vector_of(self, owner: Owner, memory_id: str) -> Any:
        return self._index.vector_of(owner, memory_id)


def remember(runtime: Runtime, content: str, **fields: Any) -> Memory:
    return runtime.memories.create("acme", NewMemory(user_id="alice", content=content, **fields))


def superseded(runtime: Runtime, memory: Memory, by: str) -> Memory:
    changed = memory.with_changes(superseded_by=by, version=memory.version + 1, updated_at=utcnow())
    entry = HistoryEntry(memory.id, changed.version, HistoryEvent.UPDATED, changed.updated_at, memory.content, None, ())
    return runtime.store.update(changed, memory.version, entry)


def expired(runtime: Runtime, content: str) -> Memory:
    now = utcnow()
    memory = Memory(
        id=UlidGenerator()(),
        tenant="acme",
        user_id="alice",
        content=content,
        source=Source.API,
        created_at=now - timedelta(days=1),
        updated_at=now - timedelta(days=1),
        expires_at=now - timedelta(seconds=1),
        embedding_model=runtime.embedder.model_id,
    )
    entry = HistoryEntry(memory.id, 1, HistoryEvent.CREATED, memory.created_at, content, None, ())
    return runtime.store.insert(memory, entry, runtime.embedder.embed([content])[0])


def found(service: SearchService, query: str, mode: SearchMode, **filters: Any) -> list[str]:
    hits = service.search(ALICE, query, mode=mode, filters=MemoryFilter(**filters), record_access=False).hits
    return [hit.memory.id for hit in hits]


@pytest.fixture
def lagging_world(runtime: Runtime) -> tuple[Runtime, SearchService, dict[str, Memory]]:
    # Given memories whose index documents lag their records: moved from Paris to Lisbon (an older version),
    # moved from the coach agent to the planner, superseded, deleted, and expired
    moved = remember(runtime, "Alice lives in Paris, notes say")
    moved = runtime.memories.update(ALICE, moved.id, MemoryPatch(content="Alice lives in Lisbon, notes say"))
    reassigned = remember(runtime, "Tea notes kept by an agent", agent_id="coach")
    reassigned = runtime.memories.update(ALICE, reassigned.id, MemoryPatch(agent_id="planner"))
    coach = remember(runtime, "Tea notes from the coach", agent_id="coach")
    old_fact = superseded(runtime, remember(runtime, "Tea notes that were replaced"), by=coach.id)
    gone = remember(runtime, "Tea notes to forget")
    runtime.memories.delete(ALICE, gone.id)
    lapsed = expired(runtime, "Tea notes that lapsed")
    stale = [
        IndexHit(moved.id, 50.0, 1),  # its Paris document
        IndexHit(reassigned.id, 49.0, 1),  # its document from when the coach held it
        IndexHit(old_fact.id, 48.0, old_fact.version),  # current version, but superseded
        IndexHit(gone.id, 47.0, 1),
        IndexHit(lapsed.id, 46.0, 1),
    ]
    world = {"moved": moved, "reassigned": reassigned, "coach": coach, "old_fact": old_fact, "gone": gone}
    return (
        runtime,
        SearchService(runtime.store, LaggingIndex(runtime.index, stale), runtime.embedder, runtime.recall_log),
        world,
    )


@pytest.mark.parametrize("mode", list(SearchMode))
def test_a_hit_from_an_older_version_is_not_shown_for_words_the_memory_no_longer_holds(lagging_world, mode) -> None:
    _, service, world = lagging_world
    # When searching the old wording, Then the memory is not found through its outdated document
    assert world["moved"].id not in found(service, "Paris", mode)


@pytest.mark.parametrize("mode", list(SearchMode))
def test_every_filter_the_query_names_is_checked_against_the_record(lagging_world, mode) -> None:
    _, service, world = lagging_world
    # When searching the coach's tea notes
    ids = found(service, "tea notes", mode, agent_id="coach")
    # Then only the coach's live, current memory is shown: not the one moved to the planner, not the superseded,
    # deleted or expired ones
    assert ids == [world["coach"].id]


def test_superseded_memories_show_only_when_asked_for(lagging_world) -> None:
    _, service, world = lagging_world
    assert world["old_fact"].id not in found(service, "tea notes", SearchMode.KEYWORD)
    assert world["old_fact"].id in found(service, "tea notes", SearchMode.KEYWORD, include_superseded=True)


@pytest.mark.parametrize("mode", list(SearchMode))
def test_hits_from_current_documents_are_kept(lagging_world, mode) -> None:
    _, service, world = lagging_world
    assert found(service, "Tea notes from the coach", mode)[0] == world["coach"].id


def test_closest_and_related_ignore_documents_the_store_has_moved_past(lagging_world) -> None:
    _, service, world = lagging_world
    # When a conversation asks whether a fact is already known, a deleted memory's document does not answer it
    nearest = service.closest(ALICE, "Tea notes to forget")
    assert nearest.memory_id not in {world["gone"].id, world["old_fact"].id}
    # And related memories leave out what the store no longer stands behind
    related = {hit.memory.id for hit in service.related(ALICE, world["coach"].id)}
    assert not related & {world["gone"].id, world["old_fact"].id, world["moved"].id}


class CountingStore:
    """The runtime's store, recording which memories each search reads."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.read: list[list[str]] = []

    def get_many(self, owner: Owner, memory_ids: Sequence[str], now: Any) -> dict[str, Memory]:
        self.read.append(list(memory_ids))
        return self._store.get_many(owner, memory_ids, now)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


@pytest.mark.parametrize("runtime", ["local"], indirect=True)
@pytest.mark.parametrize("mode", list(SearchMode))
def test_given_an_index_that_reads_the_records_when_searched_then_only_the_page_is_read(runtime, mode) -> None:
    # Given 30 memories that all match, an index that reads the records themselves, and a store that counts reads
    for n in range(30):
        remember(runtime, f"Tea note number {n} about green tea")
    store = CountingStore(runtime.store)
    service = SearchService(store, runtime.index, runtime.embedder, runtime.recall_log)  # type: ignore[arg-type]
    # When one page of 5 is asked for
    result = service.search(ALICE, "green tea", mode=mode, limit=5, record_access=False)
    # Then only those 5 records were read, and the total still counts every candidate
    assert runtime.index.reads_records is True
    assert [len(ids) for ids in store.read] == [5]
    assert len(result.hits) == 5 and result.total == 30


@pytest.mark.parametrize("runtime", ["local"], indirect=True)
def test_given_a_projection_that_can_lag_when_searched_then_every_candidate_is_read_and_checked(runtime) -> None:
    for n in range(30):
        remember(runtime, f"Tea note number {n} about green tea")
    store = CountingStore(runtime.store)
    service = SearchService(store, LaggingIndex(runtime.index, []), runtime.embedder, runtime.recall_log)  # type: ignore[arg-type]
    service.search(ALICE, "green tea", mode=SearchMode.KEYWORD, limit=5, record_access=False)
    assert [len(ids) for ids in store.read] == [30]
