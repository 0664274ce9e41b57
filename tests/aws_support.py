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
