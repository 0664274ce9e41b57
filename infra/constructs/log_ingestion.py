"""Conversation logs: the bucket they are dropped into (kept raw for re-extraction), its event notifications to a
queue with a dead-letter queue, and the ingest function reading that queue with partial batch failures."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as notifications
from aws_cdk import aws_sqs as sqs

from agent_memory import contract
from agent_memory.domain.conversation_log import PREFIX
from constructs import Construct
from infra.constructs import permissions
from infra.constructs.encryption import dead_letter_queue
from infra.constructs.function import FunctionSpec
from infra.constructs.props import MemoryProps

INGEST_TIMEOUT = Duration.minutes(5)
MAX_RECEIVES = 5  # a message that failed this often (transient errors exhausted) moves to the dead-letter queue


class LogIngestion(Construct):
    def __init__(self, scope: Construct, construct_id: str, props: MemoryProps) -> None:
        super().__init__(scope, construct_id)
        config, key = props.config, props.key
        removal = RemovalPolicy.RETAIN if config.retain_data else RemovalPolicy.DESTROY
        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,  # S3 server access logging cannot write to KMS-encrypted buckets
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(365))],
            removal_policy=removal,
        )
        self.bucket = s3.Bucket(
            self,
            "Logs",
            encryption=s3.BucketEncryption.KMS,
            encryption_key=key,
            bucket_key_enabled=True,
            versioned=True,
            enforce_ssl=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="conversation-logs/",
            lifecycle_rules=[
                # Raw logs stay for re-extraction, in cheaper storage as they age.
                s3.LifecycleRule(
                    id="raw-logs-age",
                    prefix=f"{PREFIX}/",
                    transitions=[
                        s3.Transition(storage_class=storage, transition_after=Duration.days(days))
                        for storage, days in (
                            (s3.StorageClass.INFREQUENT_ACCESS, 30),
                            (s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, 90),
                        )
                    ],
                    noncurrent_version_expiration=Duration.days(30),
                    abort_incomplete_multipart_upload_after=Duration.days(1),
                )
            ],
            removal_policy=removal,
        )  # fmt: skip
        # The queues get a key of their own: S3 must be granted its use for this bucket's notifications, and that
        # grant on the data key (which encrypts the bucket) would make the key and the bucket depend on each other.
        self.queue_key = kms.Key(
            self,
            "QueueKey",
            description=f"agent-memory {config.name}: conversation-log queues",
            enable_key_rotation=True,
            removal_policy=removal,
        )
        self.dead_letters = dead_letter_queue(self, "DeadLetters", self.queue_key)
        self.queue = sqs.Queue(
            self,
            "Queue",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=self.queue_key,
            enforce_ssl=True,
            visibility_timeout=Duration.seconds(INGEST_TIMEOUT.to_seconds() * 6),  # AWS: at least 6x the function's
            retention_period=Duration.days(4),
            dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=MAX_RECEIVES, queue=self.dead_letters),
        )
        self.bucket.add_event_notification(
            s3.EventType.OBJECT_CREATED,
            notifications.SqsDestination(self.queue),
            s3.NotificationKeyFilter(prefix=f"{PREFIX}/"),
        )
        self.function = fn = props.functions.build(
            self,
            "Ingest",
            FunctionSpec(
                handler="functions.ingest.conversation_logs.handler",
                description="conversation logs from S3 into memories",
                timeout=INGEST_TIMEOUT,
                environment=contract.environment(
                    ingest_queue_url=self.queue.queue_url, ingest_dead_letter_url=self.dead_letters.queue_url
                ),
            ),
            name="LogIngest",
        )
        permissions.read_table(fn, props.table, key)
        permissions.write_table(fn, props.table, key)
        permissions.embed(fn)
        permissions.converse(fn, config.converse_model)
        props.search.grant(fn.role, write=False)
        # A log deleted before it was read is skipped, a forbidden one rejected (see permissions.read_logs).
        permissions.read_logs(fn, self.bucket, key, versions=True)
        permissions.tag_logs(fn, self.bucket)
        # Continuations go back to the queue; rejected files straight to the dead-letter queue, with their reason.
        permissions.send_to_queues(fn, [self.queue, self.dead_letters], self.queue_key)
        fn.function.add_event_source(
            sources.SqsEventSource(self.queue, batch_size=5, report_batch_item_failures=True, max_concurrency=10)
        )
