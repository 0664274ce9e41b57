"""A Lambda handler for a consumer of the table's stream: each record applied on its own, failures reported as
partial batch failures (Lambda retries, then bisects, then dead-letters only those), a metric per outcome."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from agent_memory.observability import lambda_entry, metrics

Apply = Callable[[dict[str, Any]], str]


def stream_handler(consumer: Callable[[], Apply], metric_prefix: str) -> Callable[..., Any]:
    """`consumer()` gives the warm runtime's apply function; it returns the outcome's name for the metric."""
    processor = BatchProcessor(event_type=EventType.DynamoDBStreams)

    def apply_record(record: DynamoDBRecord) -> None:
        outcome = consumer()(record.raw_event)
        metrics.add_metric(name=f"{metric_prefix}{outcome.title()}", unit=MetricUnit.Count, value=1)

    def apply_batch(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        answer = process_partial_response(
            event=event, record_handler=apply_record, processor=processor, context=context
        )
        return dict(answer)

    return lambda_entry(apply_batch)
