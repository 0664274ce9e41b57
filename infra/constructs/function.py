"""One Lambda function with what it alone owns: its role (least privilege, no managed policies), its encrypted log
group, and (where SnapStart is on) a `live` alias on a published version."""

from __future__ import annotations

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_

from constructs import Construct
from infra.config import StageConfig
from infra.constructs.code import ARCHITECTURE, RUNTIME, FunctionCode
from infra.constructs.encryption import encrypted_log_group


class MemoryFunction(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        code: FunctionCode,
        key: kms.IKey,
        handler: str,
        description: str,
        environment: dict[str, str],
        timeout: Duration = Duration.seconds(29),
        snap_start: bool = False,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.log_group = encrypted_log_group(self, "Logs", config=config, key=key)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"agent-memory {config.name}: {description}",
        )
        self.role.add_to_policy(
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[self.log_group.log_group_arn],  # the group's ARN ends in `:*`: its streams
            )
        )
        self.function = lambda_.Function(
            self,
            "Function",
            description=description,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            code=code.functions,
            handler=handler,
            layers=code.layers,
            role=self.role,
            log_group=self.log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            memory_size=config.lambda_memory_mb,
            timeout=timeout,
            tracing=lambda_.Tracing.ACTIVE,
            environment={
                "POWERTOOLS_SERVICE_NAME": "agent-memory",
                "POWERTOOLS_METRICS_NAMESPACE": "AgentMemory",
                "AGENT_MEMORY_BACKEND": "aws",
                "AGENT_MEMORY_REGION": stack.region,
                **environment,
            },
            environment_encryption=key,
            snap_start=lambda_.SnapStartConf.ON_PUBLISHED_VERSIONS if snap_start else None,
        )
        # What callers (API Gateway, event sources) invoke: a published version when SnapStart restores from it.
        self.target: lambda_.IFunction = (
            lambda_.Alias(self, "Live", alias_name="live", version=self.function.current_version)
            if snap_start
            else self.function
        )

    def allow(self, actions: list[str], resources: list[str], conditions: dict[str, object] | None = None) -> None:
        self.role.add_to_policy(iam.PolicyStatement(actions=actions, resources=resources, conditions=conditions))
