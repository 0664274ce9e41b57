"""OperationStore contract, and the MemoryStore methods jobs use: run against SQLite and DynamoDB alike."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from agent_memory.domain.errors import DuplicateMemory, VersionConflict
from agent_memory.domain.models import HistoryEntry, HistoryEvent
from agent_memory.domain.operations import JobKind, Operation, OperationAbandoned, OperationStatus, Phase
from tests.contract.test_memory_store import ALICE, T0, _ids, make


def queued(kind: JobKind = JobKind.OPTIMIZE, user: str = "alice", tenant: str = "acme") -> Operation:
    return Operation(_ids(), tenant, user, kind, OperationStatus.QUEUED, T0, T0, params={"dry_run": True})


LATER = T0 + timedelta(minutes=15)


def test_given_no_job_when_opened_then_it_is_recorded_and_read_back_whole(operations) -> None:
    operation = queued()
    assert operations.open_operation(operation, LATER, T0) == (operation, True)
    assert operations.get_operation("acme", operation.id) == operation
    assert operations.get_operation("globex", operation.id) is None


def test_given_a_running_job_when_the_same_is_opened_then_the_running_one_is_returned(operations) -> None:
    first = queued()
    operations.open_operation(first, LATER, T0)

    held, created = operations.open_operation(queued(), LATER, T0 + timedelta(minutes=1))

    assert (held, created) == (first, False)
    assert len(operations.list_operations("acme", None, None, None, 10, None)) == 1
    for other in (queued(JobKind.REINDEX), queued(user="bob"), queued(tenant="globex")):
        assert operations.open_operation(other, LATER, T0)[1] is True


def test_given_an_expired_lock_when_opened_then_a_new_job_starts_and_the_old_is_marked_failed(operations) -> None:
    stale = queued()
    operations.open_operation(stale, LATER, T0)

    fresh = queued()
    assert operations.open_operation(fresh, LATER + timedelta(minutes=15), LATER + timedelta(seconds=1))[1] is True

    old = operations.get_operation("acme", stale.id)
    assert old.status is OperationStatus.FAILED and "stopped reporting" in old.error
    with pytest.raises(OperationAbandoned):
        operations.save_operation(stale.with_changes(status=OperationStatus.RUNNING), LATER)


def test_saving_renews_the_lock_and_finishing_releases_it(operations) -> None:
    operation = queued()
    operations.open_operation(operation, LATER, T0)
    running = operation.with_changes(status=OperationStatus.RUNNING, phase=Phase.RESOLVE_DUPLICATES, cursor={"a": 1})
    operations.save_operation(running, LATER + timedelta(minutes=10))
    assert operations.get_operation("acme", operation.id) == running

    # The renewed lock still holds past the first expiry
    assert operations.open_operation(queued(), LATER, LATER + timedelta(minutes=5))[1] is False

    operations.save_operation(running.with_changes(status=OperationStatus.SUCCEEDED, counts={"merged": 2}), None)
    next_one = queued()
    assert operations.open_operation(next_one, LATER, T0)[1] is True
    with pytest.raises(OperationAbandoned):
        operations.save_operation(running.with_changes(status=OperationStatus.FAILED), None)


def test_listing_is_newest_first_filtered_and_paged(operations) -> None:
    a = queued(JobKind.OPTIMIZE)
    b = queued(JobKind.REINDEX)
    c = queued(JobKind.OPTIMIZE, user="bob")
    for operation in (a, b, c):
        operations.open_operation(operation, LATER, T0)
    operations.save_operation(b.with_changes(status=OperationStatus.SUCCEEDED), None)

    assert [o.id for o in operations.list_operations("acme", None, None, None, 10, None)] == [c.id, b.id, a.id]
    assert [o.id for o in operations.list_operations("acme", None, None, None, 2, c.id)] == [b.id, a.id]
    assert [o.id for o in operations.list_operations("acme", "alice", None, None, 10, None)] == [b.id, a.id]
    assert [o.id for o in operations.list_operations("acme", None, JobKind.OPTIMIZE, None, 10, None)] == [c.id, a.id]
    succeeded = operations.list_operations("acme", None, None, OperationStatus.SUCCEEDED, 10, None)
    assert [o.id for o in succeeded] == [b.id]
    assert operations.list_operations("globex", None, None, None, 10, None) == []


def test_memory_pages_walk_every_memory_in_id_order_with_vectors(store) -> None:
    made = [make(f"fact {i}", embedding_model="m") for i in range(5)]
    for i, (memory, entry) in enumerate(made):
        store.insert(memory, entry, np.full(4, i, dtype=np.float32))

    first = store.memory_page(ALICE, None, 3)
    rest = store.memory_page(ALICE, first[-1][0].id, 3)

    assert [m.id for m, _ in first + rest] == [m.id for m, _ in made]
    assert [float(v[0]) for _, v in first + rest] == [0, 1, 2, 3, 4]
    assert store.memory_page(ALICE, rest[-1][0].id, 3) == []


def test_set_vectors_replaces_vectors_without_a_new_version(store) -> None:
    memory, entry = make("Likes tea", embedding_model="old")
    store.insert(memory, entry, np.zeros(4, dtype=np.float32))

    assert store.set_vectors(ALICE, "new", [(memory.id, np.ones(4, dtype=np.float32)), ("01GONE", np.ones(4))]) == 1

    (stored, vector), *_ = store.memory_page(ALICE, None, 10)
    assert stored.embedding_model == "new" and stored.version == 1 and vector.tolist() == [1, 1, 1, 1]


def test_update_many_writes_all_changes_or_none(store) -> None:
    (a, a_entry), (b, b_entry) = make("Likes tea"), make("Likes coffee")
    store.insert(a, a_entry)
    store.insert(b, b_entry)
    later = T0 + timedelta(hours=1)

    def change(memory, expected, **fields):  # type: ignore[no-untyped-def]
        new = memory.with_changes(version=memory.version + 1, updated_at=later, **fields)
        return new, expected, HistoryEntry(memory.id, new.version, HistoryEvent.SUPERSEDED, later, memory.content, None,
                                           tuple(fields)), None  # fmt: skip

    with pytest.raises(VersionConflict):
        store.update_many([change(a, 1, supersedes=b.id), change(b, 7, superseded_by=a.id)])
    assert store.get(ALICE, a.id, T0).version == 1 and store.get(ALICE, b.id, T0).superseded_by is None

    store.update_many([change(a, 1, supersedes=b.id), change(b, 1, superseded_by=a.id)])
    assert store.get(ALICE, a.id, T0).supersedes == b.id and store.get(ALICE, b.id, T0).superseded_by == a.id
    assert [h.event for h in store.history(ALICE, b.id)] == [HistoryEvent.CREATED, HistoryEvent.SUPERSEDED]


def _merge(survivor, retired, content):  # type: ignore[no-untyped-def]
    """The two changes of an optimize merge: the survivor takes `content`, the retired one points to it."""
    later = T0 + timedelta(hours=1)
    kept = survivor.with_changes(content=content, supersedes=retired.id, version=2, updated_at=later)
    gone = retired.with_changes(superseded_by=survivor.id, version=2, updated_at=later)
    return [
        (kept, 1, HistoryEntry(survivor.id, 2, HistoryEvent.UPDATED, later, content, survivor.content, ("content",)),
         None),
        (gone, 1, HistoryEntry(retired.id, 2, HistoryEvent.SUPERSEDED, later, retired.content, None,
                               ("superseded_by",)), None),
    ]  # fmt: skip


def test_given_two_memories_taking_one_content_in_one_update_then_it_is_a_duplicate_and_nothing_is_written(
    store,
) -> None:
    # Given: a survivor about to take words that normalise to the retired memory's content, in the same transaction
    (survivor, s_entry), (retired, r_entry) = make("Likes hiking"), make("Really likes hiking")
    store.insert(survivor, s_entry)
    store.insert(retired, r_entry)

    # When / Then: refused as a duplicate of the memory holding that content (DynamoDB would otherwise be sent one
    # uniqueness item twice, a malformed transaction), and nothing changes
    with pytest.raises(DuplicateMemory) as refused:
        store.update_many(_merge(survivor, retired, "really likes HIKING"))
    assert refused.value.existing_id == retired.id
    assert store.get(ALICE, survivor.id, T0) == survivor and store.get(ALICE, retired.id, T0) == retired


def _running(operations) -> Operation:  # type: ignore[no-untyped-def]
    operation = queued()
    operations.open_operation(operation, LATER, T0)
    return operation.with_changes(status=OperationStatus.RUNNING, phase=Phase.RESOLVE_DUPLICATES)


def test_saving_with_changes_writes_the_changes_and_the_operation_together_and_renews_the_lock(
    store, operations
) -> None:
    (survivor, s_entry), (retired, r_entry) = make("Likes tea"), make("Likes green tea")
    store.insert(survivor, s_entry)
    store.insert(retired, r_entry)
    running = _running(operations)
    counted = running.with_changes(counts={"merged": 1}, cursor={"stage": "pairs"})

    operations.save_with_changes(counted, LATER + timedelta(minutes=10), _merge(survivor, retired, "Likes tea a lot"))

    assert operations.get_operation("acme", running.id) == counted
    assert store.get(ALICE, survivor.id, T0).content == "Likes tea a lot"
    assert store.get(ALICE, retired.id, T0).superseded_by == survivor.id
    # The renewed lock still holds past the first expiry
    assert operations.open_operation(queued(), LATER, LATER + timedelta(minutes=5))[1] is False


def test_given_another_job_took_the_lock_then_saving_with_changes_writes_nothing(store, operations) -> None:
    (survivor, s_entry), (retired, r_entry) = make("Likes tea"), make("Likes green tea")
    store.insert(survivor, s_entry)
    store.insert(retired, r_entry)
    running = _running(operations)
    assert operations.open_operation(queued(), LATER + timedelta(minutes=15), LATER + timedelta(seconds=1))[1]

    with pytest.raises(OperationAbandoned):
        operations.save_with_changes(
            running.with_changes(counts={"merged": 1}), LATER, _merge(survivor, retired, "Likes tea a lot")
        )

    assert store.get(ALICE, survivor.id, T0) == survivor and store.get(ALICE, retired.id, T0) == retired
    assert operations.get_operation("acme", running.id).status is OperationStatus.FAILED


@pytest.mark.parametrize("refusal", ["version", "duplicate"])
def test_given_a_memory_changed_then_saving_with_changes_saves_neither_the_changes_nor_the_counts(
    store, operations, refusal: str
) -> None:
    (survivor, s_entry), (retired, r_entry) = make("Likes tea"), make("Likes green tea")
    store.insert(survivor, s_entry)
    store.insert(retired, r_entry)
    running = _running(operations)
    operations.save_operation(running, LATER)
    changes = _merge(survivor, retired, "Likes tea a lot" if refusal == "version" else "LIKES GREEN TEA")
    if refusal == "version":
        changes[1] = (changes[1][0], 7, *changes[1][2:])

    with pytest.raises(VersionConflict if refusal == "version" else DuplicateMemory):
        operations.save_with_changes(running.with_changes(counts={"merged": 1}), LATER, changes)

    assert operations.get_operation("acme", running.id) == running
    assert store.get(ALICE, survivor.id, T0) == survivor and store.get(ALICE, retired.id, T0) == retired
