"""DynamoDB stream → search index. Failed records are reported so Lambda retries (and bisects) only those."""

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from agent_memory import entrypoints
from agent_memory.observability import lambda_entry, metrics

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def index_record(record: DynamoDBRecord) -> None:
    outcome = entrypoints.shared_runtime().stream_indexer.apply(record.raw_event)
    metrics.add_metric(name=f"StreamRecords{outcome.title()}", unit=MetricUnit.Count, value=1)


def index_batch(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    answer = process_partial_response(event=event, record_handler=index_record, processor=processor, context=context)
    return dict(answer)


handler = lambda_entry(index_batch)
