"""The aws backend: one DynamoDB table (a store per port), OpenSearch Serverless as the search projection (merged
with the table's recent writes), raw logs in S3, jobs on Step Functions, keys metered by API Gateway usage plans."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from agent_memory.adapters.aws.clients import AwsClients
from agent_memory.config import Config
from agent_memory.domain.errors import ConfigurationError

if TYPE_CHECKING:
    from agent_memory.adapters.aws.dynamo import DynamoStores
    from agent_memory.adapters.aws.dynamo.graph import DynamoGraph
    from agent_memory.adapters.aws.dynamo.idempotency import DynamoIdempotency
    from agent_memory.adapters.aws.dynamo.keys import DynamoKeys
    from agent_memory.adapters.aws.dynamo.memories import DynamoMemories
    from agent_memory.adapters.aws.dynamo.operations import DynamoOperations
    from agent_memory.adapters.aws.dynamo.recalls import DynamoRecalls
    from agent_memory.adapters.aws.dynamo.settings import DynamoSettings
    from agent_memory.adapters.aws.export_objects import S3Exports
    from agent_memory.adapters.aws.fresh_index import FreshIndex
    from agent_memory.adapters.aws.log_archive import S3Archive
    from agent_memory.adapters.aws.opensearch_index import OpenSearchIndex
    from agent_memory.adapters.aws.step_functions import StepFunctionsLauncher
    from agent_memory.ports import Embedder, UsageKeyRegistry
    from agent_memory.services.jobs.steps import JobSteps


class AwsBackend:
    def __init__(self, config: Config) -> None:
        self._config = config
        self.clients = AwsClients(config.region)
        self._opensearch: OpenSearchIndex | None = None

    @cached_property
    def stores(self) -> DynamoStores:
        from agent_memory.adapters.aws.dynamo import open_stores

        return open_stores(self._config.table_name, lambda: self.clients.client("dynamodb"))

    @property
    def memory_store(self) -> DynamoMemories:
        return self.stores.memories

    @property
    def settings_store(self) -> DynamoSettings:
        return self.stores.settings

    @property
    def key_store(self) -> DynamoKeys:
        return self.stores.keys

    @property
    def idempotency_store(self) -> DynamoIdempotency:
        return self.stores.idempotency

    @property
    def operation_store(self) -> DynamoOperations:
        return self.stores.operations

    @property
    def recall_log(self) -> DynamoRecalls:
        return self.stores.recalls

    @property
    def graph_store(self) -> DynamoGraph:
        return self.stores.graph

    @cached_property
    def archive(self) -> S3Archive:
        from agent_memory.adapters.aws.log_archive import S3Archive

        return S3Archive(lambda: self.clients.client("s3"), self._config.conversation_bucket)

    @cached_property
    def exports(self) -> S3Exports:
        from agent_memory.adapters.aws.export_objects import S3Exports

        return S3Exports(lambda: self.clients.client("s3"), self._config.conversation_bucket)

    @cached_property
    def key_registry(self) -> UsageKeyRegistry | None:
        if not self._config.usage_plan_id:
            return None
        from agent_memory.adapters.aws.usage_plans import UsagePlanKeys

        return UsagePlanKeys(lambda: self.clients.client("apigateway"), self._config.usage_plan_id)

    def opensearch(self, embedder: Embedder) -> OpenSearchIndex:
        """The OpenSearch projection itself (the stream indexer, reindex and the index's deployment write to it)."""
        from agent_memory.adapters.aws.opensearch_index import OpenSearchIndex, client_for

        if self._opensearch is not None:
            return self._opensearch
        endpoint = self._config.opensearch_endpoint
        if not endpoint:
            raise ConfigurationError("Set AGENT_MEMORY_OPENSEARCH_ENDPOINT to the collection's endpoint.")
        region = self.clients.region
        if not region:
            raise ConfigurationError("Set AGENT_MEMORY_REGION (or AWS_REGION) for SigV4 signing.")
        self._opensearch = OpenSearchIndex(
            lambda: client_for(endpoint, region),
            self._config.index_name,
            embedder.model_id,
            embedder.dimension,
            custom_ids=self._config.opensearch_custom_ids,
        )
        return self._opensearch

    def search_index(self, embedder: Embedder) -> FreshIndex:
        from agent_memory.adapters.aws.fresh_index import FreshIndex

        return FreshIndex(
            self.opensearch(embedder), self.memory_store, embedder.model_id, self._config.index_refresh_seconds
        )

    def projection(self, embedder: Embedder) -> OpenSearchIndex:
        return self.opensearch(embedder)

    def job_runner(self, steps: Callable[[], JobSteps]) -> StepFunctionsLauncher:
        from agent_memory.adapters.aws.step_functions import StepFunctionsLauncher

        return StepFunctionsLauncher(lambda: self.clients.client("stepfunctions"), self._config.job_state_machines)

    def cursor_secret(self) -> bytes:
        """Every function signs cursors alike: from the settings, or the stack's Secrets Manager secret."""
        if self._config.cursor_secret_arn:
            from agent_memory.adapters.aws.secrets import secret_value

            return secret_value(lambda: self.clients.client("secretsmanager"), self._config.cursor_secret_arn)
        raise ConfigurationError(
            "Set AGENT_MEMORY_CURSOR_SECRET or AGENT_MEMORY_CURSOR_SECRET_ARN: all functions sign cursors alike."
        )

    def close(self) -> None:
        return None  # boto3 clients hold no resources worth releasing
