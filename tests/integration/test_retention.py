"""Retention on both backends: the sweep removes what predates a tenant's retention (memories and raw logs), and
expired memories where the database has no TTL; nothing of other tenants or within the period is touched."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import boto3

from agent_memory.domain.clock import utcnow
from agent_memory.domain.models import MemoryFilter, NewMemory, Owner
from agent_memory.entry.local_sweeper import RetentionSweeper
from agent_memory.runtime import Runtime
from tests.aws_support import BUCKET, REGION

DAY = timedelta(days=1)


def put_log(runtime: Runtime, tenant: str, user: str, thread: str, age_days: float) -> None:
    key = f"conversations/{tenant}/{user}/{thread}.jsonl"
    body = b'{"role": "user", "content": "I live in Lisbon."}\n'
    if runtime.is_aws:
        boto3.client("s3", region_name=REGION).put_object(Bucket=BUCKET, Key=key, Body=body)
        return
    path = runtime.config.data_dir / "raw" / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    stamp = time.time() - age_days * 86_400
    os.utime(path, (stamp, stamp))


def contents(runtime: Runtime, tenant: str, user: str) -> list[str]:
    page = runtime.memories.list_memories(Owner(tenant, user), MemoryFilter(include_superseded=True), 100)
    return sorted(memory.content for memory in page.items)


def test_the_sweep_removes_memories_older_than_the_retention_and_only_those(runtime: Runtime) -> None:
    # Given memories written 40 days ago and today, in a tenant that then sets a 30-day retention, and another tenant
    now = utcnow()
    clock = {"now": now - 40 * DAY}
    runtime.memories._clock = lambda: clock["now"]  # type: ignore[method-assign]
    runtime.memories.create("acme", NewMemory(user_id="alice", content="Lived in Lisbon"))
    runtime.memories.create("globex", NewMemory(user_id="alice", content="Lived in Lisbon"))
    clock["now"] = now
    runtime.memories.create("acme", NewMemory(user_id="alice", content="Lives in Porto"))
    runtime.settings.update("acme", {"memory_retention_days": 30})
    # When the sweep runs
    counts = runtime.retention.sweep()
    # Then the old memory of acme is gone, the recent one and the other tenant's stay
    assert counts["memories_past_retention"] == 1
    assert contents(runtime, "acme", "alice") == ["Lives in Porto"]
    assert contents(runtime, "globex", "alice") == ["Lived in Lisbon"]
    # And the settings store names the tenant as one to sweep
    assert runtime.settings_store.tenants_with_retention() == ["acme"]


def test_the_sweep_removes_raw_logs_past_the_raw_log_retention(runtime: Runtime) -> None:
    runtime.settings.update("acme", {"raw_log_retention_days": 7})
    if runtime.is_aws:
        # S3 sets LastModified itself: a log is "old" when the cutoff is after it, so sweep as of 8 days from now
        put_log(runtime, "acme", "alice", "old", 0)
        runtime.retention._clock = lambda: utcnow() + 8 * DAY  # type: ignore[method-assign]
        assert runtime.retention.sweep()["raw_logs_past_retention"] == 1
        assert runtime.archive.logs_of("acme", "alice") == []
        return
    put_log(runtime, "acme", "alice", "old", 10)
    put_log(runtime, "acme", "alice", "new", 1)
    put_log(runtime, "globex", "alice", "old", 10)
    assert runtime.retention.sweep()["raw_logs_past_retention"] == 1
    assert runtime.archive.logs_of("acme", "alice") == ["conversations/acme/alice/new.jsonl"]
    assert runtime.archive.logs_of("globex", "alice") == ["conversations/globex/alice/old.jsonl"]


def test_expired_memories_are_purged_by_the_sweep_where_there_is_no_ttl(runtime: Runtime) -> None:
    soon = utcnow() + timedelta(seconds=1)
    memory = runtime.memories.create("acme", NewMemory(user_id="alice", content="Here for a second", expires_at=soon))
    later = soon + timedelta(seconds=1)
    purged = runtime.store.purge_expired(later, 100)
    if runtime.is_aws:
        assert purged == 0  # DynamoDB's TTL deletes the item; reads already leave it out
        assert runtime.store.get(Owner("acme", "alice"), memory.id, later) is None
    else:
        left = runtime.store.residue(Owner("acme", "alice"))
        assert purged == 1 and "memories" not in left and "history" not in left


def test_the_local_sweeper_runs_at_start_and_survives_a_failing_sweep() -> None:
    calls: list[int] = []

    def failing() -> dict[str, int]:
        calls.append(1)
        raise RuntimeError("disk unplugged")

    sweeper = RetentionSweeper(failing, interval_seconds=3600)
    assert sweeper.run_once() is None  # logged, not raised
    sweeper.start()
    deadline = time.monotonic() + 5
    while len(calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    sweeper.stop()
    assert len(calls) == 2
    assert RetentionSweeper(lambda: {"expired_memories": 0}, interval_seconds=0).run_once() == {"expired_memories": 0}
