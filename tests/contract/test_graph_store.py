"""GraphStore contract: the graph follows every write of a memory (insert, change, supersession, deletion, expiry,
erasure) on every store, with no row outliving its memory."""

from __future__ import annotations

from datetime import timedelta

from agent_memory.domain.knowledge import USER
from agent_memory.domain.models import Entity, HistoryEntry, HistoryEvent, Owner, Relation
from tests.contract.test_memory_store import ALICE, T0, make

LISBON = Entity.named("Lisbon", "place")
BERLIN = Entity.named("Berlin", "place")
CHLOE = Entity.named("Chloe", "person")
LEEDS = Entity.named("Leeds", "place")
NOW = T0 + timedelta(hours=1)


def lives_in(place: Entity, subject: Entity = USER) -> Relation:
    return Relation(subject, "lives_in", place)


def triples(graph_store, owner: Owner = ALICE, ids=None) -> set[tuple[str, str, str, str]]:
    return {(*s.key, s.memory_id) for s in graph_store.statements(owner, NOW, ids)}


def named(graph_store, owner: Owner = ALICE, ids=None) -> set[tuple[str, str]]:
    return {(m.entity.id, m.memory_id) for m in graph_store.mentions(owner, NOW, ids)}


def test_given_a_memory_with_entities_and_relations_when_inserted_then_its_mentions_and_statements_are_found(
    store, graph_store
) -> None:
    memory, entry = make("Lives in Lisbon", entities=(LISBON,), relations=(lives_in(LISBON),), agent_id="bot")
    store.insert(memory, entry)

    assert named(graph_store) == {(LISBON.id, memory.id)}
    assert triples(graph_store) == {("user", "lives_in", LISBON.id, memory.id)}
    [statement] = graph_store.statements(ALICE, NOW)
    assert (statement.agent_id, statement.valid_from, statement.valid_to) == ("bot", T0, None)
    [mention] = graph_store.mentions(ALICE, NOW)
    assert (mention.entity.name, mention.entity.type, mention.agent_id) == ("Lisbon", "place", "bot")


def test_given_a_relation_to_an_entity_not_listed_when_inserted_then_both_ends_are_mentioned(
    store, graph_store
) -> None:
    memory, entry = make("Her sister Chloe lives in Leeds", relations=(lives_in(LEEDS, CHLOE),))
    store.insert(memory, entry)

    assert named(graph_store) == {(CHLOE.id, memory.id), (LEEDS.id, memory.id)}


def test_given_statements_when_read_by_entity_then_both_directions_are_found_and_nothing_else(
    store, graph_store
) -> None:
    first, entry = make("Chloe lives in Leeds", relations=(lives_in(LEEDS, CHLOE),))
    second, entry2 = make("Lives in Berlin", entities=(BERLIN,), relations=(lives_in(BERLIN),))
    store.insert(first, entry)
    store.insert(second, entry2)

    assert triples(graph_store, ids=[LEEDS.id]) == {(CHLOE.id, "lives_in", LEEDS.id, first.id)}
    assert triples(graph_store, ids=[CHLOE.id]) == {(CHLOE.id, "lives_in", LEEDS.id, first.id)}
    assert named(graph_store, ids=[BERLIN.id]) == {(BERLIN.id, second.id)}
    assert named(graph_store, ids=["place:nowhere"]) == set()


def test_given_a_memory_when_its_entities_change_then_the_old_rows_go_and_the_new_ones_come(store, graph_store) -> None:
    memory, entry = make("Lives in Lisbon", entities=(LISBON,), relations=(lives_in(LISBON),))
    store.insert(memory, entry)
    graph_store.mentions(ALICE, NOW)  # the first version is projected before the change

    changed = memory.with_changes(
        content="Lives in Berlin", entities=(BERLIN,), relations=(lives_in(BERLIN),), version=2, updated_at=NOW
    )
    store.update(changed, 1, HistoryEntry(memory.id, 2, HistoryEvent.UPDATED, NOW, changed.content, None, ()))

    assert named(graph_store) == {(BERLIN.id, memory.id)}
    assert triples(graph_store) == {("user", "lives_in", BERLIN.id, memory.id)}


def test_given_a_superseded_memory_then_its_relation_ends_instead_of_vanishing(store, graph_store) -> None:
    old, entry = make("Lives in Lisbon", entities=(LISBON,), relations=(lives_in(LISBON),))
    new, entry2 = make("Lives in Berlin", entities=(BERLIN,), relations=(lives_in(BERLIN),))
    store.insert(old, entry)
    store.insert(new, entry2)
    ended_at = T0 + timedelta(minutes=5)
    retired = old.with_changes(superseded_by=new.id, version=2, updated_at=ended_at)
    superseded = HistoryEntry(old.id, 2, HistoryEvent.SUPERSEDED, ended_at, old.content, None, ())
    store.update_many([(retired, 1, superseded, None)])

    ends = {s.object_id: s.valid_to for s in graph_store.statements(ALICE, NOW)}
    assert ends == {LISBON.id: ended_at, BERLIN.id: None}


def test_given_memories_when_deleted_then_no_graph_row_is_left(store, graph_store) -> None:
    memory, entry = make("Lives in Lisbon", entities=(LISBON,), relations=(lives_in(LISBON),))
    store.insert(memory, entry)
    graph_store.mentions(ALICE, NOW)

    store.delete(ALICE, [memory.id])

    assert graph_store.mentions(ALICE, NOW) == [] and graph_store.statements(ALICE, NOW) == []


def test_given_an_expired_memory_then_its_graph_is_hidden(store, graph_store) -> None:
    memory, entry = make(
        "Lives in Lisbon", entities=(LISBON,), relations=(lives_in(LISBON),), expires_at=T0 + timedelta(minutes=30)
    )
    store.insert(memory, entry)

    assert graph_store.mentions(ALICE, T0) != []
    assert graph_store.mentions(ALICE, NOW) == [] and graph_store.statements(ALICE, NOW) == []


def test_given_two_users_then_each_graph_holds_only_its_own_memories(store, graph_store) -> None:
    bob = Owner(ALICE.tenant, "bob")
    other_tenant = Owner("globex", ALICE.user_id)
    for owner, place in ((ALICE, LISBON), (bob, BERLIN), (other_tenant, LEEDS)):
        memory, entry = make(f"Lives in {place.name}", owner=owner, entities=(place,), relations=(lives_in(place),))
        store.insert(memory, entry)

    assert {m.entity.id for m in graph_store.mentions(ALICE, NOW)} == {LISBON.id}
    assert {m.entity.id for m in graph_store.mentions(bob, NOW)} == {BERLIN.id}
    assert {s.object_id for s in graph_store.statements(other_tenant, NOW)} == {LEEDS.id}


def test_given_a_user_being_erased_then_erasure_leaves_no_graph_and_verification_finds_none(store, graph_store) -> None:
    memory, entry = make("Lives in Lisbon", entities=(LISBON,), relations=(lives_in(LISBON),))
    store.insert(memory, entry)
    graph_store.mentions(ALICE, NOW)

    while store.erase_page(ALICE, 100):
        pass

    assert graph_store.mentions(ALICE, NOW) == [] and graph_store.statements(ALICE, NOW) == []
    assert store.residue(ALICE) == {}


def test_given_a_memory_changed_before_its_graph_was_built_then_the_graph_still_holds_it(store, graph_store) -> None:
    # (On DynamoDB the insert's record arrives after the memory moved on, so only the change's record may put it.)
    memory, entry = make("Lives in Lisbon", entities=(LISBON,), relations=(lives_in(LISBON),))
    store.insert(memory, entry)
    changed = memory.with_changes(importance=0.9, version=2, updated_at=NOW)
    store.update(changed, 1, HistoryEntry(memory.id, 2, HistoryEvent.UPDATED, NOW, memory.content, None, ()))

    assert named(graph_store) == {(LISBON.id, memory.id)}
    assert triples(graph_store) == {("user", "lives_in", LISBON.id, memory.id)}
