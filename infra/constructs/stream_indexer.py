"""Consumers of the table's stream (the search indexer, the graph projector): each a function with retries,
bisection on error, partial batch failures and a dead-letter queue of its own."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources

from constructs import Construct
from infra.constructs.encryption import dead_letter_queue
from infra.constructs.function import FunctionSpec
from infra.constructs.props import MemoryProps

INDEXER = FunctionSpec(
    handler="functions.streams.indexer.handler",
    description="DynamoDB stream to the OpenSearch index",
    timeout=Duration.minutes(2),
)
GRAPH_PROJECTOR = FunctionSpec(
    handler="functions.streams.graph.handler",
    description="DynamoDB stream to the knowledge graph's adjacency items",
    timeout=Duration.minutes(2),
)


class StreamConsumer(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, props: MemoryProps, *, spec: FunctionSpec, function_id: str
    ) -> None:
        super().__init__(scope, construct_id)
        # Records that still fail after the retries: their metadata waits here for a reindex or a redrive.
        self.dead_letters = dead_letter_queue(self, "DeadLetters", props.key)
        self.function = props.functions.build(self, function_id, spec, name=construct_id)
        # The event source mapping grants the stream reads and the dead-letter sends it performs with this role.
        self.function.function.add_event_source(
            sources.DynamoEventSource(
                props.table,
                starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                batch_size=100,
                max_batching_window=Duration.seconds(1),
                bisect_batch_on_error=True,
                retry_attempts=8,
                max_record_age=Duration.days(1),
                report_batch_item_failures=True,
                on_failure=sources.SqsDlq(self.dead_letters),
            )
        )
