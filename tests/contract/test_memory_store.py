"""MemoryStore contract: what every store must do, whatever it is built on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agent_memory.domain.errors import DuplicateMemory, NotFound, VersionConflict
from agent_memory.domain.ids import UlidGenerator
from agent_memory.domain.models import (
    Entity,
    HistoryEntry,
    HistoryEvent,
    Memory,
    MemoryFilter,
    Owner,
    Source,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
ALICE = Owner("acme", "alice")
_ids = UlidGenerator()


def make(content: str, owner: Owner = ALICE, at: datetime = T0, **fields) -> tuple[Memory, HistoryEntry]:
    memory = Memory(
        id=_ids(),
        tenant=owner.tenant,
        user_id=owner.user_id,
        content=content,
        source=fields.pop("source", Source.API),
        created_at=at,
        updated_at=at,
        **fields,
    )
    return memory, HistoryEntry(memory.id, 1, HistoryEvent.CREATED, at, content, None, ())


def test_given_a_full_memory_when_inserted_then_get_returns_it_unchanged(store) -> None:
    memory, entry = make(
        "Prefers window seats",
        agent_id="travel-bot",
        thread_id="t-1",
        summary="seat preference",
        importance=0.8,
        valence=0.4,
        topics=("travel", "flights"),
        entities=(Entity("place:paris", "Paris", "place", 2),),
        metadata={"nested": {"k": [1, 2]}, "emoji": "✈️"},
        source_refs=("D1:3",),
        expires_at=T0 + timedelta(days=30),
        embedding_model="hash-256",
    )
    store.insert(memory, entry)
    assert store.get(ALICE, memory.id, T0) == memory


def test_given_same_normalised_content_when_inserted_then_duplicate_names_existing(store) -> None:
    first, entry = make("Likes tea")
    store.insert(first, entry)
    with pytest.raises(DuplicateMemory) as caught:
        store.insert(*make("  LIKES   tea "))
    assert caught.value.existing_id == first.id


def test_same_content_is_allowed_for_another_user_and_another_tenant(store) -> None:
    store.insert(*make("Likes tea"))
    store.insert(*make("Likes tea", Owner("acme", "bob")))
    store.insert(*make("Likes tea", Owner("globex", "alice")))
    assert store.list_memories(Owner("globex", "alice"), MemoryFilter(), T0, 10, None, 0).total == 1


def test_given_an_expired_memory_then_it_is_invisible_and_its_content_can_be_stored_again(store) -> None:
    old, entry = make("Temporary code 1234", expires_at=T0 + timedelta(hours=1))
    store.insert(old, entry)
    later = T0 + timedelta(hours=2)
    assert store.get(ALICE, old.id, later) is None
    assert store.list_memories(ALICE, MemoryFilter(), later, 10, None, 0).total == 0
    fresh, entry = make("Temporary code 1234", at=later)
    store.insert(fresh, entry)
    assert store.get(ALICE, fresh.id, later) == fresh


def test_another_owner_cannot_get_update_delete_or_read_history(store) -> None:
    memory, entry = make("Secret of alice")
    store.insert(memory, entry)
    for intruder in (Owner("acme", "bob"), Owner("globex", "alice")):
        assert store.get(intruder, memory.id, T0) is None
        assert store.delete(intruder, [memory.id]) == []
        assert store.history(intruder, memory.id) == []
        with pytest.raises(NotFound):
            store.update(memory.with_changes(user_id=intruder.user_id, tenant=intruder.tenant, version=2), 1, entry)
    assert store.get(ALICE, memory.id, T0) == memory


def test_list_is_newest_first_and_positions_page_through_everything_once(store) -> None:
    stored = [make(f"fact number {i}", at=T0 + timedelta(seconds=i))[0] for i in range(25)]
    for memory in stored:
        store.insert(memory, HistoryEntry(memory.id, 1, HistoryEvent.CREATED, T0, memory.content, None, ()))
    seen: list[str] = []
    position = None
    while True:
        page = store.list_memories(ALICE, MemoryFilter(), T0, 10, position, 0)
        assert page.total == 25
        seen.extend(m.id for m in page.items)
        position = page.next_position
        if position is None:
            break
    assert seen == [m.id for m in reversed(stored)]


def test_list_offset_skips_within_the_ordering(store) -> None:
    stored = [make(f"fact {i}")[0] for i in range(5)]
    for memory in stored:
        store.insert(memory, HistoryEntry(memory.id, 1, HistoryEvent.CREATED, T0, memory.content, None, ()))
    page = store.list_memories(ALICE, MemoryFilter(), T0, 2, None, 2)
    assert [m.id for m in page.items] == [stored[2].id, stored[1].id]
    assert page.total == 5


def test_list_filters_by_agent_source_topic_dates_and_hides_superseded(store) -> None:
    a, e = make("a", agent_id="bot-1", topics=("food",), at=T0)
    b, f = make("b", agent_id="bot-2", source=Source.AGENT, at=T0 + timedelta(days=1))
    c, g = make("c", topics=("food", "travel"), at=T0 + timedelta(days=2))
    d, h = make("d", superseded_by="x", at=T0 + timedelta(days=3))
    for pair in ((a, e), (b, f), (c, g), (d, h)):
        store.insert(*pair)

    def ids(**filters) -> set[str]:
        return {m.id for m in store.list_memories(ALICE, MemoryFilter(**filters), T0, 10, None, 0).items}

    assert ids() == {a.id, b.id, c.id}
    assert ids(include_superseded=True) == {a.id, b.id, c.id, d.id}
    assert ids(agent_id="bot-1") == {a.id}
    assert ids(source=Source.AGENT) == {b.id}
    assert ids(topic="food") == {a.id, c.id}
    assert ids(created_after=T0) == {b.id, c.id}
    assert ids(created_before=T0 + timedelta(days=2)) == {a.id, b.id}


def test_update_checks_version_and_records_history(store) -> None:
    memory, entry = make("Lives in Paris")
    store.insert(memory, entry)
    changed = memory.with_changes(content="Lives in Berlin", version=2, updated_at=T0 + timedelta(1))
    history = HistoryEntry(
        memory.id, 2, HistoryEvent.UPDATED, changed.updated_at, changed.content, memory.content, ("content",)
    )
    store.update(changed, 1, history)
    assert store.get(ALICE, memory.id, T0) == changed
    with pytest.raises(VersionConflict):
        store.update(changed.with_changes(content="Lives in Rome", version=3), 1, history)
    assert [h.version for h in store.history(ALICE, memory.id)] == [1, 2]
    assert store.history(ALICE, memory.id)[1].previous_content == "Lives in Paris"


def test_update_into_existing_content_is_a_duplicate_and_changes_nothing(store) -> None:
    first, e1 = make("Likes tea")
    second, e2 = make("Likes coffee")
    store.insert(first, e1)
    store.insert(second, e2)
    clash = second.with_changes(content="likes TEA", version=2)
    with pytest.raises(DuplicateMemory) as caught:
        store.update(clash, 1, HistoryEntry(second.id, 2, HistoryEvent.UPDATED, T0, "likes TEA", None, ()))
    assert caught.value.existing_id == first.id
    assert store.get(ALICE, second.id, T0) == second
    assert len(store.history(ALICE, second.id)) == 1


def test_delete_returns_what_existed_and_forgets_history(store) -> None:
    memory, entry = make("Forget me")
    store.insert(memory, entry)
    assert store.delete(ALICE, [memory.id, "01NOTTHERE00000000000000000", memory.id]) == [memory.id]
    assert store.get(ALICE, memory.id, T0) is None
    assert store.history(ALICE, memory.id) == []
    assert store.delete(ALICE, [memory.id]) == []


def test_insert_many_reports_each_item_including_duplicates_within_the_batch(store) -> None:
    existing, entry = make("Already known")
    store.insert(existing, entry)
    batch = [make("New one"), make("already KNOWN"), make("Other"), make("new ONE")]
    results = store.insert_many([(memory, entry, None) for memory, entry in batch])
    assert results[0] == batch[0][0]
    assert isinstance(results[1], DuplicateMemory) and results[1].existing_id == existing.id
    assert results[2] == batch[2][0]
    assert isinstance(results[3], DuplicateMemory) and results[3].existing_id == batch[0][0].id
    assert store.list_memories(ALICE, MemoryFilter(), T0, 10, None, 0).total == 3


def test_given_recalled_memories_when_access_is_recorded_then_each_count_grows_once_per_recall(store) -> None:
    # Given three memories of alice and one of bob
    mine = [make(f"fact {n}") for n in range(3)]
    for memory, entry in mine:
        store.insert(memory, entry)
    bobs, entry = make("bob's fact", owner=Owner("acme", "bob"))
    store.insert(bobs, entry)
    ids = [memory.id for memory, _ in mine]
    # When recalls are recorded (twice for the first, with a missing id and bob's id mixed in)
    store.record_access(ALICE, [ids[0], ids[1], "missing", bobs.id, ids[0]])
    store.record_access(ALICE, [ids[0]])
    # Then counts grew per distinct recall, only for alice's existing memories, and nothing else changed
    found = store.get_many(ALICE, ids, T0)
    assert [found[i].access_count for i in ids] == [2, 1, 0]
    assert found[ids[0]].version == 1
    assert store.get(Owner("acme", "bob"), bobs.id, T0).access_count == 0


def test_given_recalled_memories_when_read_any_way_or_updated_then_the_count_is_reported(store) -> None:
    # Given a memory recalled twice
    memory, entry = make("Likes tea")
    store.insert(memory, entry)
    store.record_access(ALICE, [memory.id])
    store.record_access(ALICE, [memory.id])
    # Then every read reports both recalls
    assert store.get(ALICE, memory.id, T0).access_count == 2
    assert store.list_memories(ALICE, MemoryFilter(), T0, 10, None, 0).items[0].access_count == 2
    assert store.memory_page(ALICE, None, 10)[0][0].access_count == 2
    # When it is updated and recalled again, the count goes on
    current = store.get(ALICE, memory.id, T0)
    changed = current.with_changes(content="Likes green tea", version=2)
    store.update(changed, 1, HistoryEntry(memory.id, 2, HistoryEvent.UPDATED, T0, changed.content, "Likes tea", ()))
    store.record_access(ALICE, [memory.id])
    assert store.get_many(ALICE, [memory.id], T0)[memory.id].access_count == 3


def test_stats_bucket_importance_by_the_domain_rule_at_every_boundary(store) -> None:
    # Given memories on and around the bucket edges (a store may aggregate in its database: same rule as the domain's)
    from agent_memory.domain.stats import HISTOGRAM_BUCKETS, importance_bucket

    values = [0.0, 0.0999, 0.1, 0.25, 0.5, 0.8999, 0.9, 0.95, 1.0]
    for index, importance in enumerate(values):
        memory, entry = make(f"fact {index}", importance=importance)
        store.insert(memory, entry, None)
    # When the user's stats are read
    stats = store.stats("acme", "alice", T0)
    # Then every memory is in the bucket the domain puts it in
    expected = [0] * HISTOGRAM_BUCKETS
    for importance in values:
        expected[importance_bucket(importance)] += 1
    assert stats.importance_histogram == expected
    assert expected[-1] == 3 and expected[0] == 2  # 0.9, 0.95 and 1.0 share the top bucket


def test_the_erasure_mark_names_its_operation_for_that_user_only_until_it_is_lifted(store) -> None:
    # Given no erasure
    assert store.erasure_of(ALICE) is None
    # When alice's erasure marks her
    store.begin_erasure(ALICE, "erase-1", T0)
    # Then the mark names its operation, for her alone, until it is lifted
    assert store.erasure_of(ALICE) == "erase-1"
    assert store.erasure_of(Owner("acme", "bob")) is None and store.erasure_of(Owner("globex", "alice")) is None
    store.end_erasure(ALICE)
    assert store.erasure_of(ALICE) is None
