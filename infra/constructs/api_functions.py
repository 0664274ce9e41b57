"""A Lambda function per API operation (infra/catalog.py), each with only the permissions its operation needs."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager

from constructs import Construct
from infra.catalog import API_FUNCTIONS, ApiFunction
from infra.config import StageConfig
from infra.constructs import permissions
from infra.constructs.code import FunctionCode
from infra.constructs.function import MemoryFunction
from infra.constructs.search import SearchCollection


def construct_id(name: str) -> str:
    return "".join(part.title() for part in name.split("_"))


class ApiFunctions(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id_: str,
        *,
        config: StageConfig,
        code: FunctionCode,
        key: kms.IKey,
        table: dynamodb.ITable,
        search: SearchCollection,
        cursor_secret: secretsmanager.ISecret,
        environment: dict[str, str],
    ) -> None:
        super().__init__(scope, construct_id_)
        self.by_operation: dict[ApiFunction, MemoryFunction] = {}
        for operation in API_FUNCTIONS:
            fn = MemoryFunction(
                self,
                construct_id(operation.name),
                config=config,
                code=code,
                key=key,
                handler=f"functions.api.{operation.name}.handler",
                description=f"{operation.method} {operation.path}",
                environment=environment,
                timeout=Duration.seconds(29),  # API Gateway's own integration limit
                snap_start=config.snap_start,
            )
            if not operation.public:
                permissions.read_table(fn, table, key)
            if operation.writes:
                permissions.write_table(fn, table, key)
            if operation.counts_recalls:
                permissions.count_recalls(fn, table, key)
            if operation.embeds:
                permissions.embed(fn)
            if operation.searches:
                search.grant(fn.role, write=False)
            if operation.signs_cursors:
                permissions.read_secret(fn, cursor_secret, key)
            if operation.extracts:
                permissions.converse(fn, config.converse_model)
            self.by_operation[operation] = fn
