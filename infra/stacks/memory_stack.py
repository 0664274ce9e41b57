"""The whole production system of one stage: composed from one construct per concern, which share `MemoryProps`."""

from __future__ import annotations

from aws_cdk import CfnOutput, Duration, Stack, Tags
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs

from agent_memory.contract import SERVICE_NAME, env_name
from constructs import Construct
from infra.config import StageConfig
from infra.constructs.api_functions import ApiFunctions
from infra.constructs.chat_model import ChatModel
from infra.constructs.firewall import ApiFirewall
from infra.constructs.function import FunctionSpec, MemoryFunction
from infra.constructs.jobs import JobOrchestration
from infra.constructs.log_ingestion import LogIngestion
from infra.constructs.monitoring import MonitoringStack
from infra.constructs.permissions import project_graph, read_table
from infra.constructs.props import MemoryProps
from infra.constructs.rest_api import RestApi
from infra.constructs.retention import RetentionSweep, add_raw_log_retention_rules
from infra.constructs.search import SearchCollection
from infra.constructs.stream_indexer import GRAPH_PROJECTOR, INDEXER, StreamConsumer

AUTHORIZER = FunctionSpec(
    handler="functions.auth.authorizer.handler",
    description="API key authorizer",
    timeout=Duration.seconds(10),
    snap_start=True,
)
INDEX_CREATOR = FunctionSpec(
    handler="functions.deploy.search_index.handler",
    description="creates the OpenSearch index at deploy time",
    timeout=Duration.minutes(10),
)


class MemoryStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig, **kwargs: object) -> None:
        super().__init__(scope, construct_id, **kwargs)  # type: ignore[arg-type]
        Tags.of(self).add("service", SERVICE_NAME)
        Tags.of(self).add("stage", config.name)
        # Refuses, before anything else is built, a chat model the functions could not be granted or could not call.
        self.chat_model = ChatModel(self, "ChatModel", model_id=config.converse_model).model
        self.props = props = MemoryProps.create(self, config)
        api_functions = ApiFunctions(self, "ApiFunctions", props)
        authorizer = props.functions.build(self, "Authorizer", AUTHORIZER)
        read_table(authorizer, props.table, props.key)
        self.indexer = StreamConsumer(self, "StreamIndexer", props, spec=INDEXER, function_id="Indexer")
        props.search.grant(self.indexer.function.role, write=True)
        self.graph = StreamConsumer(self, "GraphProjector", props, spec=GRAPH_PROJECTOR, function_id="Projector")
        project_graph(self.graph.function, props.table, props.key)
        index_creator = props.functions.build(self, "SearchIndexCreator", INDEX_CREATOR)
        props.search.grant(index_creator.role, write=True)
        self.ingestion = LogIngestion(self, "LogIngestion", props)
        self.jobs = JobOrchestration(self, "Jobs", props, bucket=self.ingestion.bucket)
        api_functions.start_jobs_on(self.jobs.state_machines)
        api_functions.use_bucket(self.ingestion.bucket, props.key)
        add_raw_log_retention_rules(self.ingestion.bucket)
        self.retention = RetentionSweep(self, "Retention", props, bucket=self.ingestion.bucket)
        props.search.create_index_with(index_creator.function)
        self.api = RestApi(self, "Api", props, authorizer_function=authorizer, functions=api_functions.by_operation)
        ApiFirewall(self, "Firewall", config=config, stage_arn=self.api.api.deployment_stage.stage_arn)
        dead_letters = {
            "StreamDeadLetters": self.dead_letters,
            "GraphDeadLetters": self.graph.dead_letters,
            "IngestDeadLetters": self.ingestion.dead_letters,
        }
        self.monitoring = MonitoringStack(
            self,
            "Observability",
            props,
            api=self.api.api,
            dead_letters=dead_letters,
            stream_consumers=("StreamIndexer", "GraphProjector"),
        ).monitoring
        self._outputs()

    def _outputs(self) -> None:
        props, bucket = self.props, self.ingestion.bucket
        for name, value, description in (
            ("ApiUrl", self.api.api.url, "Base URL of the API"),
            ("UsagePlanId", self.api.usage_plan.usage_plan_id, env_name("usage_plan_id")),
            ("TableName", props.table.table_name, env_name("table_name")),
            ("SearchEndpoint", props.search.endpoint, env_name("opensearch_endpoint")),
            ("CursorSecretArn", props.cursor_secret.secret_arn, env_name("cursor_secret_arn")),
            ("ConversationBucket", bucket.bucket_name, "Drop logs here"),
            ("AlarmTopicArn", self.monitoring.topic.topic_arn, "Subscribe to get alarms"),
        ):
            CfnOutput(self, name, value=value, description=description)

    # What tests, acknowledgments and operators look up on the stack.
    @property
    def functions(self) -> dict[str, MemoryFunction]:
        """Every function of the stage, by the name its alarms carry."""
        return self.props.functions.built

    @property
    def table(self) -> dynamodb.ITable:
        return self.props.table

    @property
    def search(self) -> SearchCollection:
        return self.props.search

    @property
    def cursor_secret(self) -> secretsmanager.ISecret:
        return self.props.cursor_secret

    @property
    def dead_letters(self) -> sqs.IQueue:
        return self.indexer.dead_letters
