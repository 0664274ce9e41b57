"""Composition root: builds the adapters that the settings name and wires them into services.

Nothing is opened until first use, so importing or constructing a Runtime does no I/O.
"""

from __future__ import annotations

import os
import secrets
import threading
from functools import cached_property
from pathlib import Path

from agent_memory.adapters.local.embedders import build_embedder
from agent_memory.adapters.local.events import InProcessEventPublisher
from agent_memory.adapters.local.search_index import SqliteSearchIndex
from agent_memory.adapters.local.sqlite_store import SqliteStore
from agent_memory.config import Config
from agent_memory.domain.cursor import CursorCodec
from agent_memory.domain.errors import InvalidInput
from agent_memory.ports import Embedder
from agent_memory.services.idempotency import IdempotencyService
from agent_memory.services.keys import KeyService
from agent_memory.services.memories import MemoryService
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
        if self.config.backend != "local":
            raise InvalidInput(f"backend {self.config.backend!r} is not available in this build.")
        self._lock = threading.Lock()

    @cached_property
    def store(self) -> SqliteStore:
        return SqliteStore(self.config.database_path)

    @cached_property
    def events(self) -> InProcessEventPublisher:
        return InProcessEventPublisher()

    def _cursor_secret(self) -> bytes:
        if self.config.cursor_secret is not None:
            return self.config.cursor_secret.get_secret_value().encode()
        path = self.config.data_dir / CURSOR_SECRET_FILE
        with self._lock:
            if not path.exists():
                write_private_file(path, secrets.token_hex(32))
            return path.read_text(encoding="utf-8").strip().encode()

    @cached_property
    def cursors(self) -> CursorCodec:
        return CursorCodec(self._cursor_secret())

    @cached_property
    def settings(self) -> SettingsService:
        return SettingsService(self.store)

    @cached_property
    def embedder(self) -> Embedder:
        return build_embedder(self.config.embedder)

    @cached_property
    def index(self) -> SqliteSearchIndex:
        return SqliteSearchIndex(self.store, self.embedder.model_id, self.embedder.dimension)

    @cached_property
    def memories(self) -> MemoryService:
        return MemoryService(self.store, self.store, self.events, self.cursors, self.embedder)

    @cached_property
    def search(self) -> SearchService:
        return SearchService(self.store, self.index, self.embedder)

    @cached_property
    def keys(self) -> KeyService:
        return KeyService(self.store)

    @cached_property
    def idempotency(self) -> IdempotencyService:
        return IdempotencyService(self.store)

    @property
    def dev_key_path(self) -> Path:
        return self.config.data_dir / DEV_KEY_FILE
