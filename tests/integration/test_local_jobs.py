"""Jobs on the local backend: the conversation jobs over raw logs, and the worker surviving a restart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent_memory.config import Config
from agent_memory.domain.conversation import MemoryMode
from agent_memory.domain.conversation_log import LogAddress
from agent_memory.domain.models import MemoryFilter, Owner, Source
from agent_memory.domain.operations import JobKind, Operation, OperationStatus
from agent_memory.runtime import Runtime
from agent_memory.services.jobs.steps import run_to_end

OWNER = Owner("acme", "alice")


def write_log(data_dir: Path, thread: str, *messages: tuple[str, str]) -> str:
    address = LogAddress("acme", "alice", thread)
    path = data_dir / "raw" / address.key
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        json.dumps({"role": role, "content": content, "ts": f"2026-11-20T09:0{i}:00Z"})
        for i, (role, content) in enumerate(messages)
    ]
    path.write_text("\n".join(lines) + "\n")
    return address.key


@pytest.fixture
def runtime(tmp_path: Path) -> Runtime:
    rt = Runtime(Config(data_dir=tmp_path / "data", embedder="hashing"))
    yield rt
    rt.close()


class NotRunning:
    """A runner that accepts jobs and never runs them: the process 'dies' with the job queued."""

    def start(self, operation: Operation) -> None:
        return None


def run_job(runtime: Runtime, kind: JobKind, **params: bool) -> Operation:
    runtime.__dict__["job_runner"] = NotRunning()
    operation, created = runtime.operations.start("acme", "alice", kind, params)
    assert created
    final = run_to_end(runtime.job_steps, "acme", operation.id, sleep=lambda _: None)
    assert final is not None
    return final


def test_consolidate_extracts_facts_from_stored_logs_once_per_extractor_version(runtime: Runtime) -> None:
    data = runtime.config.data_dir
    write_log(data, "trip", ("user", "I always book window seats."), ("assistant", "Noted!"))
    write_log(data, "health", ("user", "I'm allergic to peanuts. What should I cook?"))

    first = run_job(runtime, JobKind.CONSOLIDATE_CONVERSATIONS)

    assert first.status is OperationStatus.SUCCEEDED
    assert first.counts["logs"] == 2 and first.counts["facts_saved"] == 2
    stored = runtime.memories.list_memories(OWNER, MemoryFilter()).items
    assert {m.content for m in stored} == {"Always books window seats", "Is allergic to peanuts"}
    assert all(m.source is Source.CONVERSATION for m in stored)
    assert any(ref.startswith("conversations/acme/alice/trip.jsonl#L1") for m in stored for ref in m.source_refs)

    again = run_job(runtime, JobKind.CONSOLIDATE_CONVERSATIONS)
    assert again.counts["facts_saved"] == 0
    assert runtime.memories.list_memories(OWNER, MemoryFilter()).total == 2


def test_consolidate_skips_facts_already_remembered_from_a_live_turn(runtime: Runtime) -> None:
    from agent_memory.domain.conversation import Message, Role, Turn

    turn = Turn("alice", "trip", (Message(Role.USER, "I always book window seats."),))
    runtime.conversations.remember("acme", turn, MemoryMode.ON)
    write_log(runtime.config.data_dir, "trip", ("user", "I always book window seats."))

    done = run_job(runtime, JobKind.CONSOLIDATE_CONVERSATIONS)

    assert done.counts["facts_saved"] == 0 and done.counts["facts_skipped"] == 1
    assert runtime.memories.list_memories(OWNER, MemoryFilter()).total == 1


def test_generate_episodes_writes_one_per_thread_and_rewrites_it_when_the_log_changes(runtime: Runtime) -> None:
    data = runtime.config.data_dir
    write_log(data, "trip", ("user", "I'm planning a trip to Japan in April."), ("assistant", "Sounds great."))
    write_log(data, "smalltalk", ("assistant", "Hello! How can I help?"))  # nothing the user said: no episode

    first = run_job(runtime, JobKind.GENERATE_EPISODES)

    assert first.counts["logs"] == 2 and first.counts["episodes_created"] == 1
    (episode,) = runtime.memories.list_memories(OWNER, MemoryFilter(source=Source.INSIGHT)).items
    assert episode.thread_id == "trip" and episode.metadata["kind"] == "episode"
    assert episode.content.startswith("Conversation of 2 messages about travel")
    assert "Japan" in episode.content and episode.source_refs == ("conversations/acme/alice/trip.jsonl",)
    assert episode.metadata["started_at"] == "2026-11-20T09:00:00+00:00"

    unchanged = run_job(runtime, JobKind.GENERATE_EPISODES)
    assert unchanged.counts["unchanged"] == 1 and unchanged.counts["episodes_created"] == 0

    write_log(data, "trip", ("user", "I'm planning a trip to Japan in April."), ("user", "I love sushi."))
    rewritten = run_job(runtime, JobKind.GENERATE_EPISODES)
    assert rewritten.counts["episodes_updated"] == 1
    (updated,) = runtime.memories.list_memories(OWNER, MemoryFilter(source=Source.INSIGHT)).items
    assert updated.id == episode.id and updated.version == 2 and "sushi" in updated.content


def test_a_rejected_log_is_reported_and_the_others_still_processed(runtime: Runtime) -> None:
    data = runtime.config.data_dir
    write_log(data, "good", ("user", "I live in Lisbon."))
    bad = data / "raw" / "conversations" / "acme" / "alice" / "binary.jsonl"
    bad.write_bytes(b"\x00\x01binary")

    done = run_job(runtime, JobKind.CONSOLIDATE_CONVERSATIONS)

    assert done.status is OperationStatus.SUCCEEDED and done.counts["rejected_logs"] == 1
    assert done.result["rejected_logs"] == [
        {"log": "conversations/acme/alice/binary.jsonl", "reason": "the log is binary, not text"}
    ]
    assert done.counts["facts_saved"] == 1


def test_given_jobs_left_queued_and_running_by_a_dead_process_when_the_server_restarts_then_they_finish(
    tmp_path: Path,
) -> None:
    from agent_memory.domain.models import NewMemory

    config = Config(data_dir=tmp_path / "data", embedder="hashing")
    first = Runtime(config)
    first.memories.create("acme", NewMemory(user_id="alice", content="Likes tea."))
    first.memories.create("acme", NewMemory(user_id="alice", content="likes tea"))
    first.__dict__["job_runner"] = NotRunning()
    queued, _ = first.operations.start("acme", "alice", JobKind.OPTIMIZE, {})
    running, _ = first.operations.start("acme", "alice", JobKind.BACKFILL_ENTITIES, {})
    first.job_steps.begin("acme", running.id)  # it had started when the process died
    first.close()

    # When: a new process starts on the same data
    second = Runtime(config)
    try:
        resumed = second.worker.resume()
        assert second.worker.wait_idle(30)

        # Then: both operations finish; nothing is left queued or running
        assert sorted(resumed) == sorted([queued.id, running.id])
        assert second.operations.get("acme", queued.id).status is OperationStatus.SUCCEEDED
        assert second.operations.get("acme", queued.id).counts["merged"] == 1
        assert second.operations.get("acme", running.id).status is OperationStatus.SUCCEEDED
        assert second.operation_store.unfinished_operations() == []
    finally:
        second.close()


def test_a_retried_step_does_not_redo_a_phase_whose_work_was_saved(runtime: Runtime) -> None:
    from agent_memory.domain.models import NewMemory
    from agent_memory.domain.operations import Phase

    runtime.memories.create("acme", NewMemory(user_id="alice", content="Likes tea."))
    runtime.memories.create("acme", NewMemory(user_id="alice", content="likes tea"))
    runtime.__dict__["job_runner"] = NotRunning()
    operation, _ = runtime.operations.start("acme", "alice", JobKind.OPTIMIZE, {})
    steps = runtime.job_steps
    steps.begin("acme", operation.id)
    assert steps.step("acme", operation.id, Phase.RESOLVE_DUPLICATES) is True

    # When: the same step is delivered again (a retry after a lost response)
    assert steps.step("acme", operation.id, Phase.RESOLVE_DUPLICATES) is True

    # Then: its counts are not doubled
    assert runtime.operations.get("acme", operation.id).counts["merged"] == 1


class Died(BaseException):
    """The process ended here (like `kill -9`): no step catches it, nothing runs after it."""


class DiesWhenSavingEpisodes:
    """The operation store, with the process dying the first time it is asked to save an episode's count: after the
    episode was written, before the count that reports it."""

    def __init__(self, inner: object) -> None:
        self._inner = inner
        self.died = False

    def save_operation(self, operation: Operation, lock_until: object) -> Operation:
        if not self.died and operation.counts.get("episodes_created"):
            self.died = True
            raise Died()
        return self._inner.save_operation(operation, lock_until)  # type: ignore[attr-defined,no-any-return]

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


def test_given_episodes_written_but_not_yet_counted_when_the_job_resumes_then_they_are_counted_as_written(
    runtime: Runtime,
) -> None:
    from agent_memory.domain.operations import Phase
    from agent_memory.services.jobs.conversations import GenerateEpisodes
    from agent_memory.services.jobs.steps import JobSteps

    data = runtime.config.data_dir
    write_log(data, "trip", ("user", "I'm planning a trip to Japan in April."))
    write_log(data, "garden", ("user", "I grow tomatoes on my balcony."))
    runtime.__dict__["job_runner"] = NotRunning()
    operation, _ = runtime.operations.start("acme", "alice", JobKind.GENERATE_EPISODES, {})
    dying = DiesWhenSavingEpisodes(runtime.operation_store)
    phase = GenerateEpisodes(runtime.archive, runtime.store, runtime.memories, runtime.settings, runtime.curator)

    # When: the process dies right after writing an episode, before saving the count; then the job is taken up again
    with pytest.raises(Died):
        run_to_end(JobSteps(dying, {Phase.GENERATE_EPISODES: phase}, runtime.store), "acme", operation.id)  # type: ignore[arg-type]
    final = run_to_end(runtime.job_steps, "acme", operation.id, sleep=lambda _: None)

    # Then: every episode written by this job is counted as created, none as unchanged
    episodes = runtime.memories.list_memories(OWNER, MemoryFilter(source=Source.INSIGHT)).items
    assert final is not None and len(episodes) == 2
    assert final.counts["episodes_created"] == 2 and final.counts["unchanged"] == 0
    assert {e.metadata["operation"] for e in episodes} == {operation.id}
