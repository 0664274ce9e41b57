"""A Lambda function per API operation (infra/catalog.py), each with only the permissions its operation needs."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import NestedStack, Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_stepfunctions as sfn

from agent_memory import contract
from agent_memory.domain.operations import JobKind
from constructs import Construct
from infra.catalog import API_FUNCTIONS, ApiFunction
from infra.constructs import permissions
from infra.constructs.function import FunctionSpec, MemoryFunction
from infra.constructs.props import MemoryProps


def construct_id(name: str) -> str:
    return "".join(part.title() for part in name.split("_"))


class ApiFunctions(Construct):
    """The catalog's functions, each family (`ApiFunction.family`) in a nested stack of its own: ~9 resources a
    function would take the stage past CloudFormation's 500 resources per stack, and a nested stack's outputs (a
    function's ARN for the API, its name for the alarms) are limited to 200."""

    def __init__(self, scope: Construct, construct_id_: str, props: MemoryProps) -> None:
        super().__init__(scope, construct_id_)
        self.by_operation: dict[ApiFunction, MemoryFunction] = {}
        for family in sorted({operation.family for operation in API_FUNCTIONS}):
            stack = NestedStack(
                self, f"{family}Functions", description=f"agent-memory {props.config.name}: {family} API functions"
            )
            self._build(stack, [op for op in API_FUNCTIONS if op.family == family], props)

    def _build(self, scope: Construct, operations: list[ApiFunction], props: MemoryProps) -> None:
        table, key = props.table, props.key
        for operation in operations:
            fn = props.functions.build(
                scope,
                construct_id(operation.name),
                FunctionSpec(
                    handler=f"functions.api.{operation.name}.handler",
                    description=f"{operation.method} {operation.path}",
                    snap_start=True,
                ),
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
                props.search.grant(fn.role, write=False)
            if operation.signs_cursors:
                permissions.read_secret(fn, props.cursor_secret, key)
            if operation.extracts:
                permissions.converse(fn, props.config.converse_model)
            self.by_operation[operation] = fn

    def use_bucket(self, bucket: s3.IBucket, key: kms.IKey) -> None:
        """The operations that look for a user's raw logs may list (not read) them; those that serve export files
        may read those; previous runs read the logs, and conversation turns append to them. All learn the bucket."""
        for operation, fn in self.by_operation.items():
            if operation.lists_logs or operation.reads_exports or operation.reads_logs or operation.keeps_transcripts:
                fn.function.add_environment(contract.env_name("conversation_bucket"), bucket.bucket_name)
            if operation.lists_logs:
                permissions.list_logs(fn, bucket)
            if operation.reads_exports:
                permissions.read_exports(fn, bucket, key)
            if operation.reads_logs:
                permissions.read_logs(fn, bucket, key)
            if operation.keeps_transcripts:
                permissions.keep_transcripts(fn, bucket, key)

    def start_jobs_on(self, machines: Mapping[JobKind, sfn.IStateMachine]) -> None:
        """The operations that start jobs learn the machines (by job kind) and may start executions of them alone."""
        by_kind = Stack.of(self).to_json_string({kind.value: sm.state_machine_arn for kind, sm in machines.items()})
        for operation, fn in self.by_operation.items():
            if operation.starts_jobs:
                fn.function.add_environment(contract.env_name("job_state_machines"), by_kind)
                fn.allow(["states:StartExecution"], [sm.state_machine_arn for sm in machines.values()])
