"""API Gateway's logging role: one per account and Region, shared by every REST API there, so it is owned by this
small stack rather than by a stage. Deleting a stage never touches it; deleting this stack keeps both the role and
the account setting (they are retained), so other APIs in the Region keep logging."""

from __future__ import annotations

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_iam as iam

from constructs import Construct

STACK_NAME = "AgentMemory-ApiGatewayAccount"
PUSH_TO_CLOUDWATCH = "service-role/AmazonAPIGatewayPushToCloudWatchLogs"


class ApiGatewayAccountStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs: object) -> None:
        super().__init__(scope, construct_id, **kwargs)  # type: ignore[arg-type]
        self.role = iam.Role(
            self,
            "CloudWatchRole",
            assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
            description="API Gateway (all REST APIs of this account and Region): writes execution and access logs",
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(PUSH_TO_CLOUDWATCH)],
        )
        self.role.apply_removal_policy(RemovalPolicy.RETAIN)
        self.logging = apigw.CfnAccount(self, "Account", cloud_watch_role_arn=self.role.role_arn)
        self.logging.apply_removal_policy(RemovalPolicy.RETAIN)
