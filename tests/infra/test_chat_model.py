"""The Bedrock chat model a stage calls: an active model by default, granted through its inference profile in every
Region the profile routes to, and refused at synthesis when the stack could not grant or call it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import App, Environment, Stack
from infra.bedrock_models import DEFAULT_CONVERSE_MODEL, GEOGRAPHIES, UngrantableModel, converse_model
from infra.catalog import API_FUNCTIONS
from infra.config import STAGES
from infra.constructs.api_functions import construct_id

from agent_memory.config import Config
from tests.infra.conftest import NO_BUNDLING, Synthesized
from tests.infra.test_stack import statements

HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0"


def converse_statements(synth: Synthesized, name: str) -> list[dict[str, Any]]:
    found = []
    for statement in statements(synth, synth.stack.functions[name].role):
        if statement["Action"] == "bedrock:InvokeModel" and "titan" not in json.dumps(statement["Resource"]):
            found.append(statement)
    return found


def test_the_default_model_is_claude_haiku_45_through_the_us_profile_on_both_sides() -> None:
    # Given the stack's stages and the runtime's own default; Then both name the same inference profile
    assert f"us.{HAIKU_45}" == DEFAULT_CONVERSE_MODEL
    assert {stage.converse_model for stage in STAGES.values()} == {DEFAULT_CONVERSE_MODEL}
    assert Config(_env_file=None).converse_model == DEFAULT_CONVERSE_MODEL  # type: ignore[call-arg]


def test_extracting_functions_may_call_the_profile_and_its_model_in_each_destination_region(dev: Synthesized) -> None:
    extracting = [construct_id(op.name) for op in API_FUNCTIONS if op.extracts] + ["LogIngest"]
    for name in extracting:
        # When the synthesized role of a function that converses is read
        profile, model = converse_statements(dev, name)
        # Then it may invoke the US inference profile in the stack's Region
        assert "Condition" not in profile
        assert json.dumps(profile["Resource"]).endswith(f':inference-profile/us.{HAIKU_45}"]]}}')
        # And the foundation model in the source Region and in every US destination Region, only through the profile
        arns = json.dumps(model["Resource"])
        for region in GEOGRAPHIES["us"]:
            assert f":bedrock:{region}::foundation-model/{HAIKU_45}" in arns, region
        assert '{"Ref": "AWS::Region"}, "::foundation-model/' in arns
        assert json.dumps(model["Condition"]["StringEquals"]["bedrock:InferenceProfileArn"]) == json.dumps(
            profile["Resource"]
        )
        # And the retired Claude 3 Haiku is granted nowhere
        assert "claude-3-haiku" not in arns


def test_an_env_agnostic_stack_refuses_at_deploy_a_region_outside_the_profile_geography(dev: Synthesized) -> None:
    rules = dev.document["Rules"]
    (rule,) = [r for name, r in rules.items() if name.startswith("ChatModelRegionInGeography")]
    (assertion,) = rule["Assertions"]
    regions, region = assertion["Assert"]["Fn::Contains"]
    assert region == {"Ref": "AWS::Region"} and set(regions) >= GEOGRAPHIES["us"]
    assert DEFAULT_CONVERSE_MODEL in assertion["AssertDescription"]


@pytest.mark.parametrize(
    ("model_id", "reason"),
    [
        ("anthropic.claude-3-haiku-20240307-v1:0", "end of life"),
        ("anthropic.claude-3-5-haiku-20241022-v1:0", "end of life"),
        (f"apac.{HAIKU_45}", "geography this stack can grant"),
        ("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc", "ARNs"),
        ("claude-haiku-4-5", "neither a foundation model id"),
    ],
)
def test_a_model_the_stack_cannot_grant_is_refused_at_synthesis(model_id: str, reason: str, tmp_path) -> None:
    from infra.app import build

    # Given a stage configured with that model; When the app is built; Then synthesis stops with the reason
    app = App(context={**NO_BUNDLING, "stage": "dev", "converse_model": model_id}, outdir=str(tmp_path))
    with pytest.raises(UngrantableModel, match=reason):
        build(app)


def test_a_geographic_profile_outside_its_geography_is_refused_for_a_known_region(tmp_path, monkeypatch) -> None:
    from infra.app import build

    # Given a stack pinned to eu-west-1 and the (default) US profile
    monkeypatch.setenv("CDK_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("CDK_DEFAULT_ACCOUNT", "123456789012")
    app = App(context={**NO_BUNDLING, "stage": "dev"}, outdir=str(tmp_path))
    # Then it is refused, naming the profiles that would work there
    with pytest.raises(UngrantableModel, match=r"cannot be called from eu-west-1.*global\."):
        build(app)


def in_aws(value: Any) -> Any:
    """A resolved value with the partition filled in, as CloudFormation does in the `aws` partition."""
    if isinstance(value, dict) and set(value) == {"Fn::Join"}:
        return "".join("aws" if part == {"Ref": "AWS::Partition"} else part for part in value["Fn::Join"][1])
    if isinstance(value, dict):
        return {key: in_aws(item) for key, item in value.items()}
    return [in_aws(item) for item in value] if isinstance(value, list) else value


def grants(model_id: str, region: str) -> list[tuple[list[str], dict[str, object] | None]]:
    stack = Stack(App(), "S", env=Environment(account="123456789012", region=region))
    return [(in_aws(stack.resolve(resources)), in_aws(stack.resolve(condition))) for resources, condition in
            converse_model(model_id).resources(stack)]  # fmt: skip


def test_an_eu_profile_in_an_eu_region_grants_the_eu_destinations_through_the_profile() -> None:
    (profile, _), (models, condition) = grants(f"eu.{HAIKU_45}", "eu-west-1")
    assert profile == [f"arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.{HAIKU_45}"]
    assert models == [f"arn:aws:bedrock:{r}::foundation-model/{HAIKU_45}" for r in sorted(GEOGRAPHIES["eu"])]
    assert condition == {"StringEquals": {"bedrock:InferenceProfileArn": profile[0]}}


def test_a_us_profile_called_from_canada_also_grants_the_source_region_model() -> None:
    (_, _), (models, _) = grants(f"us.{HAIKU_45}", "ca-central-1")
    assert models[0] == f"arn:aws:bedrock:ca-central-1::foundation-model/{HAIKU_45}"
    assert len(models) == len(GEOGRAPHIES["us"]) + 1


def test_a_global_profile_grants_the_region_less_model_arn_through_the_profile() -> None:
    (profile, _), (models, condition) = grants(f"global.{HAIKU_45}", "ap-southeast-1")
    assert models == [
        f"arn:aws:bedrock:ap-southeast-1::foundation-model/{HAIKU_45}",
        f"arn:aws:bedrock:::foundation-model/{HAIKU_45}",
    ]
    assert condition == {"StringEquals": {"bedrock:InferenceProfileArn": profile[0]}}


def test_a_foundation_model_id_is_granted_in_the_stack_region_only() -> None:
    ((models, condition),) = grants("amazon.nova-lite-v1:0", "us-west-2")
    assert models == ["arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-lite-v1:0"] and condition is None
