"""The DynamoDB table: the source of truth. Its keys and indexes come from the store adapter's own definition."""

from __future__ import annotations

from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms

from agent_memory.adapters.aws.dynamo.schema import table_definition
from constructs import Construct
from infra.config import StageConfig

TTL_ATTRIBUTE = "ttl"


def _projection(index: dict[str, Any]) -> dict[str, Any]:
    projection = index["Projection"]
    return {
        "projection_type": dynamodb.ProjectionType(projection["ProjectionType"]),
        "non_key_attributes": projection.get("NonKeyAttributes"),
    }


def _key(schema: list[dict[str, Any]], kind: str) -> dynamodb.Attribute:
    name = next(part["AttributeName"] for part in schema if part["KeyType"] == kind)
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class MemoryTable(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig, key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        # A table created before the lean index projections keeps its own (an LSI's projection can never change; a
        # changed LSI would make CloudFormation replace the table): deploy it with `-c legacy_table_projections=true`.
        legacy = str(self.node.try_get_context("legacy_table_projections")).lower() == "true"
        definition = table_definition("unused", legacy_projections=legacy)
        self.table = dynamodb.Table(
            self,
            "Table",
            partition_key=_key(definition["KeySchema"], "HASH"),
            sort_key=_key(definition["KeySchema"], "RANGE"),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=TTL_ATTRIBUTE,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=key,
            deletion_protection=config.deletion_protection,
            removal_policy=RemovalPolicy.RETAIN if config.retain_data else RemovalPolicy.DESTROY,
        )
        for index in definition["GlobalSecondaryIndexes"]:
            self.table.add_global_secondary_index(
                index_name=index["IndexName"],
                partition_key=_key(index["KeySchema"], "HASH"),
                sort_key=_key(index["KeySchema"], "RANGE"),
                **_projection(index),
            )
        for index in definition["LocalSecondaryIndexes"]:
            self.table.add_local_secondary_index(
                index_name=index["IndexName"],
                sort_key=_key(index["KeySchema"], "RANGE"),
                **_projection(index),
            )
