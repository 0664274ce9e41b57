"""Composition root: the backend the settings name (local or aws, see `backends/`) supplies the adapters behind the
ports; the runtime builds the services on them and the models (embedder, extractor, curator) the settings choose.

Nothing is opened until first use, so importing or constructing a Runtime does no I/O. Ports and services are cached
properties, so a test may put its own in place before first use (`runtime.__dict__["index"] = ...`).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from agent_memory.config import Config
from agent_memory.domain.errors import ConfigurationError

# Adapters and services are imported where they are built: a Lambda function pays only for what it uses.
if TYPE_CHECKING:
    from agent_memory.adapters.aws.bedrock import ConverseClient
    from agent_memory.adapters.aws.dynamo.graph import GraphProjector
    from agent_memory.adapters.aws.opensearch_index import OpenSearchIndex
    from agent_memory.adapters.local.events import InProcessEventPublisher
    from agent_memory.backends import Backend
    from agent_memory.backends.aws import AwsBackend
    from agent_memory.backends.local import LocalBackend
    from agent_memory.domain.cursor import CursorCodec
    from agent_memory.entry.local_worker import LocalJobWorker
    from agent_memory.entry.log_ingest import S3LogIngest
    from agent_memory.entry.stream_indexer import StreamIndexer
    from agent_memory.ports import (
        ConversationArchive,
        Curator,
        Embedder,
        ExportStore,
        Extractor,
        GraphStore,
        IdempotencyStore,
        JobRunner,
        KeyStore,
        KnowledgeReader,
        MemoryStore,
        OperationStore,
        RecallLog,
        Responder,
        SearchIndex,
        SettingsStore,
    )
    from agent_memory.services.clusters import ClusterService
    from agent_memory.services.conversations import ConversationService
    from agent_memory.services.data_rights import DataRightsService
    from agent_memory.services.graph import GraphService
    from agent_memory.services.idempotency import IdempotencyService
    from agent_memory.services.ingestion import IngestionService
    from agent_memory.services.jobs.steps import JobSteps
    from agent_memory.services.keys import KeyService
    from agent_memory.services.memories import MemoryService
    from agent_memory.services.operations import OperationService
    from agent_memory.services.portability import PortabilityService
    from agent_memory.services.retention import RetentionService
    from agent_memory.services.search import SearchService
    from agent_memory.services.settings import SettingsService
    from agent_memory.services.transcripts import TranscriptService

DEV_KEY_FILE = "dev-api-key"


class Runtime:
    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()

    @property
    def is_aws(self) -> bool:
        return self.config.backend == "aws"

    @cached_property
    def backend(self) -> Backend:
        from agent_memory.backends import backend_for

        return backend_for(self.config)

    @property
    def local(self) -> LocalBackend:
        from agent_memory.backends.local import LocalBackend

        if not isinstance(self.backend, LocalBackend):
            raise ConfigurationError("This needs the local backend (AGENT_MEMORY_BACKEND=local).")
        return self.backend

    @property
    def aws(self) -> AwsBackend:
        from agent_memory.backends.aws import AwsBackend

        if not isinstance(self.backend, AwsBackend):
            raise ConfigurationError("This needs the aws backend (AGENT_MEMORY_BACKEND=aws).")
        return self.backend

    # -- ports --------------------------------------------------------------------------------------

    @cached_property
    def store(self) -> MemoryStore:
        return self.backend.memory_store

    @cached_property
    def settings_store(self) -> SettingsStore:
        return self.backend.settings_store

    @cached_property
    def key_store(self) -> KeyStore:
        return self.backend.key_store

    @cached_property
    def idempotency_store(self) -> IdempotencyStore:
        return self.backend.idempotency_store

    @cached_property
    def operation_store(self) -> OperationStore:
        return self.backend.operation_store

    @cached_property
    def recall_log(self) -> RecallLog:
        return self.backend.recall_log

    @cached_property
    def graph_store(self) -> GraphStore:
        return self.backend.graph_store

    @cached_property
    def archive(self) -> ConversationArchive:
        return self.backend.archive

    @cached_property
    def exports(self) -> ExportStore:
        return self.backend.exports

    @cached_property
    def index(self) -> SearchIndex:
        return self.backend.search_index(self.embedder)

    @cached_property
    def job_runner(self) -> JobRunner:
        return self.backend.job_runner(lambda: self.job_steps)

    @cached_property
    def events(self) -> InProcessEventPublisher:
        from agent_memory.adapters.local.events import InProcessEventPublisher

        return InProcessEventPublisher()

    @cached_property
    def cursors(self) -> CursorCodec:
        from agent_memory.domain.cursor import CursorCodec

        configured = self.config.cursor_secret
        if configured is not None:
            return CursorCodec(lambda: configured.get_secret_value().encode())
        return CursorCodec(self.backend.cursor_secret)

    # -- models the settings choose --------------------------------------------------------------

    @cached_property
    def embedder(self) -> Embedder:
        if self.config.embedder_name == "titan":
            from agent_memory.adapters.aws.bedrock import TitanEmbedder
            from agent_memory.adapters.aws.clients import AwsClients

            clients = AwsClients(self.config.region)
            return TitanEmbedder(
                lambda: clients.client("bedrock-runtime"),
                dimension=self.config.titan_dimensions,
                max_concurrency=self.config.bedrock_embedding_concurrency,
            )
        from agent_memory.adapters.local.embedders import build_embedder

        return build_embedder(self.config.embedder_name)

    def _converse(self) -> ConverseClient:
        from agent_memory.adapters.aws.bedrock import ConverseClient
        from agent_memory.adapters.aws.clients import AwsClients

        clients = AwsClients(self.config.region)
        return ConverseClient(lambda: clients.client("bedrock-runtime"), self.config.converse_model)

    @cached_property
    def extractor(self) -> Extractor:
        if self.config.extractor_name == "bedrock":
            from agent_memory.adapters.aws.bedrock_extractor import BedrockExtractor

            return BedrockExtractor(self._converse())
        from agent_memory.adapters.local.rules_extractor import RulesExtractor

        return RulesExtractor()

    @cached_property
    def curator(self) -> Curator:
        if self.config.extractor_name == "bedrock":
            from agent_memory.adapters.aws.bedrock_curator import BedrockCurator

            return BedrockCurator(self._converse())
        from agent_memory.adapters.local.meaning_rules import scale_for
        from agent_memory.adapters.local.rules_curator import RulesCurator

        # The optimize job hands the curator each pair's cosine; the rules weigh it when the model is calibrated.
        return RulesCurator(scale_for(self.embedder.model_id))

    @cached_property
    def knowledge_reader(self) -> KnowledgeReader:
        """What the write path reads entities and relations with: always the local rules (fast, no model call);
        the backfill-entities job re-reads with the configured curator."""
        from agent_memory.adapters.local.rules_curator import RulesCurator

        return RulesCurator()

    # -- services -----------------------------------------------------------------------------------

    @cached_property
    def settings(self) -> SettingsService:
        from agent_memory.services.settings import SettingsService

        return SettingsService(self.settings_store)

    @cached_property
    def memories(self) -> MemoryService:
        from agent_memory.services.memories import MemoryService

        return MemoryService(
            self.store, self.settings_store, self.events, self.cursors, self.embedder, self.knowledge_reader
        )

    @cached_property
    def graph(self) -> GraphService:
        from agent_memory.services.graph import GraphService

        return GraphService(self.graph_store, self.store)

    @cached_property
    def search(self) -> SearchService:
        from agent_memory.services.graph_recall import GraphRecall
        from agent_memory.services.search import SearchService

        graph = GraphRecall(self.knowledge_reader, self.graph_store)
        return SearchService(self.store, self.index, self.embedder, self.recall_log, graph)

    @cached_property
    def conversations(self) -> ConversationService:
        from agent_memory.services.conversations import ConversationService

        return ConversationService(
            self.memories, self.search, self.settings, self.extractor, self.transcripts, self.responder
        )

    @cached_property
    def responder(self) -> Responder | None:
        """The chat model that answers turns asking for a reply; None: no model configured."""
        if self.config.responder_name != "bedrock":
            return None
        from agent_memory.adapters.aws.bedrock_responder import BedrockResponder

        return BedrockResponder(self._converse())

    @cached_property
    def transcripts(self) -> TranscriptService:
        from agent_memory.services.transcripts import TranscriptService

        return TranscriptService(self.archive, self.settings_store, self.store)

    @cached_property
    def ingestion(self) -> IngestionService:
        from agent_memory.services.ingestion import IngestionService

        return IngestionService(self.conversations, self.idempotency)

    @cached_property
    def keys(self) -> KeyService:
        from agent_memory.services.keys import KeyService

        return KeyService(self.key_store, registry=self.backend.key_registry)

    @cached_property
    def idempotency(self) -> IdempotencyService:
        from agent_memory.services.idempotency import IdempotencyService

        return IdempotencyService(self.idempotency_store)

    @cached_property
    def operations(self) -> OperationService:
        from agent_memory.services.operations import OperationService

        return OperationService(self.operation_store, lambda: self.job_runner, self.store)

    @cached_property
    def clusters(self) -> ClusterService:
        from agent_memory.services.clusters import ClusterService

        return ClusterService(self.store, self.embedder, self.curator)

    @cached_property
    def data_rights(self) -> DataRightsService:
        from agent_memory.services.data_rights import DataRightsService

        return DataRightsService(
            self.store, self.archive, self.operation_store, self.idempotency_store, self.operations, self.events
        )

    @cached_property
    def portability(self) -> PortabilityService:
        from agent_memory.services.portability import PortabilityService

        return PortabilityService(self.store, self.settings_store, self.operation_store, self.embedder, self.exports)

    @cached_property
    def retention(self) -> RetentionService:
        from agent_memory.services.retention import RetentionService

        return RetentionService(self.store, self.settings_store, self.archive)

    @cached_property
    def job_steps(self) -> JobSteps:
        from agent_memory.domain.operations import Phase
        from agent_memory.services.jobs.conversations import ConsolidateConversations, GenerateEpisodes
        from agent_memory.services.jobs.entities import BackfillEntities
        from agent_memory.services.jobs.erasure import (
            EraseLogs,
            EraseMemories,
            EraseRecords,
            EraseSearchIndex,
            VerifyErasure,
        )
        from agent_memory.services.jobs.export import ExportToFile
        from agent_memory.services.jobs.optimize import RefreshTopics, ResolveDuplicates
        from agent_memory.services.jobs.reindex import Reindex
        from agent_memory.services.jobs.steps import JobSteps, PhaseRunner

        store, embedder, curator = self.store, self.embedder, self.curator
        projection = self.backend.projection(embedder)
        idempotency, operations = self.idempotency_store, self.operation_store
        phases: dict[Phase, PhaseRunner] = {
            Phase.RESOLVE_DUPLICATES: ResolveDuplicates(store, self.settings_store, embedder, curator),
            Phase.REFRESH_TOPICS: RefreshTopics(store, embedder, curator),
            Phase.BACKFILL_ENTITIES: BackfillEntities(store, curator),
            Phase.GENERATE_EPISODES: GenerateEpisodes(self.archive, store, self.memories, self.settings, curator),
            Phase.CONSOLIDATE_CONVERSATIONS: ConsolidateConversations(self.archive, self.ingestion, self.extractor),
            Phase.REINDEX: Reindex(store, embedder, projection),
            Phase.ERASE_MEMORIES: EraseMemories(store),
            Phase.ERASE_SEARCH_INDEX: EraseSearchIndex(projection),
            Phase.ERASE_LOGS: EraseLogs(self.archive, self.exports),
            Phase.ERASE_RECORDS: EraseRecords(idempotency, operations),
            Phase.VERIFY_ERASURE: VerifyErasure(
                store, projection, self.archive, self.exports, idempotency, operations, self.config.erasure_settle
            ),
            Phase.EXPORT: ExportToFile(self.portability, self.exports, self.store),
        }
        return JobSteps(self.operation_store, phases, self.store)

    # -- what only one backend's entry points use ---------------------------------------------------

    @cached_property
    def worker(self) -> LocalJobWorker:
        """The background thread that runs jobs in the local process (started on first use)."""
        return self.local.worker(lambda: self.job_steps)

    @cached_property
    def opensearch(self) -> OpenSearchIndex:
        return self.aws.opensearch(self.embedder)

    @cached_property
    def stream_indexer(self) -> StreamIndexer:
        from agent_memory.entry.stream_indexer import StreamIndexer

        return StreamIndexer(self.opensearch)

    @cached_property
    def graph_projector(self) -> GraphProjector:
        from agent_memory.adapters.aws.dynamo.graph import GraphProjector

        return GraphProjector(self.aws.stores.table)

    @cached_property
    def log_ingest(self) -> S3LogIngest:
        from agent_memory.entry.log_ingest import S3LogIngest

        clients = self.aws.clients
        return S3LogIngest(
            lambda: clients.client("s3"),
            lambda: clients.client("sqs"),
            self.config.ingest_queue_url,
            self.config.ingest_dead_letter_url,
            self.ingestion,
            retention_days=lambda tenant: self.settings.get(tenant).raw_log_retention_days,
        )

    @property
    def dev_key_path(self) -> Path:
        return self.config.data_dir / DEV_KEY_FILE

    def close(self) -> None:
        backend = self.__dict__.get("backend")
        if backend is not None:
            backend.close()
