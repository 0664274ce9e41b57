"""The whole production system of one stage: composed from one construct per concern."""

from __future__ import annotations

from aws_cdk import CfnOutput, Duration, RemovalPolicy, Stack, Tags
from aws_cdk import aws_secretsmanager as secretsmanager

from constructs import Construct
from infra.config import StageConfig
from infra.constructs.api_functions import ApiFunctions, construct_id
from infra.constructs.chat_model import ChatModel
from infra.constructs.code import FunctionCode
from infra.constructs.encryption import DataKey
from infra.constructs.firewall import ApiFirewall
from infra.constructs.function import MemoryFunction
from infra.constructs.jobs import JobOrchestration, camel
from infra.constructs.log_ingestion import LogIngestion
from infra.constructs.monitoring import Monitoring
from infra.constructs.permissions import read_table
from infra.constructs.rest_api import RestApi
from infra.constructs.search import INDEX_NAME, SearchCollection
from infra.constructs.stream_indexer import StreamIndexer
from infra.constructs.table import MemoryTable


class MemoryStack(Stack):
    def __init__(self, scope: Construct, construct_id_: str, *, config: StageConfig, **kwargs: object) -> None:
        super().__init__(scope, construct_id_, **kwargs)  # type: ignore[arg-type]
        Tags.of(self).add("service", "agent-memory")
        Tags.of(self).add("stage", config.name)

        # Refuses, before anything else is built, a chat model the functions could not be granted or could not call.
        self.chat_model = ChatModel(self, "ChatModel", model_id=config.converse_model).model
        key = DataKey(self, "DataKey", config=config).key
        table = MemoryTable(self, "Memories", config=config, key=key).table
        search = SearchCollection(self, "Search", config=config, key=key)
        cursor_secret = secretsmanager.Secret(
            self,
            "CursorSecret",
            description="Signs pagination cursors (every function signs alike)",
            encryption_key=key,
            generate_secret_string=secretsmanager.SecretStringGenerator(exclude_punctuation=True, password_length=64),
            removal_policy=RemovalPolicy.DESTROY,
        )
        code = FunctionCode(self, "Code")
        environment = {
            "AGENT_MEMORY_TABLE_NAME": table.table_name,
            "AGENT_MEMORY_OPENSEARCH_ENDPOINT": search.endpoint,
            "AGENT_MEMORY_INDEX_NAME": INDEX_NAME,
            "AGENT_MEMORY_EMBEDDER": "titan",
            "AGENT_MEMORY_TITAN_DIMENSIONS": str(config.titan_dimensions),
            "AGENT_MEMORY_CONVERSE_MODEL": config.converse_model,
            "AGENT_MEMORY_CURSOR_SECRET_ARN": cursor_secret.secret_arn,
        }

        api_functions = ApiFunctions(
            self,
            "ApiFunctions",
            config=config,
            code=code,
            key=key,
            table=table,
            search=search,
            cursor_secret=cursor_secret,
            environment=environment,
        )
        authorizer = MemoryFunction(
            self,
            "Authorizer",
            config=config,
            code=code,
            key=key,
            handler="functions.auth.authorizer.handler",
            description="API key authorizer",
            environment=environment,
            timeout=Duration.seconds(10),
            snap_start=config.snap_start,
        )
        read_table(authorizer, table, key)
        indexer = StreamIndexer(
            self,
            "StreamIndexer",
            config=config,
            code=code,
            key=key,
            table=table,
            search=search,
            environment=environment,
        )
        index_creator = MemoryFunction(
            self,
            "SearchIndexCreator",
            config=config,
            code=code,
            key=key,
            handler="functions.deploy.search_index.handler",
            description="creates the OpenSearch index at deploy time",
            environment=environment,
            timeout=Duration.minutes(10),
        )
        search.grant(index_creator.role, write=True)
        ingestion = LogIngestion(
            self, "LogIngestion", config=config, code=code, key=key, table=table, search=search, environment=environment
        )
        jobs = JobOrchestration(
            self,
            "Jobs",
            config=config,
            code=code,
            key=key,
            table=table,
            search=search,
            bucket=ingestion.bucket,
            environment=environment,
        )
        machines = self.to_json_string({kind.value: sm.state_machine_arn for kind, sm in jobs.state_machines.items()})
        for operation, fn in api_functions.by_operation.items():
            if operation.starts_jobs:
                fn.function.add_environment("AGENT_MEMORY_JOB_STATE_MACHINES", machines)
                fn.allow(["states:StartExecution"], [sm.state_machine_arn for sm in jobs.state_machines.values()])
        search.seal_access()
        search.create_index_with(index_creator.function, config, key)

        api = RestApi(
            self, "Api", config=config, key=key, authorizer_function=authorizer, functions=api_functions.by_operation
        )
        ApiFirewall(self, "Firewall", config=config, stage_arn=api.api.deployment_stage.stage_arn)
        functions = {construct_id(op.name): fn for op, fn in api_functions.by_operation.items()}
        functions |= {
            "Authorizer": authorizer,
            "StreamIndexer": indexer.function,
            "SearchIndexCreator": index_creator,
            "LogIngest": ingestion.function,
        }
        functions |= {f"Job{camel(name)}": fn for name, fn in jobs.functions.items()}
        monitoring = Monitoring(
            self,
            "Monitoring",
            config=config,
            key=key,
            functions=functions,
            api=api.api,
            table=table,
            dead_letters={"StreamDeadLetters": indexer.dead_letters, "IngestDeadLetters": ingestion.dead_letters},
        )

        CfnOutput(self, "ApiUrl", value=api.api.url, description="Base URL of the API")
        CfnOutput(self, "UsagePlanId", value=api.usage_plan.usage_plan_id, description="AGENT_MEMORY_USAGE_PLAN_ID")
        CfnOutput(self, "TableName", value=table.table_name, description="AGENT_MEMORY_TABLE_NAME")
        CfnOutput(self, "SearchEndpoint", value=search.endpoint, description="AGENT_MEMORY_OPENSEARCH_ENDPOINT")
        CfnOutput(self, "CursorSecretArn", value=cursor_secret.secret_arn, description="AGENT_MEMORY_CURSOR_SECRET_ARN")
        CfnOutput(self, "ConversationBucket", value=ingestion.bucket.bucket_name, description="Drop logs here")
        CfnOutput(self, "AlarmTopicArn", value=monitoring.topic.topic_arn, description="Subscribe to get alarms")
        self.functions = functions
        self.table = table
        self.api = api
        self.search = search
        self.cursor_secret = cursor_secret
        self.dead_letters = indexer.dead_letters
        self.ingestion = ingestion
        self.jobs = jobs
