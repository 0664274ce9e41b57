"""cdk-nag acknowledgments: each names the exact finding it covers and why it is accepted."""

from __future__ import annotations

import hashlib
import re

from aws_cdk import Acknowledgment, Stack, Validations

from constructs import IConstruct
from infra.stacks.api_gateway_account import ApiGatewayAccountStack
from infra.stacks.memory_stack import MemoryStack

XRAY = (
    "AwsSolutions-IAM5[Resource::*]",
    "X-Ray's PutTraceSegments/PutTelemetryRecords do not support resource-level permissions (added by active tracing).",
)


def acknowledge(construct: IConstruct, rule: str, reason: str) -> None:
    Validations.of(construct).acknowledge(Acknowledgment(id=rule, reason=reason))


def logical_id(construct: IConstruct) -> str:
    """The logical id of the resource behind an L2 construct, as findings name it."""
    return Stack.of(construct).get_logical_id(construct.node.default_child)  # type: ignore[arg-type]


def arn_seen_from(user: IConstruct, target: IConstruct) -> str:
    """How a finding on `user` names `target`'s ARN: its logical id in the same stack; from a nested stack, the
    parameter CDK passes it through, named like a logical id over the target's whole path (stack included):
    `referenceto{path without non-alphanumerics}{md5 of the path, 8 hex}Arn`."""
    if Stack.of(user).node.path == Stack.of(target).node.path:
        return f"{logical_id(target)}.Arn"
    path = target.node.default_child.node.path  # type: ignore[union-attr]
    parts = [part for part in path.split("/") if part not in ("Resource", "Default")]
    human = "".join(re.sub(r"[^A-Za-z0-9]", "", part) for part in parts)
    digest = hashlib.md5(path.encode(), usedforsecurity=False).hexdigest()[:8].upper()
    return f"referenceto{human}{digest}Arn"


def acknowledge_account_findings(stack: ApiGatewayAccountStack) -> None:
    acknowledge(
        stack.role,
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
        "API Gateway's account-level logging role; this AWS managed policy is the one API Gateway documents for it "
        "and it allows only creating and writing CloudWatch log groups and streams.",
    )


def acknowledge_findings(stack: MemoryStack) -> None:
    consumers = {"StreamIndexer": stack.indexer, "GraphProjector": stack.graph}
    for name, fn in stack.functions.items():
        if name not in consumers:
            acknowledge(fn.role, *XRAY)
    for name, consumer in consumers.items():
        role = consumer.function.role
        acknowledge(
            role,
            XRAY[0],
            XRAY[1] + " The event source mapping also needs dynamodb:ListStreams, which has no resource type either.",
        )
        for action in ("kms:ReEncrypt*", "kms:GenerateDataKey*"):
            acknowledge(
                role,
                f"AwsSolutions-IAM5[Action::{action}]",
                "Granted by the event source mapping's SQS on-failure destination (CDK SqsDlq) so the consumer can "
                "send to the dead-letter queue encrypted with the stack's key; limited to that key.",
            )
        acknowledge(
            consumer.dead_letters,
            "AwsSolutions-SQS3",
            f"This queue is itself the dead-letter destination of the stream consumer {name}.",
        )
    acknowledge(
        stack.cursor_secret,
        "AwsSolutions-SMG4",
        "The secret only signs pagination cursors. Rotating it invalidates cursors in flight (clients restart a "
        "listing) and is done by updating the secret value (docs/operations.md); no rotation Lambda is needed.",
    )

    ingest_role = stack.functions["LogIngest"].role
    bucket_id = logical_id(stack.ingestion.bucket)
    acknowledge(
        ingest_role,
        f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/conversations/*]",
        "The ingest function reads the conversation logs, whose keys are only known when they arrive, and tags each "
        "with its tenant's retention; the grants are GetObject and PutObjectTagging on the conversations/ prefix of "
        "this one bucket.",
    )
    for module in ("generate_episodes", "consolidate_conversations"):
        acknowledge(
            stack.jobs.functions[module].role,
            f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/conversations/*]",
            "This job step reads the user's stored conversation logs, whose keys are listed at run time; the grant is "
            "GetObject on the conversations/ prefix of this one bucket.",
        )
    for module in ("erase_logs", "verify_erasure"):
        for prefix in ("conversations", "exports"):
            acknowledge(
                stack.jobs.functions[module].role,
                f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/{prefix}/*]",
                f"Erasing a user deletes every version of the user's objects under {prefix}/, whose keys and versions "
                "are listed at run time; the grant is DeleteObject/DeleteObjectVersion/AbortMultipartUpload on that "
                "prefix of this bucket.",
            )
    acknowledge(
        stack.jobs.functions["export"].role,
        f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/exports/*]",
        "The export job writes each export file under exports/<tenant>/<user>/<operation id>.ndjson, named at run "
        "time; the grant is PutObject/AbortMultipartUpload on the exports/ prefix of this bucket.",
    )
    acknowledge(
        stack.retention.function.role,
        f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/conversations/*]",
        "The retention sweep deletes (every version of) the logs older than their tenant's retention, whose keys it "
        "lists at run time; the grant is DeleteObject/DeleteObjectVersion on the conversations/ prefix of this bucket.",
    )
    download = stack.functions["DownloadExport"].role
    acknowledge(
        download,
        f"AwsSolutions-IAM5[Resource::<{arn_seen_from(download, stack.ingestion.bucket)}>/exports/*]",
        "The download operation signs a time-limited URL for the export file the request names, whose key is known at "
        "run time; the grant is GetObject on the exports/ prefix of this bucket.",
    )
    turn = stack.functions["ConversationTurn"].role
    runs = stack.functions["SearchRuns"].role
    turn_why = (
        "A conversation turn appends to its thread's log (read, then a put conditioned on the version read, "
        "with its retention tag); the log's key is the turn's tenant, user and thread, known at run time. "
    )
    for role, why in (
        (turn, turn_why),
        (stack.functions["BackboardMessage"].role, "A Backboard thread message is a conversation turn: " + turn_why),
        (runs, "Previous runs are read from the user's conversation logs, listed at run time. "),
    ):
        acknowledge(
            role,
            f"AwsSolutions-IAM5[Resource::<{arn_seen_from(role, stack.ingestion.bucket)}>/conversations/*]",
            why + "The grant is limited to the conversations/ prefix of this one bucket.",
        )
    for kind, machine in stack.jobs.state_machines.items():
        acknowledge(
            machine.role,
            XRAY[0],
            XRAY[1] + " Step Functions' log delivery actions (logs:CreateLogDelivery and the like) have none either.",
        )
        for fn in stack.jobs.steps_of(kind):
            function_id = logical_id(fn.function)
            acknowledge(
                machine.role,
                f"AwsSolutions-IAM5[Resource::<{function_id}.Arn>:*]",
                "CDK's Lambda task grants invoke on the step function and its versions; the state machine may "
                "invoke its own job steps and nothing else.",
            )
    handler = next(c for c in stack.node.children if c.node.id.startswith("BucketNotificationsHandler"))
    acknowledge(
        handler,
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        "CDK's own deploy-time function that sets the bucket's event notifications; it only writes its logs and "
        "puts this bucket's notification configuration.",
    )

    provider = stack.search.provider
    framework = provider.node.find_child("framework-onEvent")
    acknowledge(
        framework,
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        "The CDK custom-resource Provider framework's own function; it only relays deploy events to the index "
        "creator and writes its logs.",
    )
    index_creator_id = logical_id(stack.functions["SearchIndexCreator"].function)
    acknowledge(
        framework,
        f"AwsSolutions-IAM5[Resource::<{index_creator_id}.Arn>:*]",
        "The Provider framework may invoke any version of the index-creator function, and nothing else.",
    )

    rest_api = stack.api.api
    for method in rest_api.methods:
        acknowledge(
            method,
            "AwsSolutions-COG4",
            "Callers are services holding API keys, not end users: every route but /healthz uses the REQUEST key "
            "authorizer (tenant and scopes from the hashed key in DynamoDB).",
        )
        if method.resource.path == "/healthz":
            acknowledge(
                method,
                "AwsSolutions-APIG4",
                "Public liveness probe for load balancers and uptime checks; answers only status and version.",
            )
