"""API Gateway's CloudWatch logging role is account-wide: it lives in its own retained stack, never in a stage, so
destroying a stage cannot break logging for the other APIs of the Region."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from aws_cdk.assertions import Template
from infra.stacks.api_gateway_account import STACK_NAME

from tests.infra.conftest import Synthesized

ROOT = Path(__file__).resolve().parents[2]
PUSH_TO_CLOUDWATCH = "AmazonAPIGatewayPushToCloudWatchLogs"


def account_stack(synth: Synthesized):
    return synth.stack.node.root.node.find_child(STACK_NAME)


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_no_stage_owns_the_account_logging_setting_or_its_role(stage: str, request) -> None:
    synth: Synthesized = request.getfixturevalue(stage)
    # Given a synthesized stage; Then it creates no API Gateway account setting and no logging role
    assert synth.of_type("AWS::ApiGateway::Account") == {}
    assert PUSH_TO_CLOUDWATCH not in json.dumps(synth.of_type("AWS::IAM::Role"))
    # And its REST API still logs (access log settings on the stage)
    (api_stage,) = synth.of_type("AWS::ApiGateway::Stage").values()
    assert "DestinationArn" in api_stage["Properties"]["AccessLogSetting"]


def test_the_account_stack_sets_the_logging_role_once_and_keeps_both(dev: Synthesized) -> None:
    account = account_stack(dev)
    template = Template.from_stack(account).to_json()["Resources"]
    (setting,) = [r for r in template.values() if r["Type"] == "AWS::ApiGateway::Account"]
    (role,) = [r for r in template.values() if r["Type"] == "AWS::IAM::Role"]
    assert PUSH_TO_CLOUDWATCH in json.dumps(role["Properties"]["ManagedPolicyArns"])
    assert "apigateway.amazonaws.com" in json.dumps(role["Properties"]["AssumeRolePolicyDocument"])
    role_id = next(name for name, r in template.items() if r is role)
    assert setting["Properties"]["CloudWatchRoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}
    # Deleting this stack leaves the Region's logging as it was
    assert setting["DeletionPolicy"] == role["DeletionPolicy"] == "Retain"
    # And each stage deploys after it (CDK deploys it first when a stage is deployed)
    assert account in dev.stack.dependencies


def test_the_account_stack_template_is_cfn_lint_clean(dev: Synthesized, tmp_path: Path) -> None:
    template = tmp_path / f"{STACK_NAME}.template.json"
    template.write_text(json.dumps(Template.from_stack(account_stack(dev)).to_json()))
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run(
        [str(cfn_lint), "--config-file", str(ROOT / ".cfnlintrc.yaml"), str(template)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
