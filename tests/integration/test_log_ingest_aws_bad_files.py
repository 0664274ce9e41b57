"""Hostile conversation logs through S3 (moto) → SQS → the ingest Lambda: the shared parser reports a bad line and
keeps the rest, dead-letters an unusable file at once, and never fails the batch (which SQS would redeliver)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from agent_memory.entry import shared
from tests.aws_support import aws_runtime
from tests.integration.test_log_ingest_aws import Pipeline


def said(content: str, **extra: object) -> str:
    return json.dumps({"role": "user", "content": content, "ts": "2026-11-20T09:00:00Z", **extra}, ensure_ascii=False)


@pytest.fixture
def pipeline(monkeypatch) -> Iterator[Pipeline]:
    with aws_runtime() as (runtime, _):
        monkeypatch.setattr(shared, "shared_runtime", lambda: runtime)
        yield Pipeline(runtime)


def test_given_a_log_with_hostile_lines_when_delivered_twice_then_bad_lines_are_logged_and_the_rest_saved_once(
    pipeline, caplog
) -> None:
    # Given a log whose bad lines are a 30,000-deep array, a 5,000-digit number and over-long agent_ids, and whose
    # good lines hold raw U+2028 / U+0085 inside their strings (questions and states: nothing to keep from them)
    lines = [
        said("What time\u2028is it in Lisbon?"),
        "[" * 30_000 + "]" * 30_000,
        '{"role": "user", "content": "I own a boat.", "n": ' + "9" * 5000 + "}",
        *(said(f"I like zorb{i}.", agent_id="a" * 200) for i in range(4)),
        said("I am tired\u0085today.", agent_id="planner"),
        said("I play the violin."),
    ]
    pipeline.drop("conversations/acme/alice/hostile.jsonl", ("\n".join(lines) + "\n").encode())
    (message,) = pipeline.receive(pipeline.queue)
    # When the notification is delivered, and delivered again
    assert pipeline.deliver([message]) == {"batchItemFailures": []}
    assert pipeline.deliver([message]) == {"batchItemFailures": []}
    # Then each bad line was logged with its number and reason (once per delivery), nothing was dead-lettered
    logged = [(r.line, r.reason) for r in caplog.records if r.getMessage() == "malformed line skipped"]
    expected = [
        (2, "nested deeper than 64 levels"),
        (3, "a number is longer than 100 characters"),
        *((n, "agent_id must be at most 128 characters.") for n in range(4, 8)),
    ]
    assert logged == expected * 2
    assert pipeline.receive(pipeline.dead) == []
    # And the good lines went in exactly once, numbered by line feeds only (the separators split nothing)
    (memory,) = pipeline.memories("alice")
    assert memory.content == "Plays the violin"
    assert memory.source_refs == ("s3://agent-memory-test-conversations/conversations/acme/alice/hostile.jsonl#L9",)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("[" * 30_000 + "]" * 30_000, "nested deeper than 64 levels"),
        ('{"messages": [{"role": "user", "content": "hi", "n": ' + "9" * 5000 + "}]}", "a number is longer than 100"),
    ],
)
def test_given_an_unusable_document_when_delivered_then_it_is_dead_lettered_at_once(pipeline, body, reason) -> None:
    pipeline.drop("conversations/acme/alice/unusable.json", body.encode())
    (message,) = pipeline.receive(pipeline.queue)
    # When it is delivered; Then the batch succeeds (a retry cannot help) and the reason goes to the dead-letter queue
    assert pipeline.deliver([message]) == {"batchItemFailures": []}
    (dead,) = pipeline.receive(pipeline.dead)
    assert reason in json.loads(dead["Body"])["reason"]
    assert reason in dead["MessageAttributes"]["reason"]["StringValue"]
    assert pipeline.memories("alice") == []
