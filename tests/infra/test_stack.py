"""Assertions on the synthesized CloudFormation: every resource the stack promises, and the IAM that matters."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aws_cdk import Stack
from infra.catalog import API_FUNCTIONS
from infra.constructs.api_functions import construct_id
from infra.constructs.code import POWERTOOLS_PARAMETER

from agent_memory.adapters.aws.dynamo.schema import table_definition
from agent_memory.domain.retention import RAW_LOG_RETENTION_DAYS, RETENTION_TAG
from tests.infra.conftest import Synthesized

DYNAMO_WRITES = {
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def statements(synth: Synthesized, role: Any) -> list[dict[str, Any]]:
    role_id = Stack.of(role).get_logical_id(role.node.default_child)
    found: list[dict[str, Any]] = []
    for policy in synth.of_type("AWS::IAM::Policy").values():
        if {"Ref": role_id} in policy["Properties"]["Roles"]:
            found.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return found


def actions(synth: Synthesized, role: Any) -> set[str]:
    return {action for s in statements(synth, role) for action in _as_list(s["Action"])}


def function_props(synth: Synthesized, name: str) -> dict[str, Any]:
    fn = synth.stack.functions[name].function
    return synth.resources[synth.logical_id(fn)]["Properties"]


# -- functions -------------------------------------------------------------------------------------------------------


def test_one_function_per_api_operation_with_its_handler_on_arm64_python(dev: Synthesized) -> None:
    for operation in API_FUNCTIONS:
        props = function_props(dev, construct_id(operation.name))
        assert props["Handler"] == f"functions.api.{operation.name}.handler"
        assert props["Runtime"] == "python3.14" and props["Architectures"] == ["arm64"]
        assert props["TracingConfig"] == {"Mode": "Active"}
        assert len(props["Layers"]) == 3  # Powertools, third-party packages, agent_memory
        assert props["Environment"]["Variables"]["AGENT_MEMORY_BACKEND"] == "aws"
        assert props["Environment"]["Variables"]["AGENT_MEMORY_EMBEDDER"] == "titan"
        assert "KmsKeyArn" in props


def test_powertools_layer_comes_from_its_public_ssm_parameter_at_deploy_time(dev: Synthesized) -> None:
    parameters = dev.document["Parameters"]
    ssm = [p for p in parameters.values() if p.get("Default") == POWERTOOLS_PARAMETER]
    assert len(ssm) == 1 and ssm[0]["Type"] == "AWS::SSM::Parameter::Value<String>"


def test_every_function_has_its_own_role_and_encrypted_log_group(dev: Synthesized) -> None:
    roles = {json.dumps(p["Properties"]["Role"]) for p in dev.of_type("AWS::Lambda::Function").values()}
    assert len(roles) == len(dev.of_type("AWS::Lambda::Function"))
    for name in dev.stack.functions:
        props = function_props(dev, name)
        assert "LoggingConfig" in props and "LogGroup" in props["LoggingConfig"]
    for log_group in dev.of_type("AWS::Logs::LogGroup").values():
        assert "KmsKeyId" in log_group["Properties"] and log_group["Properties"]["RetentionInDays"] == 14


def test_no_function_role_uses_a_managed_policy_or_a_wildcard_beyond_xray(dev: Synthesized) -> None:
    for name, fn in dev.stack.functions.items():
        role = dev.resources[dev.logical_id(fn.role)]["Properties"]
        assert "ManagedPolicyArns" not in role, name
        for statement in statements(dev, fn.role):
            if "*" in _as_list(statement["Resource"]):
                # Only actions that have no resource type at all
                stream_consumers = {"StreamIndexer", "GraphProjector"}
                wildcard_only = {"dynamodb:ListStreams"} if name in stream_consumers else set()
                for action in _as_list(statement["Action"]):
                    assert action.startswith("xray:") or action in wildcard_only, (name, statement)


@pytest.mark.parametrize("operation", [op for op in API_FUNCTIONS if op.read_only], ids=lambda op: op.name)
def test_read_only_functions_cannot_write_the_table(dev: Synthesized, operation) -> None:
    role = dev.stack.functions[construct_id(operation.name)].role
    granted = actions(dev, role)
    if operation.counts_recalls:
        # Then the one write is UpdateItem (with its ConditionCheck), limited to the recall counter and the recall
        # record (what was returned), so it can change nothing a memory holds
        assert granted & DYNAMO_WRITES == {"dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"}
        update = next(s for s in statements(dev, role) if "dynamodb:UpdateItem" in _as_list(s["Action"]))
        allowed = update["Condition"]["ForAllValues:StringEquals"]["dynamodb:Attributes"]
        assert allowed == ["pk", "sk", "access_count", "memory_ids", "recalled_at"]
    else:
        assert not granted & DYNAMO_WRITES, granted & DYNAMO_WRITES


def test_the_graph_projector_may_touch_only_user_partitions(dev: Synthesized) -> None:
    table_statements = [
        s
        for s in statements(dev, dev.stack.functions["GraphProjector"].role)
        if any(str(a).startswith("dynamodb:") and a != "dynamodb:ListStreams" for a in _as_list(s["Action"]))
        and "dynamodb:GetRecords" not in _as_list(s["Action"])
    ]
    assert table_statements
    for statement in table_statements:
        assert statement["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"] == ["U#*"], statement
        assert not {"dynamodb:Scan", "dynamodb:UpdateItem"} & set(_as_list(statement["Action"]))


def test_the_search_function_cannot_put_or_delete(dev: Synthesized) -> None:
    granted = actions(dev, dev.stack.functions["SearchMemories"].role)
    assert "dynamodb:PutItem" not in granted and "dynamodb:DeleteItem" not in granted
    assert {"dynamodb:Query", "bedrock:InvokeModel", "aoss:APIAccessAll"} <= granted


@pytest.mark.parametrize("operation", [op for op in API_FUNCTIONS if op.writes], ids=lambda op: op.name)
def test_writers_can_write(dev: Synthesized, operation) -> None:
    assert {"dynamodb:PutItem", "dynamodb:DeleteItem"} <= actions(
        dev, dev.stack.functions[construct_id(operation.name)].role
    )


def test_each_permission_goes_only_to_the_functions_that_need_it(dev: Synthesized) -> None:
    for operation in API_FUNCTIONS:
        granted = actions(dev, dev.stack.functions[construct_id(operation.name)].role)
        assert ("bedrock:InvokeModel" in granted) is operation.embeds, operation.name
        assert ("aoss:APIAccessAll" in granted) is operation.searches, operation.name
        assert ("secretsmanager:GetSecretValue" in granted) is operation.signs_cursors, operation.name
        assert ("dynamodb:Query" in granted) is not operation.public, operation.name
        bedrock = json.dumps(
            [
                s["Resource"]
                for s in statements(dev, dev.stack.functions[construct_id(operation.name)].role)
                if s["Action"] == "bedrock:InvokeModel"
            ]
        )
        assert ("anthropic.claude" in bedrock) is operation.extracts, operation.name
    bedrock = next(
        s for s in statements(dev, dev.stack.functions["CreateMemory"].role) if s["Action"] == "bedrock:InvokeModel"
    )
    assert "foundation-model/amazon.titan-embed-text-v2:0" in json.dumps(bedrock["Resource"])


def test_the_authorizer_reads_keys_and_nothing_else(dev: Synthesized) -> None:
    granted = actions(dev, dev.stack.functions["Authorizer"].role)
    assert not granted & DYNAMO_WRITES
    assert "bedrock:InvokeModel" not in granted and "aoss:APIAccessAll" not in granted


# -- data ------------------------------------------------------------------------------------------------------------


def test_table_matches_the_adapter_definition_with_stream_pitr_ttl_and_cmk(dev: Synthesized) -> None:
    (table,) = dev.of_type("AWS::DynamoDB::Table").values()
    props = table["Properties"]
    definition = table_definition("x")
    assert props["KeySchema"] == definition["KeySchema"]
    assert [i["IndexName"] for i in props["GlobalSecondaryIndexes"]] == ["gsi1"]
    assert props["GlobalSecondaryIndexes"][0]["KeySchema"] == definition["GlobalSecondaryIndexes"][0]["KeySchema"]
    assert props["LocalSecondaryIndexes"][0]["KeySchema"] == definition["LocalSecondaryIndexes"][0]["KeySchema"]
    # And the indexes project what the adapter reads from them, never the vector
    assert props["GlobalSecondaryIndexes"][0]["Projection"] == definition["GlobalSecondaryIndexes"][0]["Projection"]
    assert props["LocalSecondaryIndexes"][0]["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert props["SSESpecification"]["SSEType"] == "KMS" and "KMSMasterKeyId" in props["SSESpecification"]


def test_prod_protects_data_and_dev_stays_disposable(dev: Synthesized, prod: Synthesized) -> None:
    (dev_table,) = dev.of_type("AWS::DynamoDB::Table").values()
    (prod_table,) = prod.of_type("AWS::DynamoDB::Table").values()
    assert prod_table["Properties"]["DeletionProtectionEnabled"] is True
    assert prod_table["DeletionPolicy"] == "Retain"
    assert dev_table["Properties"].get("DeletionProtectionEnabled") is False
    assert dev_table["DeletionPolicy"] == "Delete"
    for key in prod.of_type("AWS::KMS::Key").values():
        assert key["Properties"]["EnableKeyRotation"] is True and key["DeletionPolicy"] == "Retain"


def test_search_collection_has_encryption_network_and_data_access_policies(dev: Synthesized) -> None:
    (collection,) = dev.of_type("AWS::OpenSearchServerless::Collection").values()
    assert collection["Properties"]["Type"] == "VECTORSEARCH"
    assert collection["Properties"]["StandbyReplicas"] == "DISABLED"
    policies = {p["Properties"]["Type"]: p for p in dev.of_type("AWS::OpenSearchServerless::SecurityPolicy").values()}
    assert set(policies) == {"encryption", "network"}
    assert "KmsARN" in json.dumps(policies["encryption"]["Properties"]["Policy"])
    (access,) = dev.of_type("AWS::OpenSearchServerless::AccessPolicy").values()
    document = json.dumps(dev.resolved(access["Properties"]["Policy"]))
    for name in ("SearchMemories", "RelatedMemories", "StreamIndexer", "SearchIndexCreator"):
        assert dev.logical_id(dev.stack.functions[name].role) in document, name
    # And the index is created at deploy time, after the collection and its access policy
    (index,) = dev.of_type("Custom::OpenSearchIndex").values()
    assert index["Properties"]["IndexName"] == "memories"


def test_prod_search_keeps_standby_replicas(prod: Synthesized) -> None:
    (collection,) = prod.of_type("AWS::OpenSearchServerless::Collection").values()
    assert collection["Properties"]["StandbyReplicas"] == "ENABLED"


def test_stream_indexer_retries_bisects_and_dead_letters(dev: Synthesized) -> None:
    fn_id = dev.logical_id(dev.stack.functions["StreamIndexer"].function)
    (mapping,) = [m for m in dev.of_type("AWS::Lambda::EventSourceMapping").values()
                  if m["Properties"]["FunctionName"] == {"Ref": fn_id}]  # fmt: skip
    props = mapping["Properties"]
    assert props["BisectBatchOnFunctionError"] is True
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert "OnFailure" in props["DestinationConfig"]
    for queue in dev.of_type("AWS::SQS::Queue").values():
        assert "KmsMasterKeyId" in queue["Properties"]


# -- API -------------------------------------------------------------------------------------------------------------


def test_api_uses_the_key_authorizer_as_api_key_source_for_either_key_header(dev: Synthesized) -> None:
    (api,) = dev.of_type("AWS::ApiGateway::RestApi").values()
    assert api["Properties"]["ApiKeySourceType"] == "AUTHORIZER"
    (authorizer,) = dev.of_type("AWS::ApiGateway::Authorizer").values()
    assert authorizer["Properties"]["Type"] == "REQUEST"
    # Given a key may come as X-API-Key or as Authorization: Bearer, no header may be an identity source (API Gateway
    # refuses without invoking the authorizer when one is missing), so no answer is cached either
    assert not authorizer["Properties"].get("IdentitySource")
    assert authorizer["Properties"]["AuthorizerResultTtlInSeconds"] == 0
    for method in dev.of_type("AWS::ApiGateway::Method").values():
        assert "method.request.header.X-API-Key" not in method["Properties"].get("RequestParameters", {})


def test_every_route_is_wired_and_all_but_health_need_a_key(dev: Synthesized) -> None:
    methods = dev.of_type("AWS::ApiGateway::Method").values()
    assert len(methods) == len(API_FUNCTIONS)
    for method in methods:
        props = method["Properties"]
        if props["AuthorizationType"] == "NONE":
            assert props["HttpMethod"] == "GET" and "ApiKeyRequired" not in props
            continue
        assert props["AuthorizationType"] == "CUSTOM" and props["ApiKeyRequired"] is True
        assert props["Integration"]["Type"] == "AWS_PROXY"


def test_stage_has_access_logs_throttling_and_tracing(dev: Synthesized) -> None:
    (stage,) = dev.of_type("AWS::ApiGateway::Stage").values()
    props = stage["Properties"]
    assert "DestinationArn" in props["AccessLogSetting"] and "requestId" in props["AccessLogSetting"]["Format"]
    assert props["TracingEnabled"] is True
    settings = props["MethodSettings"][0]
    assert settings["ThrottlingRateLimit"] == 50 and settings["ThrottlingBurstLimit"] == 100
    assert settings["DataTraceEnabled"] is False
    (plan,) = dev.of_type("AWS::ApiGateway::UsagePlan").values()
    assert plan["Properties"]["Quota"] == {"Limit": 100_000, "Period": "DAY"}


def test_gateway_refusals_are_problem_json(dev: Synthesized) -> None:
    responses = dev.of_type("AWS::ApiGateway::GatewayResponse").values()
    by_type = {r["Properties"]["ResponseType"]: r["Properties"] for r in responses}
    assert {"UNAUTHORIZED", "ACCESS_DENIED", "THROTTLED", "QUOTA_EXCEEDED", "WAF_FILTERED"} <= set(by_type)
    assert by_type["ACCESS_DENIED"]["StatusCode"] == "401"
    for props in by_type.values():
        assert props["ResponseParameters"] == {"gatewayresponse.header.Content-Type": "'application/problem+json'"}
        template = props["ResponseTemplates"]["application/json"]
        # $context variables become text at run time: with stand-ins the template is a JSON problem document
        sample = template.replace("$context.error.messageString", '"a message"').replace("$context.", "")
        document = json.loads(sample)
        assert set(document) >= {"type", "title", "detail", "code"}


def test_waf_guards_the_stage_with_size_rate_and_managed_rules(dev: Synthesized) -> None:
    (acl,) = dev.of_type("AWS::WAFv2::WebACL").values()
    names = [rule["Name"] for rule in acl["Properties"]["Rules"]]
    assert names == [
        "BodyOverSizeLimit",
        "RatePerIp",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
    ]
    (association,) = dev.of_type("AWS::WAFv2::WebACLAssociation").values()
    stage_id = dev.logical_id(dev.stack.api.api.deployment_stage)
    assert json.dumps(["/stages/", {"Ref": stage_id}])[1:-1] in json.dumps(association["Properties"]["ResourceArn"])


@pytest.mark.parametrize("limit", [262_144, 1000, 999, 9, 8, 1_048_576])
def test_the_size_pattern_matches_exactly_the_numbers_over_the_limit(limit: int) -> None:
    from infra.constructs.firewall import over_limit_pattern

    pattern = re.compile(over_limit_pattern(limit))
    for value in [*range(max(0, limit - 1200), limit + 1200), limit * 10, limit * 10 - 1, 10**9]:
        assert bool(pattern.match(str(value))) is (value > limit), value


# -- SnapStart, monitoring, outputs ------------------------------------------------------------------------------------


def test_prod_api_functions_run_on_snapstart_behind_a_live_alias(dev: Synthesized, prod: Synthesized) -> None:
    for operation in API_FUNCTIONS:
        assert function_props(prod, construct_id(operation.name))["SnapStart"] == {"ApplyOn": "PublishedVersions"}
        assert "SnapStart" not in function_props(dev, construct_id(operation.name))
    aliases = prod.of_type("AWS::Lambda::Alias")
    assert len(aliases) == len(API_FUNCTIONS) + 1  # and the authorizer
    integrations = json.dumps(
        prod.resolved([m["Properties"]["Integration"] for m in prod.of_type("AWS::ApiGateway::Method").values()])
    )
    assert all(alias in integrations for alias in aliases if "Authorizer" not in alias)


def test_alarms_on_errors_and_throttles_of_every_function_and_a_dashboard(prod: Synthesized) -> None:
    alarms = prod.of_type("AWS::CloudWatch::Alarm").values()
    dimensions = [json.dumps(prod.resolved(a["Properties"].get("Dimensions"))) for a in alarms]
    metrics = list(zip((a["Properties"].get("MetricName") for a in alarms), dimensions, strict=True))
    for name, fn in prod.stack.functions.items():
        fn_id = prod.logical_id(fn.function)
        assert any(m == "Errors" and fn_id in d for m, d in metrics), name
        assert any(m == "Throttles" and fn_id in d for m, d in metrics), name
    assert any(m == "ApproximateNumberOfMessagesVisible" for m, _ in metrics)
    # Both stream consumers alarm when their records wait longer than the erasure's settle wait
    for name in ("StreamIndexer", "GraphProjector"):
        fn_id = prod.logical_id(prod.stack.functions[name].function)
        (lag,) = [a["Properties"] for a, d in zip(alarms, dimensions, strict=True)
                  if a["Properties"].get("MetricName") == "IteratorAge" and fn_id in d]  # fmt: skip
        assert lag["Statistic"] == "Maximum" and lag["Threshold"] == 60_000
    assert all(a["Properties"]["AlarmActions"] for a in alarms)
    assert len(prod.of_type("AWS::CloudWatch::Dashboard")) == 1
    (topic,) = prod.of_type("AWS::SNS::Topic").values()
    assert "KmsMasterKeyId" in topic["Properties"]
    assert len(prod.of_type("AWS::SNS::Subscription")) == 1


def test_outputs_name_what_the_operator_needs(dev: Synthesized) -> None:
    outputs = dev.document["Outputs"]
    assert {"ApiUrl", "UsagePlanId", "TableName", "SearchEndpoint", "CursorSecretArn", "AlarmTopicArn"} <= set(outputs)


# -- conversation-log ingestion ----------------------------------------------------------------------------------------


def test_log_bucket_is_encrypted_versioned_tls_only_private_and_ages_raw_logs(dev: Synthesized) -> None:
    bucket_id = dev.logical_id(dev.stack.ingestion.bucket)
    props = dev.resources[bucket_id]["Properties"]
    rule = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms" and rule["BucketKeyEnabled"] is True
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True,
    }  # fmt: skip
    assert "LoggingConfiguration" in props
    rules = {rule["Id"]: rule for rule in props["LifecycleConfiguration"]["Rules"]}
    lifecycle = rules.pop("raw-logs-age")
    exports = rules.pop("exports-expire")  # export files (a user's data) go after a week
    assert exports["Prefix"] == "exports/" and exports["ExpirationInDays"] == 7
    assert lifecycle["Prefix"] == "conversations/"
    assert [t["StorageClass"] for t in lifecycle["Transitions"]] == ["STANDARD_IA", "GLACIER_IR"]
    # One expiry rule per raw-log retention period a tenant may choose, acting on the tag the ingest function sets
    assert sorted(rule["ExpirationInDays"] for rule in rules.values()) == list(RAW_LOG_RETENTION_DAYS)
    for rule in rules.values():
        assert rule["Prefix"] == "conversations/" and rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 1}
        assert rule["TagFilters"] == [{"Key": RETENTION_TAG, "Value": str(rule["ExpirationInDays"])}]
    policies = [
        p for p in dev.of_type("AWS::S3::BucketPolicy").values() if p["Properties"]["Bucket"] == {"Ref": bucket_id}
    ]
    statements_ = policies[0]["Properties"]["PolicyDocument"]["Statement"]
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in statements_
    )


def test_logs_reach_the_ingest_function_through_a_queue_with_a_dead_letter_queue(dev: Synthesized) -> None:
    ingestion = dev.stack.ingestion
    queue = dev.resources[dev.logical_id(ingestion.queue)]["Properties"]
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 5
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {
        "Fn::GetAtt": [dev.logical_id(ingestion.dead_letters), "Arn"]
    }
    assert "KmsMasterKeyId" in queue and queue["VisibilityTimeout"] == 1800
    (notification,) = dev.of_type("Custom::S3BucketNotifications").values()
    (config,) = notification["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
    assert config["Events"] == ["s3:ObjectCreated:*"]
    assert config["Filter"]["Key"]["FilterRules"] == [{"Name": "prefix", "Value": "conversations/"}]
    fn_id = dev.logical_id(dev.stack.functions["LogIngest"].function)
    (mapping,) = [m for m in dev.of_type("AWS::Lambda::EventSourceMapping").values()
                  if m["Properties"]["FunctionName"] == {"Ref": fn_id}]  # fmt: skip
    assert mapping["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    # And the dead-letter queue alarms as soon as anything lands there
    alarms = [a["Properties"] for a in dev.of_type("AWS::CloudWatch::Alarm").values()]
    dlq_id = dev.logical_id(ingestion.dead_letters)
    assert any(
        a.get("MetricName") == "ApproximateNumberOfMessagesVisible"
        and dlq_id in json.dumps(dev.resolved(a["Dimensions"]))
        and a["Threshold"] == 1
        for a in alarms
    )


def test_the_ingest_function_reads_logs_and_cannot_write_them(dev: Synthesized) -> None:
    role = dev.stack.functions["LogIngest"].role
    granted = actions(dev, role)
    assert {"s3:GetObject", "dynamodb:PutItem", "bedrock:InvokeModel", "sqs:SendMessage"} <= granted
    # Reading, and tagging a log with its tenant's retention period; never writing or deleting one
    reads = {"s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:PutObjectTagging"}
    assert not {a for a in granted if a.startswith("s3:") and a not in reads}
    s3_statement = next(s for s in statements(dev, role) if "s3:GetObject" in _as_list(s["Action"]))
    assert "/conversations/*" in json.dumps(s3_statement["Resource"])


def test_the_ingest_function_may_list_the_logs_prefix_only(dev: Synthesized) -> None:
    # Without ListBucket, S3 answers AccessDenied for a log deleted before it is read, and it was dead-lettered
    bucket_id = dev.logical_id(dev.stack.ingestion.bucket)
    (listing,) = [s for s in statements(dev, dev.stack.functions["LogIngest"].role) if s["Action"] == "s3:ListBucket"]
    assert listing["Resource"] == {"Fn::GetAtt": [bucket_id, "Arn"]}
    assert listing["Condition"] == {"StringLike": {"s3:prefix": ["conversations/*"]}}


# -- jobs ------------------------------------------------------------------------------------------------------------


def test_only_the_start_job_function_may_start_executions_and_only_of_the_job_machines(dev: Synthesized) -> None:
    machine_ids = {dev.logical_id(sm) for sm in dev.stack.jobs.state_machines.values()}
    for operation in API_FUNCTIONS:
        fn = dev.stack.functions[construct_id(operation.name)]
        starts = [s for s in statements(dev, fn.role) if s["Action"] == "states:StartExecution"]
        assert bool(starts) is operation.starts_jobs, operation.name
        if operation.starts_jobs:
            assert {r["Ref"] for r in dev.resolved(starts[0]["Resource"])} == machine_ids
            variables = function_props(dev, construct_id(operation.name))["Environment"]["Variables"]
            assert "AGENT_MEMORY_JOB_STATE_MACHINES" in variables


def test_each_job_step_gets_only_what_its_phase_touches(dev: Synthesized) -> None:
    steps = dev.stack.jobs.functions
    granted = {name: actions(dev, fn.role) for name, fn in steps.items()}
    for name in ("begin", "finish", "fail"):
        assert not granted[name] & {"bedrock:InvokeModel", "aoss:APIAccessAll", "s3:GetObject"}, name
        assert {"dynamodb:Query", "dynamodb:PutItem"} <= granted[name], name
    assert "aoss:APIAccessAll" in granted["reindex"] and "s3:GetObject" not in granted["reindex"]
    assert "s3:GetObject" in granted["generate_episodes"] and "s3:GetObject" in granted["consolidate_conversations"]
    assert (
        "s3:GetObject" not in granted["resolve_duplicates"] and "aoss:APIAccessAll" not in granted["backfill_entities"]
    )
    # Only the export step writes to the bucket (its exports/ prefix); only the erasure steps delete from it
    assert {name for name, actions_ in granted.items() if "s3:PutObject" in actions_} == {"export"}
    assert {name for name, actions_ in granted.items() if "s3:DeleteObjectVersion" in actions_} == {
        "erase_logs",
        "verify_erasure",
    }
    (put,) = [s for s in statements(dev, steps["export"].role) if "s3:PutObject" in _as_list(s["Action"])]
    assert "/exports/*" in json.dumps(put["Resource"]) and "/conversations/" not in json.dumps(put["Resource"])


def test_the_retention_sweep_runs_daily_and_may_only_delete_logs_not_read_them(dev: Synthesized) -> None:
    sweep = dev.stack.retention.function
    (rule,) = [r for r in dev.of_type("AWS::Events::Rule").values() if "retention" in r["Properties"]["Description"]]
    assert rule["Properties"]["ScheduleExpression"] == "rate(1 day)"
    assert rule["Properties"]["Targets"][0]["Arn"] == {"Fn::GetAtt": [dev.logical_id(sweep.function), "Arn"]}
    granted = actions(dev, sweep.role)
    assert {"s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ListBucketVersions"} <= granted
    assert "s3:GetObject" not in granted
