"""The customer-managed KMS key for data at rest: table, logs, queues, alarm topic, secret and search collection."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs

from constructs import Construct
from infra.config import StageConfig


class DataKey(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.key = kms.Key(
            self,
            "Key",
            description=f"agent-memory {config.name}: data at rest",
            enable_key_rotation=True,
            rotation_period=Duration.days(365),
            pending_window=Duration.days(30),
            removal_policy=RemovalPolicy.RETAIN if config.retain_data else RemovalPolicy.DESTROY,
        )
        # CloudWatch Logs encrypts this stack's log groups with the key, and only those.
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
                actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                resources=["*"],
                conditions={
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": f"arn:{stack.partition}:logs:{stack.region}:"
                        f"{stack.account}:log-group:*"
                    }
                },
            )
        )
        # CloudWatch alarms publish to the encrypted alarm topic.
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
            )
        )


def encrypted_log_group(scope: Construct, construct_id: str, *, config: StageConfig, key: kms.IKey) -> logs.LogGroup:
    """Every log group of the stack: encrypted with the stack's key, the stage's retention, kept with prod data."""
    return logs.LogGroup(
        scope,
        construct_id,
        encryption_key=key,
        retention=config.log_retention,
        removal_policy=RemovalPolicy.RETAIN if config.retain_data else RemovalPolicy.DESTROY,
    )


def dead_letter_queue(scope: Construct, construct_id: str, key: kms.IKey) -> sqs.Queue:
    """A dead-letter queue: KMS-encrypted, TLS-only, messages kept the longest SQS allows (14 days)."""
    return sqs.Queue(
        scope,
        construct_id,
        encryption=sqs.QueueEncryption.KMS,
        encryption_master_key=key,
        enforce_ssl=True,
        retention_period=Duration.days(14),
    )
