"""Retention on AWS: the daily sweep function (memories and raw logs that predate a tenant's retention setting) and
the raw-log lifecycle rules, one per retention period a tenant may choose, keyed on the object tag the ingest
function sets. New memories expire through DynamoDB's TTL (their `ttl` attribute), with no sweep."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_s3 as s3

from agent_memory import contract
from agent_memory.adapters.aws.export_objects import EXPORT_PREFIX
from agent_memory.domain.conversation_log import PREFIX
from agent_memory.domain.retention import RAW_LOG_RETENTION_DAYS, RETENTION_TAG
from constructs import Construct
from infra.constructs import permissions
from infra.constructs.function import FunctionSpec
from infra.constructs.props import MemoryProps

SWEEP_TIMEOUT = Duration.minutes(15)
EXPORT_DAYS = 7


def add_raw_log_retention_rules(bucket: s3.Bucket) -> None:
    """A logs object tagged `RETENTION_TAG=<days>` expires after that many days, its older versions a day later.
    Export files (a user's data, downloaded once) go after a week."""
    bucket.add_lifecycle_rule(
        id="exports-expire",
        prefix=f"{EXPORT_PREFIX}/",
        expiration=Duration.days(EXPORT_DAYS),
        noncurrent_version_expiration=Duration.days(1),
        abort_incomplete_multipart_upload_after=Duration.days(1),
    )
    for days in RAW_LOG_RETENTION_DAYS:
        bucket.add_lifecycle_rule(
            id=f"raw-log-retention-{days}d",
            prefix=f"{PREFIX}/",
            tag_filters={RETENTION_TAG: str(days)},
            expiration=Duration.days(days),
            noncurrent_version_expiration=Duration.days(1),
        )


class RetentionSweep(Construct):
    def __init__(self, scope: Construct, construct_id: str, props: MemoryProps, *, bucket: s3.IBucket) -> None:
        super().__init__(scope, construct_id)
        self.function = fn = props.functions.build(
            self,
            "Sweep",
            FunctionSpec(
                handler="functions.maintenance.retention_sweep.handler",
                description="daily: delete memories and raw logs past their tenant's retention",
                timeout=SWEEP_TIMEOUT,
                environment=contract.environment(conversation_bucket=bucket.bucket_name),
            ),
            name="RetentionSweep",
        )
        permissions.read_table(fn, props.table, props.key)
        permissions.write_table(fn, props.table, props.key)
        permissions.erase_logs(fn, bucket, exports=False)
        events.Rule(
            self,
            "Daily",
            description="agent-memory retention sweep",
            schedule=events.Schedule.rate(Duration.days(1)),
            targets=[targets.LambdaFunction(fn.function, retry_attempts=2)],
        )
