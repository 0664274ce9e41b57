"""Composition root: builds the adapters that the settings name and wires them into services.

Nothing is opened until first use, so importing or constructing a Runtime does no I/O.
"""

from __future__ import annotations

import os
import secrets
import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent_memory.config import Config
from agent_memory.domain.errors import ConfigurationError

# Adapters and services are imported where they are built: a Lambda function pays only for what it uses.
if TYPE_CHECKING:
    from agent_memory.adapters.aws.dynamo import DynamoStores
    from agent_memory.adapters.aws.dynamo.memories import DynamoMemories
    from agent_memory.adapters.aws.dynamo.operations import DynamoOperations
    from agent_memory.adapters.aws.opensearch_index import OpenSearchIndex
    from agent_memory.adapters.local.events import InProcessEventPublisher
    from agent_memory.adapters.local.sqlite import SqliteStores
    from agent_memory.adapters.local.sqlite.memories import SqliteMemories
    from agent_memory.adapters.local.sqlite.operations import SqliteOperations
    from agent_memory.domain.cursor import CursorCodec
    from agent_memory.entry.local_worker import LocalJobWorker
    from agent_memory.entry.log_ingest import S3LogIngest
    from agent_memory.entry.stream_indexer import StreamIndexer
    from agent_memory.ports import (
        ConversationArchive,
        Curator,
        Embedder,
        Extractor,
        IdempotencyStore,
        JobRunner,
        KeyStore,
        SearchIndex,
        SettingsStore,
    )
    from agent_memory.services.conversations import ConversationService
    from agent_memory.services.idempotency import IdempotencyService
    from agent_memory.services.ingestion import IngestionService
    from agent_memory.services.jobs.steps import JobSteps
    from agent_memory.services.keys import KeyService
    from agent_memory.services.memories import MemoryService
    from agent_memory.services.operations import OperationService
    from agent_memory.services.search import SearchService
    from agent_memory.services.settings import SettingsService

DEV_KEY_FILE = "dev-api-key"
CURSOR_SECRET_FILE = "cursor-secret"


def write_private_file(path: Path, text: str) -> None:
    """Create (or replace) a file readable by its owner only, never world-readable even for an instant."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    path.chmod(0o600)


class Runtime:
    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self._lock = threading.Lock()

    @property
    def is_aws(self) -> bool:
        return self.config.backend == "aws"

    def aws_client(self, service: str) -> Any:
        """A boto3 client for the configured region with standard retries (throttling backs off before failing)."""
        import boto3
        from botocore.config import Config as BotoConfig

        retries = BotoConfig(retries={"mode": "standard", "max_attempts": 4})
        return boto3.client(service, region_name=self.config.region, config=retries)  # type: ignore[call-overload]

    @cached_property
    def store(self) -> SqliteMemories | DynamoMemories:
        """The MemoryStore."""
        if self.is_aws:
            return self.dynamo.memories
        return self.sqlite.memories

    @cached_property
    def sqlite(self) -> SqliteStores:
        """The local backend's stores, one per port, over one SQLite file."""
        from agent_memory.adapters.local.sqlite import open_stores

        return open_stores(self.config.database_path)

    @cached_property
    def dynamo(self) -> DynamoStores:
        """The aws backend's stores, one per port, over one DynamoDB table."""
        from agent_memory.adapters.aws.dynamo import open_stores

        return open_stores(self.config.table_name, lambda: self.aws_client("dynamodb"))

    @property
    def settings_store(self) -> SettingsStore:
        return self.dynamo.settings if self.is_aws else self.sqlite.settings

    @property
    def key_store(self) -> KeyStore:
        return self.dynamo.keys if self.is_aws else self.sqlite.keys

    @property
    def idempotency_store(self) -> IdempotencyStore:
        return self.dynamo.idempotency if self.is_aws else self.sqlite.idempotency

    @cached_property
    def events(self) -> InProcessEventPublisher:
        from agent_memory.adapters.local.events import InProcessEventPublisher

        return InProcessEventPublisher()

    def _cursor_secret(self) -> bytes:
        if self.config.cursor_secret is not None:
            return self.config.cursor_secret.get_secret_value().encode()
        if self.is_aws and self.config.cursor_secret_arn:
            return self._secret_from_secrets_manager(self.config.cursor_secret_arn)
        if self.is_aws:
            raise ConfigurationError(
                "Set AGENT_MEMORY_CURSOR_SECRET or AGENT_MEMORY_CURSOR_SECRET_ARN: all functions sign cursors alike."
            )
        path = self.config.data_dir / CURSOR_SECRET_FILE
        with self._lock:
            if not path.exists():
                write_private_file(path, secrets.token_hex(32))
            return path.read_text(encoding="utf-8").strip().encode()

    def _secret_from_secrets_manager(self, arn: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        from agent_memory.domain.errors import StoreUnavailable

        try:
            answer = self.aws_client("secretsmanager").get_secret_value(SecretId=arn)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in {"ThrottlingException", "InternalServiceError"}:
                raise StoreUnavailable("Secrets Manager is unavailable; retry shortly.") from None
            raise ConfigurationError(f"The cursor secret cannot be read ({code}).") from None
        except BotoCoreError as exc:
            raise StoreUnavailable(f"Secrets Manager could not be reached ({type(exc).__name__}).") from None
        return str(answer["SecretString"]).encode()

    @cached_property
    def cursors(self) -> CursorCodec:
        from agent_memory.domain.cursor import CursorCodec

        return CursorCodec(self._cursor_secret)

    @cached_property
    def settings(self) -> SettingsService:
        from agent_memory.services.settings import SettingsService

        return SettingsService(self.settings_store)

    @cached_property
    def embedder(self) -> Embedder:
        if self.config.embedder_name == "titan":
            from agent_memory.adapters.aws.bedrock import TitanEmbedder

            return TitanEmbedder(
                lambda: self.aws_client("bedrock-runtime"),
                dimension=self.config.titan_dimensions,
                max_concurrency=self.config.bedrock_embedding_concurrency,
            )
        from agent_memory.adapters.local.embedders import build_embedder

        return build_embedder(self.config.embedder_name)

    @cached_property
    def opensearch(self) -> OpenSearchIndex:
        """The OpenSearch projection itself (the stream indexer and reindex write to it)."""
        from agent_memory.adapters.aws.opensearch_index import OpenSearchIndex, client_for

        endpoint = self.config.opensearch_endpoint
        if not endpoint:
            raise ConfigurationError("Set AGENT_MEMORY_OPENSEARCH_ENDPOINT to the collection's endpoint.")
        region = self.config.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        if not region:
            raise ConfigurationError("Set AGENT_MEMORY_REGION (or AWS_REGION) for SigV4 signing.")
        return OpenSearchIndex(
            lambda: client_for(endpoint, region),
            self.config.index_name,
            self.embedder.model_id,
            self.embedder.dimension,
            custom_ids=self.config.opensearch_custom_ids,
        )

    @cached_property
    def stream_indexer(self) -> StreamIndexer:
        from agent_memory.entry.stream_indexer import StreamIndexer

        return StreamIndexer(self.opensearch)

    @cached_property
    def index(self) -> SearchIndex:
        if self.is_aws:
            from agent_memory.adapters.aws.fresh_index import FreshIndex

            return FreshIndex(
                self.opensearch, self.dynamo.memories, self.embedder.model_id, self.config.index_refresh_seconds
            )
        from agent_memory.adapters.local.search_index import SqliteSearchIndex

        return SqliteSearchIndex(self.sqlite.database, self.embedder.model_id, self.embedder.dimension)

    @cached_property
    def memories(self) -> MemoryService:
        from agent_memory.services.memories import MemoryService

        return MemoryService(self.store, self.settings_store, self.events, self.cursors, self.embedder)

    @cached_property
    def search(self) -> SearchService:
        from agent_memory.services.search import SearchService

        return SearchService(self.store, self.index, self.embedder)

    @cached_property
    def extractor(self) -> Extractor:
        if self.config.extractor_name == "bedrock":
            from agent_memory.adapters.aws.bedrock import ConverseClient
            from agent_memory.adapters.aws.bedrock_extractor import BedrockExtractor

            return BedrockExtractor(
                ConverseClient(lambda: self.aws_client("bedrock-runtime"), self.config.converse_model)
            )
        from agent_memory.adapters.local.rules_extractor import RulesExtractor

        return RulesExtractor()

    @cached_property
    def conversations(self) -> ConversationService:
        from agent_memory.services.conversations import ConversationService

        return ConversationService(self.memories, self.search, self.settings, self.extractor)

    @cached_property
    def ingestion(self) -> IngestionService:
        from agent_memory.services.ingestion import IngestionService

        return IngestionService(self.conversations, self.idempotency)

    @cached_property
    def log_ingest(self) -> S3LogIngest:
        from agent_memory.entry.log_ingest import S3LogIngest

        return S3LogIngest(
            lambda: self.aws_client("s3"),
            lambda: self.aws_client("sqs"),
            self.config.ingest_queue_url,
            self.config.ingest_dead_letter_url,
            self.ingestion,
        )

    @cached_property
    def keys(self) -> KeyService:
        from agent_memory.services.keys import KeyService

        if self.is_aws and self.config.usage_plan_id:
            from agent_memory.adapters.aws.usage_plans import UsagePlanKeys

            registry = UsagePlanKeys(lambda: self.aws_client("apigateway"), self.config.usage_plan_id)
            return KeyService(self.key_store, registry=registry)
        return KeyService(self.key_store)

    @cached_property
    def idempotency(self) -> IdempotencyService:
        from agent_memory.services.idempotency import IdempotencyService

        return IdempotencyService(self.idempotency_store)

    @cached_property
    def curator(self) -> Curator:
        if self.config.extractor_name == "bedrock":
            from agent_memory.adapters.aws.bedrock import ConverseClient
            from agent_memory.adapters.aws.bedrock_curator import BedrockCurator

            return BedrockCurator(
                ConverseClient(lambda: self.aws_client("bedrock-runtime"), self.config.converse_model)
            )
        from agent_memory.adapters.local.rules_curator import RulesCurator

        return RulesCurator()

    @cached_property
    def archive(self) -> ConversationArchive:
        if self.is_aws:
            from agent_memory.adapters.aws.log_archive import S3Archive

            return S3Archive(lambda: self.aws_client("s3"), self.config.conversation_bucket)
        from agent_memory.adapters.local.log_archive import FolderArchive

        return FolderArchive(self.config.data_dir / "raw")

    @cached_property
    def operation_store(self) -> SqliteOperations | DynamoOperations:
        if self.is_aws:
            return self.dynamo.operations
        return self.sqlite.operations

    @cached_property
    def job_runner(self) -> JobRunner:
        if self.is_aws:
            from agent_memory.adapters.aws.step_functions import StepFunctionsLauncher

            return StepFunctionsLauncher(lambda: self.aws_client("stepfunctions"), self.config.job_state_machines)
        return self.worker

    @cached_property
    def worker(self) -> LocalJobWorker:
        """The background thread that runs jobs in the local process (started on first use)."""
        from agent_memory.adapters.local.sqlite.operations import SqliteOperations
        from agent_memory.entry.local_worker import LocalJobWorker

        store = self.operation_store
        assert isinstance(store, SqliteOperations)
        return LocalJobWorker(lambda: self.job_steps, store.unfinished_operations)

    @cached_property
    def operations(self) -> OperationService:
        from agent_memory.services.operations import OperationService

        return OperationService(self.operation_store, lambda: self.job_runner)

    @cached_property
    def job_steps(self) -> JobSteps:
        from agent_memory.domain.operations import Phase
        from agent_memory.services.jobs.conversations import ConsolidateConversations, GenerateEpisodes
        from agent_memory.services.jobs.entities import BackfillEntities
        from agent_memory.services.jobs.optimize import RefreshTopics, ResolveDuplicates
        from agent_memory.services.jobs.reindex import Reindex
        from agent_memory.services.jobs.steps import JobSteps, PhaseRunner

        store, embedder, curator = self.store, self.embedder, self.curator
        phases: dict[Phase, PhaseRunner] = {
            Phase.RESOLVE_DUPLICATES: ResolveDuplicates(store, self.settings_store, embedder, curator),
            Phase.REFRESH_TOPICS: RefreshTopics(store, embedder, curator),
            Phase.BACKFILL_ENTITIES: BackfillEntities(store, curator),
            Phase.GENERATE_EPISODES: GenerateEpisodes(self.archive, store, self.memories, self.settings, curator),
            Phase.CONSOLIDATE_CONVERSATIONS: ConsolidateConversations(self.archive, self.ingestion, self.extractor),
            Phase.REINDEX: Reindex(store, embedder, self.opensearch if self.is_aws else None),
        }
        return JobSteps(self.operation_store, phases)

    @property
    def dev_key_path(self) -> Path:
        return self.config.data_dir / DEV_KEY_FILE

    def close(self) -> None:
        worker = self.__dict__.get("worker")
        if worker is not None:
            worker.stop()
        stores = self.__dict__.get("sqlite")
        if stores is not None:
            stores.close()
