"""SQS (S3 event notifications for conversations/) → memories, with partial batch failures."""

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from agent_memory import entrypoints
from agent_memory.observability import lambda_entry, logger, metrics

processor = BatchProcessor(event_type=EventType.SQS)


def ingest_record(record: SQSRecord, lambda_context: LambdaContext) -> None:
    seconds_left = lambda: lambda_context.get_remaining_time_in_millis() / 1000  # noqa: E731
    for report in entrypoints.shared_runtime().log_ingest.handle(record.body, seconds_left):
        for error in report.errors:
            logger.warning(
                "malformed line skipped", extra={"log": report.log, "line": error.line, "reason": error.reason}
            )
        metrics.add_metric(name="LogMessagesIngested", unit=MetricUnit.Count, value=report.messages)
        metrics.add_metric(name="LogMemoriesSaved", unit=MetricUnit.Count, value=report.saved)
        metrics.add_metric(name="LogLinesMalformed", unit=MetricUnit.Count, value=len(report.errors))


def ingest_batch(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    answer = process_partial_response(event=event, record_handler=ingest_record, processor=processor, context=context)
    return dict(answer)


handler = lambda_entry(ingest_batch)
