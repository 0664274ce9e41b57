"""What the constructs of a stage share: its configuration, the data key, the table, the search collection, the
cursor-signing secret, and the factory every function is built with (which holds the code and the environment)."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager

from agent_memory import contract
from constructs import Construct
from infra.config import StageConfig
from infra.constructs.code import FunctionCode
from infra.constructs.encryption import DataKey
from infra.constructs.function import FunctionFactory
from infra.constructs.search import INDEX_NAME, SearchCollection
from infra.constructs.table import MemoryTable


@dataclass(frozen=True)
class MemoryProps:
    config: StageConfig
    key: kms.IKey
    table: dynamodb.ITable
    search: SearchCollection
    cursor_secret: secretsmanager.ISecret
    functions: FunctionFactory

    @classmethod
    def create(cls, scope: Construct, config: StageConfig) -> MemoryProps:
        """The shared resources, built directly under `scope` (the stack): their logical ids do not name a group."""
        key = DataKey(scope, "DataKey", config=config).key
        table = MemoryTable(scope, "Memories", config=config, key=key).table
        search = SearchCollection(scope, "Search", config=config, key=key)
        cursor_secret = secretsmanager.Secret(
            scope,
            "CursorSecret",
            description="Signs pagination cursors (every function signs alike)",
            encryption_key=key,
            generate_secret_string=secretsmanager.SecretStringGenerator(exclude_punctuation=True, password_length=64),
            removal_policy=RemovalPolicy.DESTROY,
        )
        environment = contract.environment(
            table_name=table.table_name,
            opensearch_endpoint=search.endpoint,
            index_name=INDEX_NAME,
            embedder="titan",
            titan_dimensions=str(config.titan_dimensions),
            converse_model=config.converse_model,
            cursor_secret_arn=cursor_secret.secret_arn,
        )
        functions = FunctionFactory(config, FunctionCode(scope, "Code"), key, environment)
        return cls(config, key, table, search, cursor_secret, functions)
