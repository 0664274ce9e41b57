"""The two ways agent-memory runs, each wiring its own adapters behind the same ports: `local` (SQLite, numpy, a
background worker) and `aws` (DynamoDB, OpenSearch Serverless, Step Functions, S3). The runtime picks one by its
settings and builds the services on top; nothing outside this package and the runtime knows which one runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from agent_memory.config import Config
    from agent_memory.ports import (
        ConversationArchive,
        Embedder,
        ExportStore,
        GraphStore,
        IdempotencyStore,
        JobRunner,
        KeyStore,
        MemoryStore,
        OperationStore,
        ProjectionWriter,
        RecallLog,
        SearchIndex,
        SettingsStore,
        UsageKeyRegistry,
    )
    from agent_memory.services.jobs.steps import JobSteps


class Backend(Protocol):
    @property
    def memory_store(self) -> MemoryStore: ...

    @property
    def settings_store(self) -> SettingsStore: ...

    @property
    def key_store(self) -> KeyStore: ...

    @property
    def idempotency_store(self) -> IdempotencyStore: ...

    @property
    def operation_store(self) -> OperationStore: ...

    @property
    def recall_log(self) -> RecallLog: ...

    @property
    def graph_store(self) -> GraphStore: ...

    @property
    def archive(self) -> ConversationArchive: ...

    @property
    def exports(self) -> ExportStore: ...

    @property
    def key_registry(self) -> UsageKeyRegistry | None: ...

    def search_index(self, embedder: Embedder) -> SearchIndex: ...

    def projection(self, embedder: Embedder) -> ProjectionWriter | None:
        """Where reindex rewrites documents, when search is a projection kept beside the store."""
        ...

    def job_runner(self, steps: Callable[[], JobSteps]) -> JobRunner: ...

    def cursor_secret(self) -> bytes: ...

    def close(self) -> None: ...


def backend_for(config: Config) -> Backend:
    if config.backend == "aws":
        from agent_memory.backends.aws import AwsBackend

        return AwsBackend(config)
    from agent_memory.backends.local import LocalBackend

    return LocalBackend(config)
