"""Every function comes from one factory and gets the props they all share: runtime, arm64, the three layers, an
encrypted log group with the stage's retention, active tracing, JSON logs, the shared environment, and alarms."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk.assertions import Template
from infra.constructs.function import FunctionSpec
from infra.constructs.monitoring import Monitoring

from agent_memory import contract
from tests.infra.conftest import Synthesized, props_only

RETENTION_DAYS = {"dev": 14, "prod": 365}
SPEC = FunctionSpec(handler="functions.api.health.handler", description="a test function")


def cdk_deploy_functions(synth: Synthesized) -> set[str]:
    """The functions CDK itself adds at deploy time: S3 bucket notifications and the custom-resource provider."""
    stack = synth.stack
    notifications = next(c for c in stack.node.children if c.node.id.startswith("BucketNotificationsHandler"))
    framework = stack.search.provider.node.find_child("framework-onEvent")
    return {stack.get_logical_id(c.node.default_child) for c in (notifications, framework)}


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_function_is_built_by_the_factory_with_the_shared_props(stage: str, request) -> None:
    synth: Synthesized = request.getfixturevalue(stage)
    stack, factory = synth.stack, synth.stack.props.functions
    resolve = stack.resolve
    layers = [resolve(layer.layer_version_arn) for layer in factory.code.layers]
    shared_environment = resolve(factory.base_environment(stack))
    # Given every Lambda function of the template; Then each is the factory's, or one CDK adds for deploy time
    built = {synth.logical_id(fn.function): fn for fn in stack.functions.values()}
    assert set(synth.of_type("AWS::Lambda::Function")) == set(built) | cdk_deploy_functions(synth)
    for logical_id, fn in built.items():
        props: dict[str, Any] = synth.resources[logical_id]["Properties"]
        # And each gets the shared props
        assert props["Runtime"] == "python3.14" and props["Architectures"] == ["arm64"], logical_id
        assert props["TracingConfig"] == {"Mode": "Active"}, logical_id
        # (API functions live in nested stacks: their references to the parent's resources are resolved back)
        assert synth.resolved(props["Layers"]) == layers and len(layers) == 3, logical_id
        assert props["MemorySize"] == stack.props.config.lambda_memory_mb, logical_id
        assert synth.resolved(props["KmsKeyArn"]) == resolve(stack.props.key.key_arn), logical_id
        assert props["LoggingConfig"] == {"LogFormat": "JSON", "LogGroup": {"Ref": synth.logical_id(fn.log_group)}}
        log_group = synth.resources[synth.logical_id(fn.log_group)]["Properties"]
        assert log_group["RetentionInDays"] == RETENTION_DAYS[stage] and "KmsKeyId" in log_group, logical_id
        variables = props["Environment"]["Variables"]
        shared = {name: synth.resolved(variables.get(name)) for name in shared_environment}
        assert shared == shared_environment, logical_id
    assert shared_environment["POWERTOOLS_SERVICE_NAME"] == contract.SERVICE_NAME
    assert shared_environment["POWERTOOLS_METRICS_NAMESPACE"] == contract.METRIC_NAMESPACE
    assert shared_environment[contract.env_name("backend")] == "aws"


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_function_the_factory_built_has_error_and_throttle_alarms(stage: str, request) -> None:
    synth: Synthesized = request.getfixturevalue(stage)
    alarmed = {a.node.id for a in synth.stack.monitoring.alarms}
    for name in synth.stack.functions:
        assert {f"{name}Errors", f"{name}Throttles"} <= alarmed, name


def test_snap_start_is_what_the_stage_turns_on_and_the_function_asks_for() -> None:
    for stage, expected in (("dev", None), ("prod", {"ApplyOn": "PublishedVersions"})):
        props = props_only(stage)
        stack = Stack.of(props.key)
        asks = props.functions.build(stack, "Asks", FunctionSpec(SPEC.handler, SPEC.description, snap_start=True))
        plain = props.functions.build(stack, "Plain", SPEC)
        functions = Template.from_stack(stack).find_resources("AWS::Lambda::Function")
        assert functions[stack.get_logical_id(asks.function.node.default_child)]["Properties"].get("SnapStart") == (
            expected
        )
        assert "SnapStart" not in functions[stack.get_logical_id(plain.function.node.default_child)]["Properties"]


def test_the_factory_refuses_two_functions_of_one_name() -> None:
    props = props_only()
    stack = Stack.of(props.key)
    props.functions.build(stack, "Twice", SPEC)
    with pytest.raises(ValueError, match="alarms would collide"):
        props.functions.build(stack, "Other", SPEC, name="Twice")


def test_a_function_built_after_monitoring_fails_synthesis_instead_of_going_without_alarms() -> None:
    # Given monitoring over the functions built so far
    props = props_only()
    stack = Stack.of(props.key)
    props.functions.build(stack, "Early", SPEC)
    api = apigw.RestApi(stack, "Api")
    api.root.add_method("GET", apigw.MockIntegration())
    Monitoring(stack, "Monitoring", props, api=api, dead_letters={})
    # When another function is built after it; Then synthesis names it
    props.functions.build(stack, "Late", SPEC)
    with pytest.raises(Exception, match="built after Monitoring, so without alarms: Late"):
        Template.from_stack(stack)
