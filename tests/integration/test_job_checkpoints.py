"""Jobs inside long steps, on both backends: progress and counts saved at checkpoints with what they count, the lease
renewed as the step goes (and work stopped when another job took it over), a step resumed after its process died or
its time ran out, and an optimize merge whose words are the retired memory's.

Time is an injected clock; a process dying is an exception no step handles (like `kill -9`, nothing runs after it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pytest

from agent_memory.adapters.local.rules_curator import RulesCurator
from agent_memory.domain.clock import utcnow
from agent_memory.domain.curation import RELATED_SIMILARITY, MergeAction, MergeDecision
from agent_memory.domain.models import Memory, MemoryFilter, NewMemory, Owner
from agent_memory.domain.operations import JobKind, Operation, OperationStatus, Phase
from agent_memory.runtime import Runtime
from agent_memory.services.jobs import reindex
from agent_memory.services.jobs.optimize import RefreshTopics, ResolveDuplicates
from agent_memory.services.jobs.reindex import Reindex
from agent_memory.services.jobs.steps import JobSteps, PhaseRunner, run_to_end
from agent_memory.services.operations import OperationService

OWNER = Owner("acme", "alice")


class Died(BaseException):
    """The process ended here: not an error any step catches or reports."""


class NotRunning:
    def start(self, operation: Operation) -> None:
        return None


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


def no_sleep(_: float) -> None:
    return None


def remember(runtime: Runtime, *contents: str) -> list[Memory]:
    return [runtime.memories.create("acme", NewMemory(user_id="alice", content=content)) for content in contents]


def every_memory(runtime: Runtime) -> list[Memory]:
    return [memory for memory, _ in runtime.store.memory_page(OWNER, None, 1000)]


def steps_with(runtime: Runtime, phases: dict[Phase, PhaseRunner], clock: Callable[[], datetime] = utcnow) -> JobSteps:
    return JobSteps(runtime.operation_store, phases, runtime.store, clock=clock)


def optimize_phases(runtime: Runtime, curator: Any) -> dict[Phase, PhaseRunner]:
    return {
        Phase.RESOLVE_DUPLICATES: ResolveDuplicates(runtime.store, runtime.settings_store, runtime.embedder, curator),
        Phase.REFRESH_TOPICS: RefreshTopics(runtime.store, runtime.embedder, RulesCurator()),
    }


def start(runtime: Runtime, kind: JobKind, clock: Callable[[], datetime] = utcnow, **params: bool) -> Operation:
    service = OperationService(runtime.operation_store, lambda: NotRunning(), runtime.store, clock=clock)
    operation, created = service.start("acme", "alice", kind, params)
    assert created
    return operation


class SlowEmbedder:
    """The runtime's embedder, with `on_embed` run before each call (a clock moving on, another request...)."""

    def __init__(self, inner: Any, on_embed: Callable[[Sequence[str]], None]) -> None:
        self._inner = inner
        self._on_embed = on_embed
        self.texts: list[str] = []

    @property
    def model_id(self) -> str:
        return str(self._inner.model_id)

    @property
    def dimension(self) -> int:
        return int(self._inner.dimension)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self._on_embed(texts)
        self.texts.extend(texts)
        return self._inner.embed(texts)  # type: ignore[no-any-return]


@pytest.fixture
def paged(monkeypatch: pytest.MonkeyPatch, runtime: Runtime) -> Runtime:
    """25 memories and reindex pages of 10: three pages."""
    monkeypatch.setattr(reindex, "PAGE", 10)
    remember(runtime, *(f"Fact number {i} about the garden" for i in range(25)))
    return runtime


def test_given_a_long_reindex_step_then_done_and_cursor_are_saved_every_page_and_a_dead_step_resumes_there(
    paged: Runtime,
) -> None:
    runtime = paged
    operation = start(runtime, JobKind.REINDEX, force=True)
    seen: list[tuple[int, Any]] = []

    def watch_then_die_on_third_page(texts: Sequence[str]) -> None:
        saved = runtime.operation_store.get_operation("acme", operation.id)
        assert saved is not None
        seen.append((saved.done, saved.cursor))
        if len(seen) == 3:
            raise Died()

    dying = SlowEmbedder(runtime.embedder, watch_then_die_on_third_page)

    # When: one step walks the pages and its process dies on the third
    with pytest.raises(Died):
        run_to_end(steps_with(runtime, {Phase.REINDEX: Reindex(runtime.store, dying, None)}), "acme", operation.id)

    # Then: while it ran, the operation showed each page done, with the cursor after it
    pages = sorted(m.id for m in every_memory(runtime))
    assert seen == [(0, None), (10, {"after_id": pages[9]}), (20, {"after_id": pages[19]})]

    # When: the job is taken up again
    fresh = SlowEmbedder(runtime.embedder, lambda _: None)
    final = run_to_end(steps_with(runtime, {Phase.REINDEX: Reindex(runtime.store, fresh, None)}), "acme", operation.id)

    # Then: it continues from the last saved page instead of starting over, and counts each memory once
    assert final is not None and final.status is OperationStatus.SUCCEEDED
    assert len(fresh.texts) == 5
    assert final.counts["scanned"] == 25 and final.counts["reembedded"] == 25 and final.done == 25


def test_given_a_step_longer_than_the_lease_then_its_checkpoints_keep_the_job_from_being_started_twice(
    paged: Runtime,
) -> None:
    runtime = paged
    clock = Clock()
    operation = start(runtime, JobKind.REINDEX, clock, force=True)
    answers: list[tuple[str, bool]] = []
    service = OperationService(runtime.operation_store, lambda: NotRunning(), runtime.store, clock=clock)

    def ten_minute_pages_and_a_second_request(texts: Sequence[str]) -> None:
        clock.advance(10)
        other, created = service.start("acme", "alice", JobKind.REINDEX, {"force": True})
        answers.append((other.id, created))

    slow = SlowEmbedder(runtime.embedder, ten_minute_pages_and_a_second_request)

    # When: one step takes three pages of ten minutes each (twice the 15-minute lease), with a request during each
    final = run_to_end(
        steps_with(runtime, {Phase.REINDEX: Reindex(runtime.store, slow, None)}, clock), "acme", operation.id
    )

    # Then: each request got the running job back, and the job finished
    assert answers == [(operation.id, False)] * 3
    assert final is not None and final.status is OperationStatus.SUCCEEDED and final.counts["scanned"] == 25


def test_given_a_step_whose_lease_ran_out_and_was_taken_over_then_it_stops_at_its_next_checkpoint(
    paged: Runtime,
) -> None:
    runtime = paged
    clock = Clock()
    operation = start(runtime, JobKind.REINDEX, clock, force=True)
    taken: list[Operation] = []
    service = OperationService(runtime.operation_store, lambda: NotRunning(), runtime.store, clock=clock)

    def a_page_longer_than_the_lease_then_another_job(texts: Sequence[str]) -> None:
        if not taken:
            clock.advance(16)
            other, created = service.start("acme", "alice", JobKind.REINDEX, {})
            assert created
            taken.append(other)

    slow = SlowEmbedder(runtime.embedder, a_page_longer_than_the_lease_then_another_job)

    # When: the first page outlives the lease and a new request takes the job over meanwhile
    final = run_to_end(
        steps_with(runtime, {Phase.REINDEX: Reindex(runtime.store, slow, None)}, clock), "acme", operation.id
    )

    # Then: the old step stops at the checkpoint after that page, doing no more work; the new job holds the lock
    assert final is None
    assert len(slow.texts) == 10
    old = runtime.operations.get("acme", operation.id)
    assert old.status is OperationStatus.FAILED and "stopped reporting" in (old.error or "")
    assert runtime.operations.get("acme", taken[0].id).status is OperationStatus.QUEUED


class DiesAfterFirstChange:
    """The rules curator, whose process dies when asked for a judgement once any memory has been superseded: the
    moment between two applied changes, whatever order a job applies them in."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._inner = RulesCurator()
        self.died = False

    def decide_merge(self, older: str, newer: str, similarity: float | None = None) -> MergeDecision:
        if any(memory.superseded_by for memory in every_memory(self._runtime)):
            self.died = True
            raise Died()
        return self._inner.decide_merge(older, newer, similarity)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def test_given_optimize_died_between_applied_changes_when_it_resumes_then_its_counts_are_the_changes_made(
    runtime: Runtime,
) -> None:
    remember(runtime, "Likes tea.", "likes tea", "LIKES TEA!", "Lives in Berlin", "Lives in Munich", "Lives in Paris")
    operation = start(runtime, JobKind.OPTIMIZE)
    curator = DiesAfterFirstChange(runtime)

    # When: the job's process dies after some of its changes were applied, and the job is then taken up again
    with pytest.raises(Died):
        run_to_end(steps_with(runtime, optimize_phases(runtime, curator)), "acme", operation.id)
    assert curator.died
    final = run_to_end(runtime.job_steps, "acme", operation.id, sleep=no_sleep)

    # Then: what it reports is exactly what it changed
    assert final is not None and final.status is OperationStatus.SUCCEEDED
    retired = [m for m in every_memory(runtime) if m.superseded_by is not None]
    assert final.counts["merged"] + final.counts["superseded"] == len(retired) == 4
    assert final.counts["merged"] == 2 and final.counts["superseded"] == 2
    reported = {c["superseded"] for c in final.result["merges"] + final.result["supersessions"]}
    assert reported == {m.id for m in retired}
    assert final.counts["memories"] == 6


def test_given_optimize_out_of_time_mid_judging_when_the_next_step_runs_then_no_pair_is_judged_twice(
    runtime: Runtime,
) -> None:
    remember(runtime, "Lives in Berlin", "Lives in Munich", "Lives in Paris", "Likes tea", "Likes green tea")
    operation = start(runtime, JobKind.OPTIMIZE)
    asked: list[tuple[str, str]] = []
    cosines: list[float | None] = []

    class Counting(RulesCurator):
        def decide_merge(self, older: str, newer: str, similarity: float | None = None) -> MergeDecision:
            asked.append((older, newer))
            cosines.append(similarity)
            return super().decide_merge(older, newer, similarity)

    steps = steps_with(runtime, optimize_phases(runtime, Counting()))
    steps.begin("acme", operation.id)

    def one_judgement() -> Callable[[], float]:
        budget = iter([1000.0])
        return lambda: next(budget, 0.0)

    # When: each step has time for one judgement only
    rounds = 0
    while not steps.step("acme", operation.id, Phase.RESOLVE_DUPLICATES, one_judgement()):
        rounds += 1
        saved = runtime.operations.get("acme", operation.id)
        assert saved.cursor is not None and saved.done <= (saved.total or 0)

    # Then: the phase took several steps, each continuing where the last stopped
    assert rounds >= 2
    assert len(asked) == len(set(asked))
    # And the curator was handed each pair's cosine, at least the similarity that made it a candidate
    assert cosines and all(c is not None and RELATED_SIMILARITY <= c <= 1.0 + 1e-6 for c in cosines)
    current = runtime.memories.list_memories(OWNER, MemoryFilter()).items
    assert "Lives in Paris" in {m.content for m in current}
    assert not {"Lives in Berlin", "Lives in Munich"} & {m.content for m in current}
    saved = runtime.operations.get("acme", operation.id)
    assert saved.phase_done and saved.done == saved.total and saved.counts["superseded"] == 2


def test_given_a_chain_of_replacements_when_optimize_runs_then_only_the_newest_stays(runtime: Runtime) -> None:
    berlin, munich, paris = remember(runtime, "Lives in Berlin", "Lives in Munich", "Lives in Paris")

    final = run_to_end(runtime.job_steps, "acme", start(runtime, JobKind.OPTIMIZE).id, sleep=no_sleep)

    assert final is not None and final.counts["superseded"] == 2
    current = runtime.memories.list_memories(OWNER, MemoryFilter()).items
    assert [m.id for m in current] == [paris.id]
    assert {m.id: m.superseded_by for m in every_memory(runtime)}[berlin.id] in {munich.id, paris.id}


class MergesIntoOtherCasing(RulesCurator):
    """Judges the two hiking memories the same fact, in the newer one's words with other casing."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0

    def decide_merge(self, older: str, newer: str, similarity: float | None = None) -> MergeDecision:
        if "hiking" in older and "hiking" in newer:
            self.asked += 1
            return MergeDecision(MergeAction.MERGE, "the same fact", merged_content=newer.lower())
        return super().decide_merge(older, newer, similarity)


def test_given_a_merge_whose_words_normalise_to_the_retired_memorys_when_optimize_runs_then_it_merges(
    runtime: Runtime,
) -> None:
    older, newer = remember(runtime, "Likes hiking in the Alps", "Really likes hiking in the Alps")
    operation = start(runtime, JobKind.OPTIMIZE)
    curator = MergesIntoOtherCasing()

    # When: the curator merges them with words that are, once normalised, the newer memory's content
    final = run_to_end(steps_with(runtime, optimize_phases(runtime, curator)), "acme", operation.id, sleep=no_sleep)

    # Then: the job succeeds with the merge made: the newer memory keeps its content key and takes the chosen words
    assert curator.asked == 1
    assert final is not None and final.status is OperationStatus.SUCCEEDED, final and final.error
    assert final.counts["merged"] == 1 and final.counts["conflicts"] == 0
    stored = {m.id: m for m in every_memory(runtime)}
    assert stored[newer.id].content == "really likes hiking in the alps" and stored[newer.id].supersedes == older.id
    assert stored[older.id].superseded_by == newer.id and stored[older.id].content == older.content
