"""Synthesizes the stack once per stage, offline: asset bundling is skipped (the layers are built by `make synth`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

NO_BUNDLING = {"aws:cdk:bundling-stacks": []}


@dataclass
class Synthesized:
    stack: Any
    template: Any  # aws_cdk.assertions.Template

    @cached_property
    def document(self) -> dict[str, Any]:
        """The template as JSON, rendered once: each rendering crosses into the CDK's JavaScript runtime."""
        rendered: dict[str, Any] = self.template.to_json()
        return rendered

    @cached_property
    def nested_by_id(self) -> dict[str, dict[str, Any]]:
        """The templates of the stack's nested stacks (API functions, monitoring) by the logical id of the stack
        resource that deploys each, rendered once."""
        from aws_cdk import NestedStack, Stack
        from aws_cdk.assertions import Template

        stacks = [child for child in self.stack.node.find_all() if isinstance(child, NestedStack)]
        return {
            Stack.of(child.nested_stack_resource).get_logical_id(child.nested_stack_resource): Template.from_stack(
                child
            ).to_json()
            for child in stacks
        }

    @property
    def nested(self) -> list[dict[str, Any]]:
        return list(self.nested_by_id.values())

    def resolved(self, value: Any) -> Any:
        """`value` from any template with cross-stack plumbing taken out: a nested stack's parameter becomes what
        the parent passes it, and a nested stack's output (`Fn::GetAtt [stack, Outputs.X]`) the value it outputs,
        so a reference reads as the `Ref`/`GetAtt` of the resource itself."""
        passed = {
            name: expression
            for resource in self.document["Resources"].values()
            if resource["Type"] == "AWS::CloudFormation::Stack"
            for name, expression in (resource["Properties"].get("Parameters") or {}).items()
        }
        if isinstance(value, dict):
            if set(value) == {"Ref"} and value["Ref"] in passed:
                return self.resolved(passed[value["Ref"]])
            target = value.get("Fn::GetAtt")
            if set(value) == {"Fn::GetAtt"} and target[0] in self.nested_by_id and target[1].startswith("Outputs."):
                output = self.nested_by_id[target[0]]["Outputs"][target[1][len("Outputs.") :]]
                return self.resolved(output["Value"])
            return {key: self.resolved(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolved(item) for item in value]
        return value

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        """Every resource the stage deploys: the stack's and its nested stacks'."""
        resources: dict[str, dict[str, Any]] = dict(self.document["Resources"])
        for template in self.nested:
            resources.update(template["Resources"])
        return resources

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {name: r for name, r in self.resources.items() if r["Type"] == kind}

    def logical_id(self, construct: Any) -> str:
        from aws_cdk import Stack

        return str(Stack.of(construct).get_logical_id(construct.node.default_child))


def synthesize(stage: str, tmp_path_factory: pytest.TempPathFactory, **context: Any) -> Synthesized:
    from aws_cdk import App
    from aws_cdk.assertions import Template
    from infra.app import build

    outdir = tmp_path_factory.mktemp(f"cdk-{stage}")
    app = App(context={**NO_BUNDLING, "stage": stage, **context}, outdir=str(outdir))
    stack = build(app)
    return Synthesized(stack, Template.from_stack(stack))


def props_only(stage: str = "dev") -> Any:
    """A stack holding only what the constructs share (`MemoryProps`), for constructs tested on their own."""
    from aws_cdk import App, Stack
    from infra.config import STAGES
    from infra.constructs.props import MemoryProps

    stack = Stack(App(context=NO_BUNDLING), "PropsOnly")
    return MemoryProps.create(stack, STAGES[stage])


@pytest.fixture(scope="session")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    return synthesize("dev", tmp_path_factory)


@pytest.fixture(scope="session")
def prod(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    return synthesize("prod", tmp_path_factory, alarm_email="oncall@example.com")
