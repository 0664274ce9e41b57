"""Shared AWS test scaffolding: moto-backed DynamoDB tables (no credentials, no network)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.config import Config
from moto import mock_aws

from agent_memory.adapters.aws.dynamo_store import DynamoStore, table_definition

REGION = "us-east-1"
TABLE = "agent-memory-test"
# moto's stream endpoints need the account id out of the endpoint.
CLIENT_CONFIG = Config(account_id_endpoint_mode="disabled", retries={"mode": "standard", "max_attempts": 2})


def fake_credentials() -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        os.environ[name] = value


def dynamodb_client() -> Any:
    return boto3.client("dynamodb", region_name=REGION, config=CLIENT_CONFIG)


@contextmanager
def dynamo_table(name: str = TABLE) -> Iterator[DynamoStore]:
    """A fresh table inside mock_aws, and a store over it."""
    fake_credentials()
    with mock_aws():
        dynamodb_client().create_table(**table_definition(name))
        yield DynamoStore(name, dynamodb_client)


def streams_client() -> Any:
    return boto3.client("dynamodbstreams", region_name=REGION, config=CLIENT_CONFIG)


class StreamPump:
    """Reads a moto table's stream and feeds every new record to a handler, as the Lambda event source would."""

    def __init__(self, table: str, handle: Any) -> None:
        self._table = table
        self._handle = handle
        self._iterators: dict[str, str | None] = {}

    def drain(self) -> list[dict[str, Any]]:
        streams = streams_client()
        arn = dynamodb_client().describe_table(TableName=self._table)["Table"]["LatestStreamArn"]
        delivered: list[dict[str, Any]] = []
        for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
            shard_id = shard["ShardId"]
            if shard_id not in self._iterators:
                self._iterators[shard_id] = streams.get_shard_iterator(
                    StreamArn=arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]
            while self._iterators[shard_id]:
                answer = streams.get_records(ShardIterator=self._iterators[shard_id])
                self._iterators[shard_id] = answer.get("NextShardIterator")
                if not answer["Records"]:
                    break
                for record in answer["Records"]:
                    self._handle(record)
                    delivered.append(record)
        return delivered
