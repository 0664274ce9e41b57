"""Every Lambda function of the stack, built by one factory so all of them share the same props: runtime and
architecture, the layers, an encrypted log group, active tracing, JSON logs, the stage's memory size, the shared
environment (encrypted with the stack's key), and an entry in `FunctionFactory.built` that monitoring alarms on.

Each function still owns its role (least privilege, no managed policies), its log group and (where SnapStart is on)
a `live` alias on a published version."""

from __future__ import annotations

from dataclasses import dataclass, field

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_

from agent_memory import contract
from constructs import Construct
from infra.config import StageConfig
from infra.constructs.code import ARCHITECTURE, RUNTIME, FunctionCode
from infra.constructs.encryption import encrypted_log_group

API_TIMEOUT = Duration.seconds(29)  # API Gateway's own integration limit


@dataclass(frozen=True)
class FunctionSpec:
    """What differs from one function to the next."""

    handler: str
    description: str
    timeout: Duration = API_TIMEOUT
    snap_start: bool = False  # restore from a SnapStart snapshot where the stage turns SnapStart on
    environment: dict[str, str] = field(default_factory=dict)  # beside the shared environment


class MemoryFunction(Construct):
    """One function with what it alone owns; built by `FunctionFactory`, never directly."""

    def __init__(self, scope: Construct, construct_id: str, *, factory: FunctionFactory, spec: FunctionSpec) -> None:
        super().__init__(scope, construct_id)
        config = factory.config
        snap_start = spec.snap_start and config.snap_start
        self.log_group = encrypted_log_group(self, "Logs", config=config, key=factory.key)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"agent-memory {config.name}: {spec.description}",
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
            description=spec.description,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            code=factory.code.functions_for(self),
            handler=spec.handler,
            layers=factory.code.layers,
            role=self.role,
            log_group=self.log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            memory_size=config.lambda_memory_mb,
            timeout=spec.timeout,
            tracing=lambda_.Tracing.ACTIVE,
            environment={**factory.base_environment(self), **spec.environment},
            environment_encryption=factory.key,
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


@dataclass
class FunctionFactory:
    """Builds every function of the stack from the props they share; `built` names each one (its alarms' prefix)."""

    config: StageConfig
    code: FunctionCode
    key: kms.IKey
    environment: dict[str, str]  # what every function reads: table, search, models, cursor secret
    built: dict[str, MemoryFunction] = field(default_factory=dict)

    def build(
        self, scope: Construct, construct_id: str, spec: FunctionSpec, *, name: str | None = None
    ) -> MemoryFunction:
        """A function under `scope`, known to monitoring as `name` (its construct id unless given)."""
        name = name or construct_id
        if name in self.built:
            raise ValueError(f"two functions named {name!r}: their alarms would collide")
        fn = MemoryFunction(scope, construct_id, factory=self, spec=spec)
        self.built[name] = fn
        return fn

    def base_environment(self, scope: Construct) -> dict[str, str]:
        return {
            "POWERTOOLS_SERVICE_NAME": contract.SERVICE_NAME,
            "POWERTOOLS_METRICS_NAMESPACE": contract.METRIC_NAMESPACE,
            **contract.environment(backend="aws", region=Stack.of(scope).region),
            **self.environment,
        }
