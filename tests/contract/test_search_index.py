"""SearchIndex contract: keyword and vector search stay consistent with the store and within scope."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from agent_memory.adapters.aws.opensearch_index import OpenSearchIndex, client_for
from agent_memory.adapters.local.embedders import HashingEmbedder
from agent_memory.adapters.local.search_index import SqliteSearchIndex
from agent_memory.adapters.local.sqlite import open_stores
from agent_memory.adapters.local.sqlite.memories import SqliteMemories
from agent_memory.domain.errors import EmbeddingMismatch
from agent_memory.domain.ids import UlidGenerator
from agent_memory.domain.models import HistoryEntry, HistoryEvent, Memory, MemoryFilter, Owner, Source
from agent_memory.entry.stream_indexer import StreamIndexer
from tests.aws_support import REGION, TABLE, StreamFed, StreamPump, dynamo_table
from tests.opensearch_server import LoopbackOpenSearch

T0 = datetime(2026, 1, 1, tzinfo=UTC)
ALICE = Owner("acme", "alice")
EMBEDDER = HashingEmbedder()
_ids = UlidGenerator()


@contextmanager
def _sqlite(tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    stores = open_stores(tmp_path / "index.db")
    yield stores.memories, SqliteSearchIndex(stores.database, EMBEDDER.model_id, EMBEDDER.dimension)
    stores.close()


def _opensearch(custom_ids: bool) -> Callable[[Path], AbstractContextManager[tuple[Any, Any]]]:
    @contextmanager
    def pair(_: Path) -> Iterator[tuple[Any, Any]]:
        with dynamo_table() as stores, LoopbackOpenSearch(custom_ids=custom_ids) as server:
            index = OpenSearchIndex(
                lambda: client_for(server.url, REGION),
                "memories",
                EMBEDDER.model_id,
                EMBEDDER.dimension,
                custom_ids=custom_ids,
            )
            index.ensure_index()
            yield stores.memories, StreamFed(index, StreamPump(TABLE, StreamIndexer(index).apply))

    return pair


INDEXES: dict[str, Callable[[Path], AbstractContextManager[tuple[Any, Any]]]] = {
    "sqlite": _sqlite,
    "opensearch": _opensearch(custom_ids=False),  # Classic vector collections: no custom document ids
    "opensearch-custom-ids": _opensearch(custom_ids=True),
}


@pytest.fixture(params=sorted(INDEXES))
def pair(request, tmp_path):
    with INDEXES[request.param](tmp_path) as implementation:
        yield implementation


@pytest.fixture
def sqlite_pair(tmp_path):
    with _sqlite(tmp_path) as implementation:
        yield implementation


def add(store, content: str, owner: Owner = ALICE, model: str = EMBEDDER.model_id, **fields) -> Memory:
    memory = Memory(
        id=fields.pop("memory_id", None) or _ids(),
        tenant=owner.tenant,
        user_id=owner.user_id,
        content=content,
        source=fields.pop("source", Source.API),
        created_at=fields.pop("at", T0),
        updated_at=T0,
        embedding_model=model,
        **fields,
    )
    store.insert(
        memory, HistoryEntry(memory.id, 1, HistoryEvent.CREATED, T0, content, None, ()), EMBEDDER.embed([content])[0]
    )
    return memory


def keyword_ids(index, query: str, owner: Owner = ALICE, **filters) -> list[str]:
    return [hit.memory_id for hit in index.keyword(owner, query, MemoryFilter(**filters), T0, 10)]


def semantic_ids(index, query: str, owner: Owner = ALICE, **filters) -> list[str]:
    return [hit.memory_id for hit in index.semantic(owner, EMBEDDER.embed([query])[0], MemoryFilter(**filters), T0, 10)]


def test_keyword_search_stems_and_ranks_by_bm25(pair) -> None:
    store, index = pair
    runner = add(store, "Alice runs marathons every spring")
    add(store, "Alice likes tea")
    assert keyword_ids(index, "running a marathon") == [runner.id]


def test_keyword_queries_with_fts_syntax_are_taken_literally(pair) -> None:
    store, index = pair
    memory = add(store, 'She said "hello" AND left (quickly)')
    for query in ['"hello', "AND OR NOT", "left)", "quick*", "NEAR(a b)", "col:umn", "^start"]:
        index.keyword(ALICE, query, MemoryFilter(), T0, 10)  # must not raise
    assert keyword_ids(index, '"hello" AND') == [memory.id]


def test_semantic_search_returns_nearest_first(pair) -> None:
    store, index = pair
    tea = add(store, "green tea lover")
    add(store, "fixes bicycles on weekends")
    assert semantic_ids(index, "loves green tea")[0] == tea.id


def test_search_never_crosses_users_or_tenants(pair) -> None:
    store, index = pair
    add(store, "secret recipe for tea", Owner("acme", "bob"))
    add(store, "secret recipe for tea", Owner("globex", "alice"))
    assert keyword_ids(index, "secret recipe") == []
    assert semantic_ids(index, "secret recipe") == []


def test_updates_and_deletes_are_seen_at_once(pair) -> None:
    store, index = pair
    memory = add(store, "Lives in Paris")
    assert semantic_ids(index, "Lives in Paris") == [memory.id]  # warms the vector cache
    changed = memory.with_changes(content="Moved to Berlin", version=2)
    entry = HistoryEntry(memory.id, 2, HistoryEvent.UPDATED, T0, changed.content, memory.content, ("content",))
    store.update(changed, 1, entry, EMBEDDER.embed(["Moved to Berlin"])[0])
    assert keyword_ids(index, "Paris") == []
    assert keyword_ids(index, "Berlin") == [memory.id]
    top, score, _ = index.semantic(ALICE, EMBEDDER.embed(["Moved to Berlin"])[0], MemoryFilter(), T0, 1)[0]
    assert top == memory.id and score == pytest.approx(1.0, abs=1e-5)
    store.delete(ALICE, [memory.id])
    assert keyword_ids(index, "Berlin") == [] and semantic_ids(index, "Berlin") == []


@pytest.mark.parametrize("implementation", ["opensearch", "opensearch-custom-ids"])
def test_one_memory_id_under_two_owners_stays_two_documents(implementation: str, tmp_path: Path) -> None:
    # (The local store keeps memory ids unique across owners, so only the DynamoDB + OpenSearch pair can hold this.)
    with INDEXES[implementation](tmp_path) as (store, index):
        _two_owners_one_id(store, index)


def _two_owners_one_id(store, index) -> None:
    # Given memories of two tenants and of two users with one id (an import keeps the ids of its file)
    shared = _ids()
    add(store, "Keeps bees on the allotment", memory_id=shared)
    other_tenant, other_user = Owner("globex", "alice"), Owner("acme", "bob")
    theirs = add(store, "Keeps bees on the roof", other_tenant, memory_id=shared)
    add(store, "Keeps bees in the orchard", other_user, memory_id=shared)
    # When the other tenant's memory is changed and then deleted, and the other user's is deleted
    changed = theirs.with_changes(content="Keeps wasps on the roof", version=2)
    entry = HistoryEntry(shared, 2, HistoryEvent.UPDATED, T0, changed.content, theirs.content, ("content",))
    store.update(changed, 1, entry, EMBEDDER.embed([changed.content])[0])
    store.delete(other_tenant, [shared])
    store.delete(other_user, [shared])
    # Then alice's memory is still found, by its own words
    assert keyword_ids(index, "allotment") == [shared]
    assert semantic_ids(index, "Keeps bees on the allotment") == [shared]


def test_writes_from_another_store_instance_are_seen(sqlite_pair, tmp_path) -> None:
    store, index = sqlite_pair
    add(store, "first fact")
    semantic_ids(index, "first")  # cache the scope
    other_process_store = open_stores(tmp_path / "index.db").memories
    late = add(other_process_store, "second fact about kayaks")
    assert semantic_ids(index, "kayaks")[0] == late.id


def test_filters_apply_before_scoring(pair) -> None:
    store, index = pair
    a = add(store, "tea notes one", agent_id="bot-1", topics=("food",), importance=0.9)
    b = add(store, "tea notes two", source=Source.AGENT, at=T0 - timedelta(days=3), importance=0.2)
    hidden = add(store, "tea notes three", superseded_by="x")
    for search in (keyword_ids, semantic_ids):
        assert set(search(index, "tea notes")) == {a.id, b.id}
        assert search(index, "tea notes", agent_id="bot-1") == [a.id]
        assert search(index, "tea notes", source=Source.AGENT) == [b.id]
        assert search(index, "tea notes", topic="food") == [a.id]
        assert search(index, "tea notes", created_before=T0 - timedelta(days=1)) == [b.id]
        assert search(index, "tea notes", min_importance=0.5) == [a.id]
        assert hidden.id in search(index, "tea notes", include_superseded=True)


def test_filters_that_reject_the_best_keyword_matches_still_fill_the_page(pair) -> None:
    # Given many strong matches from one agent and a few weak ones from another
    store, index = pair
    for n in range(40):
        add(store, f"tea tea {n}", agent_id="strong")
    weak = {add(store, f"tea with a long tail of other words number {n}", agent_id="weak").id for n in range(3)}
    # When searching only the weak agent's memories
    found = keyword_ids(index, "tea", agent_id="weak")
    # Then all of them are found although none is among the best matches overall
    assert set(found) == weak


def test_keyword_scoring_ignores_other_users_documents(pair) -> None:
    # Given another user with many matching memories
    store, index = pair
    bob = Owner("acme", "bob")
    for n in range(30):
        add(store, f"coffee talk {n}", owner=bob)
    mine = add(store, "coffee with a friend")
    # Then alice's search sees only her own memory, and bob's only his
    assert keyword_ids(index, "coffee") == [mine.id]
    assert mine.id not in keyword_ids(index, "coffee", owner=bob)


def test_expired_memories_are_not_found(pair) -> None:
    store, index = pair
    add(store, "temporary door code", expires_at=T0 - timedelta(seconds=1))
    assert keyword_ids(index, "door code") == [] and semantic_ids(index, "door code") == []


def test_vectors_of_another_model_are_a_clear_error(pair) -> None:
    store, index = pair
    add(store, "embedded by something else", model="other-model-768")
    with pytest.raises(EmbeddingMismatch, match="reindex"):
        semantic_ids(index, "anything")


def test_a_query_vector_of_the_wrong_dimension_is_a_clear_error(pair) -> None:
    store, index = pair
    add(store, "fact")
    with pytest.raises(EmbeddingMismatch, match="dimensions"):
        index.semantic(ALICE, HashingEmbedder(64).embed(["fact"])[0], MemoryFilter(), T0, 5)


def test_a_crash_mid_write_leaves_index_and_store_agreeing(sqlite_pair, monkeypatch) -> None:
    store, index = sqlite_pair
    kept = add(store, "kept fact about tea")

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(SqliteMemories, "_add_history", crash)
    with pytest.raises(RuntimeError):
        add(store, "lost fact about tea")
    monkeypatch.undo()
    assert keyword_ids(index, "tea") == [kept.id]
    assert semantic_ids(index, "lost fact about tea") == [kept.id]
