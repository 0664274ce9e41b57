"""Conversation logs dropped into S3, delivered through SQS: S3 event notifications in, memories out.

A file that cannot be trusted as a whole (unreadable, not UTF-8, wrong key layout, filed under the wrong user) goes
to the dead-letter queue at once with its reason; a transient failure is raised so SQS redelivers the message; a log
too long for one run continues in a follow-up message from the line it reached. Chunks are idempotent on
(bucket, key, ETag), so a redelivered or duplicated message never adds a memory twice. A log deleted (or replaced)
before it is read is skipped: logged and counted (`LogObjectsGone`), never dead-lettered, since nothing is wrong
with it and a newer version, if any, has its own notification.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError

from agent_memory.adapters.aws.errors import error_code
from agent_memory.adapters.aws.log_archive import ORIGIN_METADATA, TURN_ORIGIN
from agent_memory.domain.conversation_log import MAX_LOG_BYTES, RejectedLog, address_of, parse
from agent_memory.domain.errors import StoreUnavailable
from agent_memory.domain.retention import RETENTION_TAG
from agent_memory.entry import shared
from agent_memory.observability import lambda_entry, logger, metrics
from agent_memory.services.ingestion import IngestionService, IngestReport

CONTINUATION = "continuation"


@dataclass(frozen=True, slots=True)
class LogObject:
    bucket: str
    key: str
    etag: str
    after_line: int = 0


def objects_in(body: str) -> list[LogObject]:
    """The S3 objects an SQS message asks to ingest: an S3 event notification, or a continuation."""
    try:
        message = json.loads(body)
    except json.JSONDecodeError:
        raise RejectedLog("the queue message is not JSON") from None
    if not isinstance(message, dict):
        raise RejectedLog("the queue message is not a JSON object")
    if CONTINUATION in message:
        return [LogObject(**message[CONTINUATION])]
    if message.get("Event") == "s3:TestEvent":
        return []  # S3 checks the queue when the notification is configured
    found = []
    for record in message.get("Records", []):
        if not str(record.get("eventName", "")).startswith("ObjectCreated"):
            continue
        s3 = record["s3"]
        found.append(LogObject(s3["bucket"]["name"], unquote_plus(s3["object"]["key"]), s3["object"].get("eTag", "")))
    if not found and "Records" not in message:
        raise RejectedLog("the queue message is neither an S3 event nor a continuation")
    return found


class S3LogIngest:
    def __init__(
        self,
        s3: Callable[[], Any],
        sqs: Callable[[], Any],
        queue_url: str | None,
        dead_letter_url: str | None,
        ingestion: IngestionService,
        retention_days: Callable[[str], int | None] = lambda tenant: None,
    ) -> None:
        self._s3 = s3
        self._sqs = sqs
        self._queue_url = queue_url
        self._dead_letter_url = dead_letter_url
        self._ingestion = ingestion
        self._retention_days = retention_days

    def handle(self, body: str, seconds_left: Callable[[], float]) -> list[IngestReport]:
        try:
            objects = objects_in(body)
        except RejectedLog as exc:
            self._dead_letter({"message": body[:2000]}, exc.detail)
            return []
        reports = []
        for log in objects:
            try:
                report = self._ingest(log, seconds_left)
            except RejectedLog as exc:
                self._dead_letter(asdict(log), exc.detail)
                continue
            if report is not None:
                reports.append(report)
        return reports

    def _ingest(self, log: LogObject, seconds_left: Callable[[], float]) -> IngestReport | None:
        address = address_of(log.key)
        data = self._read(log)
        if data is None:
            return None
        parsed = parse(data, address)
        if log.after_line == 0:
            self._tag_retention(log, self._retention_days(address.tenant))
        report = self._ingestion.ingest(
            parsed, log=f"s3://{log.bucket}/{log.key}", version=log.etag, after_line=log.after_line,
            seconds_left=seconds_left,
        )  # fmt: skip
        if not report.finished:
            follow_up = LogObject(log.bucket, log.key, log.etag, report.resume_after_line or 0)
            self._send(self._queue_url, {CONTINUATION: asdict(follow_up)})
        return report

    def _read(self, log: LogObject) -> bytes | None:
        try:
            answer = self._s3().get_object(
                Bucket=log.bucket, Key=log.key, **({"IfMatch": log.etag} if log.etag else {})
            )
        except ClientError as exc:
            code = error_code(exc)
            if code == "PreconditionFailed":
                return None  # replaced since: the newer version has its own event
            # S3 answers NoSuchKey for a deleted key to a reader that may list the prefix, AccessDenied otherwise.
            if code == "NoSuchKey" or (code == "AccessDenied" and not self._listed(log)):
                self._skip_gone(log)
                return None
            if code in {"AccessDenied", "InvalidObjectState"}:
                raise RejectedLog(f"the object cannot be read ({code})") from None
            raise StoreUnavailable(f"S3 refused the read ({code}); retry.") from None
        except BotoCoreError as exc:
            raise StoreUnavailable(f"S3 could not be reached ({type(exc).__name__}).") from None
        if answer.get("Metadata", {}).get(ORIGIN_METADATA) == TURN_ORIGIN:
            return None  # a transcript of conversation turns: extracted when each turn was sent
        if int(answer.get("ContentLength", 0)) > MAX_LOG_BYTES:
            raise RejectedLog(f"the log is {answer['ContentLength']} bytes; at most {MAX_LOG_BYTES} are accepted")
        data: bytes = answer["Body"].read()
        return data

    def _tag_retention(self, log: LogObject, days: int | None) -> None:
        """Tag the log with its tenant's raw-log retention: the bucket's lifecycle rule for that period expires it.
        Best effort: an untagged log is still removed by the daily retention sweep."""
        if days is None:
            return
        try:
            self._s3().put_object_tagging(
                Bucket=log.bucket, Key=log.key, Tagging={"TagSet": [{"Key": RETENTION_TAG, "Value": str(days)}]}
            )
        except (ClientError, BotoCoreError) as exc:
            logger.warning("could not tag the log for retention", extra={"log": log.key, "error": type(exc).__name__})

    def _listed(self, log: LogObject) -> bool:
        """Whether the key is still in the bucket; when that cannot be told, it is taken to be there."""
        try:
            found = self._s3().list_objects_v2(Bucket=log.bucket, Prefix=log.key, MaxKeys=1)
        except (ClientError, BotoCoreError):
            return True
        return any(item.get("Key") == log.key for item in found.get("Contents", []))

    @staticmethod
    def _skip_gone(log: LogObject) -> None:
        logger.warning("log deleted before it was read; skipped", extra={"log": f"s3://{log.bucket}/{log.key}"})
        metrics.add_metric(name="LogObjectsGone", unit=MetricUnit.Count, value=1)

    def _dead_letter(self, what: dict[str, Any], reason: str) -> None:
        self._send(
            self._dead_letter_url,
            {**what, "reason": reason},
            {"reason": {"DataType": "String", "StringValue": reason[:256]}},
        )

    def _send(self, url: str | None, body: dict[str, Any], attributes: dict[str, Any] | None = None) -> None:
        if not url:
            raise StoreUnavailable("The ingestion queues are not configured (AGENT_MEMORY_INGEST_*_URL).")
        try:
            self._sqs().send_message(QueueUrl=url, MessageBody=json.dumps(body), MessageAttributes=attributes or {})
        except (ClientError, BotoCoreError) as exc:
            raise StoreUnavailable(f"SQS refused the message ({type(exc).__name__}); retry.") from None


processor = BatchProcessor(event_type=EventType.SQS)


def ingest_record(record: SQSRecord, lambda_context: LambdaContext) -> None:
    seconds_left = lambda: lambda_context.get_remaining_time_in_millis() / 1000  # noqa: E731
    for report in shared.shared_runtime().log_ingest.handle(record.body, seconds_left):
        for error in report.errors:
            logger.warning(
                "malformed line skipped", extra={"log": report.log, "line": error.line, "reason": error.reason}
            )
        metrics.add_metric(name="LogMessagesIngested", unit=MetricUnit.Count, value=report.messages)
        metrics.add_metric(name="LogMemoriesSaved", unit=MetricUnit.Count, value=report.saved)
        metrics.add_metric(name="LogLinesMalformed", unit=MetricUnit.Count, value=len(report.errors))


def ingest_batch(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """SQS (S3 event notifications for conversations/) → memories, with partial batch failures."""
    answer = process_partial_response(event=event, record_handler=ingest_record, processor=processor, context=context)
    return dict(answer)


handler = lambda_entry(ingest_batch)
