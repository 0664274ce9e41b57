"""Shared AWS test scaffolding: moto-backed DynamoDB tables (no credentials, no network)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import boto3
from botocore.config import Config as BotoConfig
from moto import mock_aws

from agent_memory.adapters.aws.dynamo import DynamoStores, open_stores
from agent_memory.adapters.aws.dynamo.schema import table_definition
from agent_memory.config import Config
from agent_memory.runtime import Runtime
from tests.opensearch_server import LoopbackOpenSearch

REGION = "us-east-1"
TABLE = "agent-memory-test"
BUCKET = "agent-memory-conversations-test"
# moto's stream endpoints need the account id out of the endpoint.
CLIENT_CONFIG = BotoConfig(account_id_endpoint_mode="disabled", retries={"mode": "standard", "max_attempts": 2})


def fake_credentials() -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        os.environ[name] = value


class SerializedClient:
    """moto's in-memory backend is not thread-safe: one call at a time, so concurrent writers still interleave
    between calls and the transaction conditions (not moto's locking) decide who wins."""

    _lock = threading.Lock()

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def serialized(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return attribute(*args, **kwargs)

        return serialized


def dynamodb_client() -> Any:
    return boto3.client("dynamodb", region_name=REGION, config=CLIENT_CONFIG)


@contextmanager
def dynamo_table(name: str = TABLE, mock: bool = True) -> Iterator[DynamoStores]:
    """A fresh table inside mock_aws (or inside the caller's, with mock=False), and the stores over it."""
    fake_credentials()
    with mock_aws() if mock else nullcontext():
        dynamodb_client().create_table(**table_definition(name))
        yield open_stores(name, lambda: SerializedClient(dynamodb_client()))


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


class StreamFed:
    """A projection as production feeds it (the search index, the graph): every use first drains the table's stream
    through its consumer."""

    def __init__(self, index: Any, pump: StreamPump) -> None:
        self._index = index
        self._pump = pump

    def __getattr__(self, name: str) -> Any:
        self._pump.drain()
        return getattr(self._index, name)


@contextmanager
def aws_runtime(
    refresh_on_write: bool = True, mock: bool = True, **overrides: Any
) -> Iterator[tuple[Runtime, LoopbackOpenSearch]]:
    """A Runtime on the aws backend: DynamoDB under moto, OpenSearch on loopback, the stream applied before search.
    With mock=False it uses the mock_aws the caller has entered (one with a config of its own)."""
    custom_ids = bool(overrides.get("opensearch_custom_ids", False))
    with (
        dynamo_table(mock=mock) as stores,
        LoopbackOpenSearch(custom_ids=custom_ids, refresh_on_write=refresh_on_write) as server,
    ):
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET)
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})  # as the stack does
        settings: dict[str, Any] = {
            "conversation_bucket": BUCKET,
            "backend": "aws",
            "table_name": TABLE,
            "opensearch_endpoint": server.url,
            "region": REGION,
            "embedder": "hashing",
            "cursor_secret": "test-cursor-secret",
            # A loopback index that shows every write at once leaves an erasure nothing to wait for.
            "erasure_settle_seconds": 0 if refresh_on_write else None,
            **overrides,
        }
        runtime = Runtime(Config(**settings))
        runtime.aws.__dict__["stores"] = stores  # the table the fixture created, with its moto client
        runtime.opensearch.ensure_index()
        runtime.__dict__["index"] = StreamFed(runtime.index, StreamPump(TABLE, runtime.stream_indexer.apply))
        graph = StreamFed(runtime.graph_store, StreamPump(TABLE, runtime.graph_projector.apply))
        runtime.__dict__["graph_store"] = graph
        yield runtime, server
