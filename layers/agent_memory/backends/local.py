"""The local backend: one SQLite file (a store per port), the numpy/FTS5 index beside it, raw logs in a folder, jobs
on a background thread of this process."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from agent_memory.adapters.local.private_files import write_private
from agent_memory.config import Config

if TYPE_CHECKING:
    from agent_memory.adapters.local.export_files import FolderExports
    from agent_memory.adapters.local.log_archive import FolderArchive
    from agent_memory.adapters.local.search_index import SqliteSearchIndex
    from agent_memory.adapters.local.sqlite import SqliteStores
    from agent_memory.adapters.local.sqlite.graph import SqliteGraph
    from agent_memory.adapters.local.sqlite.idempotency import SqliteIdempotency
    from agent_memory.adapters.local.sqlite.keys import SqliteKeys
    from agent_memory.adapters.local.sqlite.memories import SqliteMemories
    from agent_memory.adapters.local.sqlite.operations import SqliteOperations
    from agent_memory.adapters.local.sqlite.recalls import SqliteRecalls
    from agent_memory.adapters.local.sqlite.settings import SqliteSettings
    from agent_memory.entry.local_worker import LocalJobWorker
    from agent_memory.ports import Embedder, ProjectionWriter, UsageKeyRegistry
    from agent_memory.services.jobs.steps import JobSteps

CURSOR_SECRET_FILE = "cursor-secret"


class LocalBackend:
    def __init__(self, config: Config) -> None:
        self._config = config
        self._lock = threading.Lock()
        self._worker: LocalJobWorker | None = None

    @cached_property
    def stores(self) -> SqliteStores:
        from agent_memory.adapters.local.sqlite import open_stores

        return open_stores(self._config.database_path)

    @property
    def memory_store(self) -> SqliteMemories:
        return self.stores.memories

    @property
    def settings_store(self) -> SqliteSettings:
        return self.stores.settings

    @property
    def key_store(self) -> SqliteKeys:
        return self.stores.keys

    @property
    def idempotency_store(self) -> SqliteIdempotency:
        return self.stores.idempotency

    @property
    def operation_store(self) -> SqliteOperations:
        return self.stores.operations

    @property
    def recall_log(self) -> SqliteRecalls:
        return self.stores.recalls

    @property
    def graph_store(self) -> SqliteGraph:
        return self.stores.graph

    @cached_property
    def exports(self) -> FolderExports:
        from agent_memory.adapters.local.export_files import FolderExports

        return FolderExports(self._config.data_dir / "exports")

    @cached_property
    def archive(self) -> FolderArchive:
        from agent_memory.adapters.local.log_archive import FolderArchive

        return FolderArchive(self._config.data_dir / "raw")

    @property
    def key_registry(self) -> UsageKeyRegistry | None:
        return None  # no gateway meters keys locally

    def search_index(self, embedder: Embedder) -> SqliteSearchIndex:
        from agent_memory.adapters.local.search_index import SqliteSearchIndex

        return SqliteSearchIndex(self.stores.database, embedder.model_id, embedder.dimension)

    def projection(self, embedder: Embedder) -> ProjectionWriter | None:
        return None  # the local index reads the store itself: there is nothing to rewrite

    def worker(self, steps: Callable[[], JobSteps]) -> LocalJobWorker:
        """The one background thread of this process that runs jobs (started on first use)."""
        from agent_memory.entry.local_worker import LocalJobWorker

        with self._lock:
            if self._worker is None:
                self._worker = LocalJobWorker(steps, self.operation_store.unfinished_operations)
            return self._worker

    def job_runner(self, steps: Callable[[], JobSteps]) -> LocalJobWorker:
        return self.worker(steps)

    def cursor_secret(self) -> bytes:
        """Generated into the data folder on first use, owner-only."""
        path = self._config.data_dir / CURSOR_SECRET_FILE
        with self._lock:
            if not path.exists():
                write_private(path, secrets.token_hex(32))
            return path.read_text(encoding="utf-8").strip().encode()

    def close(self) -> None:
        if self._worker is not None:
            self._worker.stop()
        stores = self.__dict__.get("stores")
        if stores is not None:
            stores.close()
