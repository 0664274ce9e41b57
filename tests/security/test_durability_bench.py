"""`agent-memory bench durability`: a real server killed mid-burst, on small numbers (the real run is recorded in
docs/benchmarks.md), and the checker it ends with, on made-up outcomes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from agent_memory.bench import durability
from agent_memory.bench.durability import Outcome, Write
from agent_memory.cli import main


@pytest.mark.slow
def test_given_writers_and_a_sigkill_mid_burst_then_every_acknowledged_write_exists_once(capsys) -> None:
    # Given 4 writers x 25 writes (unique, keyed and racing facts) against a real `agent-memory serve`
    # When the server is SIGKILLed once mid-burst and once more before checking (clients retry what was cut off;
    # a key held by a killed request is given up after 5 s instead of waiting out its 60 s lease)
    args = ["bench", "durability", "--clients", "4", "--writes", "25", "--crashes", "1", "--retry-deadline", "5"]
    code = main([*args, "--json"])
    result = json.loads(capsys.readouterr().out)
    # Then it exits 0 and every acknowledged write is stored exactly once under the id its client was told
    assert code == 0, result
    assert result["crashes"] == 1 and 0 < result["crashed_at_acknowledged"][0] < 100
    assert result["acknowledged"] + result["unresolved"] == result["planned_writes"] == 100
    assert result["acknowledged"] >= 90, result["unresolved_reasons"]
    assert result["verified"] == result["acknowledged"]
    assert result["lost"] == result["duplicated"] == result["inconsistent_ids"] == result["unexpected"] == 0
    # And each keyed write's deliberate retry replayed its first answer; each raced fact had at most one winner
    assert result["replays"] > 0 and result["replay_mismatches"] == 0
    assert 1 <= result["race_winners"] <= 4  # 4 raced facts (slots 8, 9, 18, 19), each written by all 4 clients
    assert result["acknowledged_per_second"] > 0


def _outcome(content: str, memory_id: str | None, status: int = 201) -> Outcome:
    return Outcome(Write(0, 0, "unique", "user-0", content), status=status, memory_id=memory_id)


def _stored(*rows: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"id": memory_id, "user_id": "user-0", "content": content} for memory_id, content in rows]


def test_given_an_acknowledged_write_missing_from_the_store_then_it_is_counted_lost_and_the_run_fails() -> None:
    outcomes = [_outcome("Likes tea", "A"), _outcome("Likes coffee", "B")]
    checked = durability.verify(outcomes, _stored(("A", "Likes tea")))
    assert checked["lost"] == 1 and checked["verified"] == 1
    assert durability.failed({**checked, "replay_mismatches": 0})


def test_given_the_same_fact_stored_twice_or_told_two_ids_then_the_run_fails() -> None:
    outcomes = [_outcome("Likes tea", "A"), _outcome("likes TEA", "B", status=409)]
    checked = durability.verify(outcomes, _stored(("A", "Likes tea"), ("B", "likes TEA")))
    assert checked["duplicated"] == 1  # the same normalised content twice for one user
    assert checked["lost"] == 0 and durability.failed({**checked, "replay_mismatches": 0})
    told_two_ids = durability.verify(
        [_outcome("Likes tea", "A"), _outcome("Likes tea", "B", status=409)], _stored(("A", "Likes tea"))
    )
    assert told_two_ids["inconsistent_ids"] == 1 and told_two_ids["lost"] == 1


def test_given_an_unacknowledged_write_that_was_applied_once_then_nothing_fails() -> None:
    # A request cut off by the kill and never answered may or may not have been applied: once is fine
    outcomes = [_outcome("Likes tea", "A"), Outcome(Write(0, 1, "keyed", "user-0", "Likes jazz", "k"))]
    checked = durability.verify(outcomes, _stored(("A", "Likes tea"), ("C", "Likes jazz")))
    assert checked == {**checked, "lost": 0, "duplicated": 0, "inconsistent_ids": 0, "unexpected": 0}
    assert not durability.failed({**checked, "replay_mismatches": 0})


def test_given_a_failed_run_then_the_command_exits_1(monkeypatch, capsys) -> None:
    failing = {"lost": 1, "duplicated": 0, "inconsistent_ids": 0, "replay_mismatches": 0}
    monkeypatch.setattr(durability, "run", lambda **_: failing)
    monkeypatch.setattr(durability, "render", lambda result: "rendered")
    assert main(["bench", "durability", "--clients", "1", "--writes", "1"]) == 1
    assert capsys.readouterr().out.strip() == "rendered"
