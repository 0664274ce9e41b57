"""A conversation log deleted before the ingest function reads it (moto S3 → SQS → ingest Lambda) is skipped: logged
and counted, never dead-lettered, whichever way S3 says it is gone (NoSuchKey, or AccessDenied to a reader that may
not list the bucket). A log that is there but unreadable is still rejected."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from agent_memory.entry import shared
from agent_memory.entry.log_ingest import S3LogIngest
from tests.aws_support import aws_runtime
from tests.integration.test_log_ingest_aws import BUCKET, Pipeline, jsonl

KEY = "conversations/acme/alice/gone.jsonl"


@pytest.fixture
def logs(monkeypatch) -> Iterator[Pipeline]:
    with aws_runtime() as (runtime, _):
        monkeypatch.setattr(shared, "shared_runtime", lambda: runtime)
        yield Pipeline(runtime)


def emitted_metrics(stdout: str) -> dict[str, float]:
    """Metrics the handler flushed as CloudWatch embedded metric format lines."""
    found: dict[str, float] = {}
    for line in stdout.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            document = json.loads(line)
            for directive in document["_aws"]["CloudWatchMetrics"]:
                for metric in directive["Metrics"]:
                    value = document[metric["Name"]]
                    found[metric["Name"]] = sum(value) if isinstance(value, list) else value
    return found


def test_a_log_deleted_before_it_is_read_is_skipped_not_dead_lettered(logs: Pipeline, caplog, capsys) -> None:
    # Given a versioned bucket (as deployed) and a log dropped, then deleted before its notification is handled
    logs.s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    logs.drop(KEY, jsonl("alice", "gone", "I live in Lisbon."))
    logs.s3.delete_object(Bucket=BUCKET, Key=KEY)
    (message,) = logs.receive(logs.queue)
    capsys.readouterr()
    # When the notification is delivered
    assert logs.deliver([message]) == {"batchItemFailures": []}
    # Then nothing is ingested and nothing lands in the dead-letter queue
    assert logs.memories("alice") == []
    assert logs.receive(logs.dead) == []
    # And the skip is logged with the object, and counted
    (logged,) = [r for r in caplog.records if r.getMessage() == "log deleted before it was read; skipped"]
    assert logged.log == f"s3://{BUCKET}/{KEY}"
    assert emitted_metrics(capsys.readouterr().out).get("LogObjectsGone") == 1


class WithoutListing:
    """The bucket as S3 answers a reader without s3:ListBucket: a missing key reads as AccessDenied, and the
    listing (the reader's own prefix-scoped grant) is what tells whether it is there."""

    def __init__(self, s3: Any) -> None:
        self._s3 = s3

    def get_object(self, **kwargs: Any) -> Any:
        try:
            return self._s3.get_object(**kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "NoSuchKey":
                raise
            denied = {"Error": {"Code": "AccessDenied", "Message": "Access Denied"}}
            raise ClientError(denied, "GetObject") from None

    def list_objects_v2(self, **kwargs: Any) -> Any:
        return self._s3.list_objects_v2(**kwargs)


def ingest_reading_through(logs: Pipeline, s3: Any) -> S3LogIngest:
    return S3LogIngest(lambda: s3, lambda: logs.sqs, logs.queue, logs.dead, logs.runtime.ingestion)


def test_access_denied_for_a_key_no_longer_listed_is_a_skip_too(logs: Pipeline) -> None:
    logs.drop(KEY, jsonl("alice", "gone", "I live in Lisbon."))
    logs.s3.delete_object(Bucket=BUCKET, Key=KEY)
    (message,) = logs.receive(logs.queue)
    # When S3 answers AccessDenied for the deleted key
    reports = ingest_reading_through(logs, WithoutListing(logs.s3)).handle(message["Body"], lambda: 900.0)
    # Then it is skipped like a NoSuchKey
    assert reports == [] and logs.receive(logs.dead) == []


class Forbidden(WithoutListing):
    def get_object(self, **kwargs: Any) -> Any:
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "Access Denied"}}, "GetObject")


@pytest.mark.parametrize("listing_fails", [False, True])
def test_access_denied_for_a_log_still_there_is_rejected_with_its_reason(logs: Pipeline, listing_fails) -> None:
    # Given a log that exists but cannot be read (and, possibly, a listing that fails too)
    logs.drop(KEY, jsonl("alice", "gone", "I live in Lisbon."))
    (message,) = logs.receive(logs.queue)
    reader = Forbidden(logs.s3)
    if listing_fails:
        reader.list_objects_v2 = Forbidden.get_object.__get__(reader)  # type: ignore[method-assign]
    ingest_reading_through(logs, reader).handle(message["Body"], lambda: 900.0)
    # Then it goes to the dead-letter queue, as before, with the reason
    (dead,) = logs.receive(logs.dead)
    assert "cannot be read (AccessDenied)" in json.loads(dead["Body"])["reason"]
