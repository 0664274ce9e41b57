"""What every function runs: the function modules, the shared `agent_memory` layer, the dependency layer, and
Powertools from its public layer: one pinned release, whose ARN in the deploy Region is read from Powertools' public
SSM parameter at deploy time (synthesis needs no AWS access; a new Powertools release changes nothing until the pin
is moved here and in pyproject.toml's `aws` extra)."""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_ssm as ssm

from constructs import Construct
from infra.config import PYTHON_VERSION
from infra.constructs.bundling import ROOT, copy_tree, pip_install

RUNTIME = lambda_.Runtime(f"python{PYTHON_VERSION}", lambda_.RuntimeFamily.PYTHON, supports_snap_start=True)
ARCHITECTURE = lambda_.Architecture.ARM_64
POWERTOOLS_VERSION = "3.37.0"
POWERTOOLS_PARAMETER = f"/aws/service/powertools/python/arm64/python{PYTHON_VERSION}/{POWERTOOLS_VERSION}"


class FunctionCode(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self._functions: dict[str, lambda_.Code] = {}
        shared = lambda_.LayerVersion(
            self,
            "SharedCode",
            description="agent_memory: domain, services and adapters",
            code=lambda_.Code.from_asset(
                str(ROOT / "layers" / "agent_memory"),
                bundling=copy_tree(ROOT / "layers" / "agent_memory", "python/agent_memory"),
            ),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
        )
        requirements = ROOT / "infra" / "dependencies" / "requirements.txt"
        dependencies = lambda_.LayerVersion(
            self,
            "Dependencies",
            description="third-party packages of agent-memory, built for arm64",
            code=lambda_.Code.from_asset(str(requirements.parent), bundling=pip_install(requirements)),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
        )
        powertools_arn = ssm.StringParameter.value_for_string_parameter(self, POWERTOOLS_PARAMETER)
        powertools = lambda_.LayerVersion.from_layer_version_arn(self, "Powertools", powertools_arn)
        self.layers: list[lambda_.ILayerVersion] = [powertools, dependencies, shared]

    def functions_for(self, scope: Construct) -> lambda_.Code:
        """The function modules' asset for `scope`'s stack: CDK binds an asset to one stack, and the API functions
        live in nested stacks of their own (the asset is built once and uploaded once either way)."""
        stack = Stack.of(scope)
        if stack.node.path not in self._functions:
            self._functions[stack.node.path] = lambda_.Code.from_asset(
                str(ROOT / "functions"), bundling=copy_tree(ROOT / "functions", "functions")
            )
        return self._functions[stack.node.path]
