"""The CDK app: `cdk deploy -c stage=dev|prod` (cdk.json runs `python3 -m infra.app`)."""

from __future__ import annotations

import os

from aws_cdk import App, Environment, Validations
from cdk_nag import AwsSolutionsChecks

from infra.acknowledgments import acknowledge_account_findings, acknowledge_findings
from infra.config import stage_config
from infra.stacks.api_gateway_account import STACK_NAME, ApiGatewayAccountStack
from infra.stacks.memory_stack import MemoryStack


def build(app: App) -> MemoryStack:
    # S3 server access logs are granted by bucket policy, not the legacy log-delivery ACL.
    app.node.set_context("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", True)
    config = stage_config(app.node)
    environment = Environment(
        account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION")
    )
    # Account-level, shared by every stage: deployed with the first stage that needs it and never deleted with one.
    account = ApiGatewayAccountStack(
        app, STACK_NAME, env=environment, description="agent-memory: API Gateway logging role (account and Region)"
    )
    stack = MemoryStack(app, f"AgentMemory-{config.name}", config=config, env=environment)
    stack.add_stack_dependency(account, "the stage's access and execution logs need API Gateway's account logging role")
    acknowledge_account_findings(account)
    acknowledge_findings(stack)
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return stack


def main() -> None:
    # Under the CDK CLI the output folder comes from it; `make synth` runs this module directly into cdk.out.
    app = App(outdir=os.environ.get("CDK_OUTDIR", "cdk.out"))
    build(app)
    app.synth()


if __name__ == "__main__":
    main()
