"""Conversation logs dropped into S3 (moto) → S3 event notification → SQS → the ingest Lambda: exactly the expected
memories, once, even when delivered twice; bad files go to the dead-letter queue with their reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from agent_memory.domain.models import MemoryFilter, Owner
from agent_memory.entry import shared
from agent_memory.invoke import LocalContext, load_handler
from tests.aws_support import REGION, aws_runtime

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "agent-memory-test-conversations"


def jsonl(user: str, thread: str, *said: str) -> bytes:
    lines = [json.dumps({"user_id": user, "thread_id": thread, "role": "user", "content": text,
                         "ts": "2026-11-20T09:00:00Z"}) for text in said]  # fmt: skip
    return ("\n".join(lines) + "\n").encode()


class Pipeline:
    def __init__(self, runtime: Any) -> None:
        self.runtime = runtime
        self._deleted: set[str] = set()
        self.s3 = boto3.client("s3", region_name=REGION)
        self.sqs = boto3.client("sqs", region_name=REGION)
        self.s3.create_bucket(Bucket=BUCKET)
        # Visibility timeout 0: a message the function handled but nobody deleted shows up again at once, as it
        # would after the real timeout; tests must not depend on how fast this machine is.
        self.queue = self.sqs.create_queue(QueueName="ingest", Attributes={"VisibilityTimeout": "0"})["QueueUrl"]
        self.dead = self.sqs.create_queue(QueueName="ingest-dlq")["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=self.queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.s3.put_bucket_notification_configuration(
            Bucket=BUCKET,
            NotificationConfiguration={"QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "conversations/"}]}}}]},
        )  # fmt: skip
        runtime.config.ingest_queue_url = self.queue
        runtime.config.ingest_dead_letter_url = self.dead
        self.handler = load_handler("ingest/conversation_logs", ROOT)
        # S3 announces a new notification with a test event: the function lets it pass and files nothing
        (test_event,) = self.receive(self.queue)
        assert json.loads(test_event["Body"])["Event"] == "s3:TestEvent"
        assert self.deliver([test_event]) == {"batchItemFailures": []}

    def drop(self, key: str, body: bytes) -> None:
        self.s3.put_object(Bucket=BUCKET, Key=key, Body=body)

    def receive(self, url: str) -> list[dict[str, Any]]:
        messages = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"])
        return messages.get("Messages", [])

    def deliver(self, messages: list[dict[str, Any]], context: Any = None) -> dict[str, Any]:
        """Hands SQS messages to the function as Lambda's event source mapping would, and like it deletes the
        messages the function did not report as failed (else they reappear once the visibility timeout lapses)."""
        template = json.loads((ROOT / "events" / "ingest" / "sqs_s3_object_created.json").read_text())["Records"][0]
        records = [{**template, "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"]}
                   for m in messages]  # fmt: skip
        result: dict[str, Any] = self.handler(
            {"Records": records}, context or LocalContext("conversation_logs", timeout_seconds=900)
        )
        failed = {failure["itemIdentifier"] for failure in result["batchItemFailures"]}
        for message in messages:
            if message["MessageId"] not in failed and message["ReceiptHandle"] not in self._deleted:
                self.sqs.delete_message(QueueUrl=self.queue, ReceiptHandle=message["ReceiptHandle"])
                self._deleted.add(message["ReceiptHandle"])
        return result

    def memories(self, user: str) -> list[Any]:
        return self.runtime.memories.list_memories(Owner("acme", user), MemoryFilter(), 100, None, 0).items


@pytest.fixture
def pipeline(monkeypatch) -> Iterator[Pipeline]:
    with aws_runtime() as (runtime, _):
        monkeypatch.setattr(shared, "shared_runtime", lambda: runtime)
        yield Pipeline(runtime)


def test_a_dropped_log_becomes_memories_exactly_once_even_when_delivered_twice(pipeline) -> None:
    # Given a log dropped under alice's key
    pipeline.drop("conversations/acme/alice/thread-1.jsonl",
                  jsonl("alice", "thread-1", "I prefer Python over JavaScript.", "What should I use?",
                        "I live in Lisbon."))  # fmt: skip
    (message,) = pipeline.receive(pipeline.queue)
    # When the notification is delivered, and then delivered again (SQS is at-least-once)
    assert pipeline.deliver([message]) == {"batchItemFailures": []}
    assert pipeline.deliver([message]) == {"batchItemFailures": []}
    # Then exactly the expected memories exist, once, citing the object and line
    memories = pipeline.memories("alice")
    assert sorted(m.content for m in memories) == ["Lives in Lisbon", "Prefers Python over JavaScript"]
    lisbon = next(m for m in memories if m.content == "Lives in Lisbon")
    assert lisbon.source_refs == (f"s3://{BUCKET}/conversations/acme/alice/thread-1.jsonl#L3",)
    assert pipeline.receive(pipeline.dead) == []


def test_the_sample_event_shape_is_what_s3_sends(pipeline) -> None:
    sample = json.loads((ROOT / "events" / "ingest" / "sqs_s3_object_created.json").read_text())
    pipeline.drop("conversations/acme/alice/thread-1.jsonl", jsonl("alice", "thread-1", "I live in Lisbon."))
    (message,) = pipeline.receive(pipeline.queue)
    real, documented = json.loads(message["Body"])["Records"][0], json.loads(sample["Records"][0]["body"])["Records"][0]
    assert set(documented["s3"]["object"]) >= {"key", "eTag", "size"} and real["eventName"].startswith("ObjectCreated")
    assert set(real["s3"]) >= set(documented["s3"]) - {"configurationId"}


@pytest.mark.parametrize(
    ("key", "body", "reason"),
    [
        ("conversations/acme/alice/t2.jsonl", b"\xff\xfe\x00binary", "binary"),
        ("conversations/acme/alice/t3.jsonl", "I live in Köln".encode("latin-1"), "UTF-8"),
        ("conversations/acme/alice/t4.jsonl", jsonl("mallory", "t4", "I live in Rome."), "does not match"),
        ("conversations/acme/t5.jsonl", jsonl("alice", "t5", "I live in Rome."), "is not conversations/"),
    ],
)
def test_untrustworthy_files_go_to_the_dead_letter_queue_with_their_reason(pipeline, key, body, reason) -> None:
    pipeline.drop(key, body)
    (message,) = pipeline.receive(pipeline.queue)
    # The batch succeeds (retrying cannot help) and nothing is filed anywhere
    assert pipeline.deliver([message]) == {"batchItemFailures": []}
    (dead,) = pipeline.receive(pipeline.dead)
    assert reason in json.loads(dead["Body"])["reason"] and dead["MessageAttributes"]["reason"]["StringValue"]
    assert pipeline.memories("alice") == [] and pipeline.memories("mallory") == []


def test_malformed_lines_are_skipped_and_the_rest_ingested(pipeline, caplog) -> None:
    body = jsonl("alice", "t6", "I live in Lisbon.") + b"{broken\n" + jsonl("alice", "t6", "I have two cats.")
    pipeline.drop("conversations/acme/alice/t6.jsonl", body)
    pipeline.deliver(pipeline.receive(pipeline.queue))
    assert sorted(m.content for m in pipeline.memories("alice")) == ["Has two cats", "Lives in Lisbon"]
    (logged,) = [r for r in caplog.records if r.getMessage() == "malformed line skipped"]
    assert logged.line == 2 and logged.log.endswith("/t6.jsonl") and "not JSON" in logged.reason


class RunningOutOfTime(LocalContext):
    """A Lambda context whose remaining time is scripted: enough for the first chunk, then nearly none."""

    def __init__(self, remaining_seconds: list[float]) -> None:
        super().__init__("conversation_logs")
        self._remaining = iter(remaining_seconds)

    def get_remaining_time_in_millis(self) -> int:
        return int(next(self._remaining, 5.0) * 1000)


def test_a_log_longer_than_one_run_continues_in_a_follow_up_message(pipeline) -> None:
    # 120 lines: 60 distinct facts, each followed by a question (which is never a fact)
    said = [f"I like zorb{i} with blick{i}." if i % 2 == 0 else "What time is it?" for i in range(120)]
    pipeline.drop("conversations/acme/alice/long.jsonl", jsonl("alice", "long", *said))
    # Given a run with time for one chunk (100 messages) only
    assert pipeline.deliver(pipeline.receive(pipeline.queue), RunningOutOfTime([800.0])) == {"batchItemFailures": []}
    # Then the first 100 lines went in and a continuation was queued after line 100
    (follow_up,) = pipeline.receive(pipeline.queue)
    assert json.loads(follow_up["Body"])["continuation"]["after_line"] == 100
    assert len(pipeline.memories("alice")) == 50
    # When the continuation runs with time enough; Then the rest goes in, nothing twice
    assert pipeline.deliver([follow_up]) == {"batchItemFailures": []}
    assert sorted(int(m.content.split("zorb")[1].split()[0]) for m in pipeline.memories("alice")) == list(
        range(0, 120, 2)
    )


def test_an_ingested_log_is_tagged_with_its_tenants_raw_log_retention(pipeline) -> None:
    # Given a tenant with a 30-day raw-log retention (the bucket's lifecycle rule for 30 days acts on the tag)
    pipeline.runtime.settings.update("acme", {"raw_log_retention_days": 30})
    key = "conversations/acme/alice/thread-7.jsonl"
    pipeline.drop(key, jsonl("alice", "thread-7", "I live in Lisbon."))
    # When the log is ingested
    (message,) = pipeline.receive(pipeline.queue)
    assert pipeline.deliver([message]) == {"batchItemFailures": []}
    # Then the object carries the retention tag
    tags = pipeline.s3.get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"]
    assert tags == [{"Key": "agent-memory-retention-days", "Value": "30"}]


def test_a_log_of_a_tenant_without_raw_log_retention_is_not_tagged(pipeline) -> None:
    key = "conversations/acme/alice/thread-8.jsonl"
    pipeline.drop(key, jsonl("alice", "thread-8", "I live in Lisbon."))
    (message,) = pipeline.receive(pipeline.queue)
    assert pipeline.deliver([message]) == {"batchItemFailures": []}
    assert pipeline.s3.get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"] == []
