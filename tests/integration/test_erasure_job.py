"""The erase-user job on both backends: a failing step is retried, and a job that fails for good leaves the user
marked (writes refused) until an erasure runs to its end."""

from __future__ import annotations

from typing import Any

import pytest

from agent_memory.domain.errors import StoreUnavailable, UserBeingErased
from agent_memory.domain.models import NewMemory, Owner
from agent_memory.domain.operations import OperationStatus
from agent_memory.runtime import Runtime
from agent_memory.services.jobs.steps import run_to_end

ALICE = Owner("acme", "alice")


class FailingArchive:
    """The real archive, whose erase_user fails the first `failures` times."""

    def __init__(self, archive: Any, failures: int) -> None:
        self._archive = archive
        self.failures = failures

    def erase_user(self, tenant: str, user_id: str) -> dict[str, int]:
        if self.failures:
            self.failures -= 1
            raise StoreUnavailable("the bucket is unreachable")
        return dict(self._archive.erase_user(tenant, user_id))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._archive, name)


class ManualRunner:
    def start(self, operation: Any) -> None:  # the test runs the steps itself
        return None


def seed(runtime: Runtime) -> None:
    for content in ("Lives in Lisbon", "Has a cat named Miso", "Works as a nurse"):
        runtime.memories.create("acme", NewMemory(user_id="alice", content=content))
    runtime.memories.create("acme", NewMemory(user_id="bob", content="Lives in Lisbon"))


def test_a_transient_failure_is_retried_and_the_erasure_completes(runtime: Runtime) -> None:
    # Given alice's memories and an archive that fails once
    seed(runtime)
    runtime.__dict__["archive"] = FailingArchive(runtime.archive, failures=1)
    runtime.__dict__["job_runner"] = ManualRunner()
    operation, _ = runtime.data_rights.erase_user("acme", "alice")
    # When the job runs (with the state machines' retry policy)
    done = run_to_end(runtime.job_steps, "acme", operation.id, sleep=lambda _: None)
    # Then it succeeded after the retry with a verified receipt, and bob is untouched
    assert done is not None and done.status is OperationStatus.SUCCEEDED, done
    assert done.counts["memories"] == 3 and done.result["verified"] is True
    assert runtime.store.residue(ALICE) == {}
    assert runtime.store.residue(Owner("acme", "bob"))


def test_a_failed_erasure_keeps_refusing_writes_until_a_new_one_finishes(runtime: Runtime) -> None:
    # Given an erasure whose log deletion keeps failing past every retry
    seed(runtime)
    runtime.__dict__["archive"] = FailingArchive(runtime.archive, failures=100)
    runtime.__dict__["job_runner"] = ManualRunner()
    operation, _ = runtime.data_rights.erase_user("acme", "alice")
    failed = run_to_end(runtime.job_steps, "acme", operation.id, sleep=lambda _: None)
    assert failed is not None and failed.status is OperationStatus.FAILED
    assert "StoreUnavailable" in (failed.error or "")
    # Then her memories are gone already, and nothing new of hers can be written half-way through an erasure
    assert "memories" not in runtime.store.residue(ALICE)
    with pytest.raises(UserBeingErased):
        runtime.memories.create("acme", NewMemory(user_id="alice", content="Likes tea"))
    # When the bucket is back and the erasure is asked for again
    runtime.__dict__["archive"].failures = 0
    again, created = runtime.data_rights.erase_user("acme", "alice")
    assert created
    done = run_to_end(runtime.job_steps, "acme", again.id, sleep=lambda _: None)
    # Then it completes, verified, and alice can be written again
    assert done is not None and done.status is OperationStatus.SUCCEEDED and done.result["verified"] is True
    runtime.memories.create("acme", NewMemory(user_id="alice", content="Likes tea"))


class UnrefreshedIndex:
    """A projection that, like OpenSearch before its refresh, still lists documents it has deleted."""

    def __init__(self, memory_ids: list[str]) -> None:
        from agent_memory.ports import IndexedDocument

        self.docs = [IndexedDocument(f"d-{i}", i, 1, False) for i in sorted(memory_ids)]
        self.deleted: set[str] = set()

    def documents(self, owner: Any, after: str | None, limit: int) -> list[Any]:
        return [doc for doc in self.docs if after is None or doc.memory_id > after][:limit]

    def remove(self, documents: Any) -> int:
        fresh = [doc.document_id for doc in documents if doc.document_id not in self.deleted]
        self.deleted.update(fresh)
        return len(fresh)


def test_the_index_phase_pages_on_even_when_deleted_documents_still_show() -> None:
    from datetime import UTC, datetime

    from agent_memory.domain.operations import JobKind, Operation
    from agent_memory.services.jobs.erasure import PAGE, EraseSearchIndex

    # Given more documents than a page, in an index that lists deleted documents until it refreshes
    index = UnrefreshedIndex([f"m{i:04d}" for i in range(2 * PAGE + 17)])
    now = datetime.now(UTC)
    operation = Operation("op", "acme", "alice", JobKind.ERASE_USER, OperationStatus.RUNNING, now, now)
    saved: list[Any] = []
    checkpoint = type("Checkpoint", (), {"save": lambda self, progress: saved.append(progress)})()
    # When the phase runs
    progress = EraseSearchIndex(index).run(operation, None, lambda: 1e9, checkpoint)  # type: ignore[arg-type]
    # Then it finishes, every document deleted once, having saved its place after each page
    assert progress.done and progress.counts["search_documents"] == 2 * PAGE + 17
    assert len(index.deleted) == 2 * PAGE + 17 and len(saved) == 3
