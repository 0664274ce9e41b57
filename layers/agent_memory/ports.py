"""The Protocols the services depend on. Adapters implement them; the contract tests hold every adapter to them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from agent_memory.domain.models import (
    ApiKeyRecord,
    HistoryEntry,
    Memory,
    MemoryFilter,
    Owner,
    StoredResponse,
    TenantSettings,
)

Position = dict[str, Any]
"""A store-specific resume point for pagination; the service signs it into an opaque cursor."""


@dataclass(frozen=True, slots=True)
class StoredPage:
    items: list[Memory]
    total: int
    next_position: Position | None


class MemoryStore(Protocol):
    """Source of truth for memories and their history."""

    def insert(self, memory: Memory, history: HistoryEntry) -> Memory:
        """Store a new memory. Raises DuplicateMemory (with the existing id) when its normalised content exists."""
        ...

    def insert_many(self, items: Sequence[tuple[Memory, HistoryEntry]]) -> list[Memory | Exception]:
        """Store several memories in one transaction; each slot holds the stored memory or its error."""
        ...

    def get(self, owner: Owner, memory_id: str, now: datetime) -> Memory | None: ...

    def list_memories(
        self,
        owner: Owner,
        filters: MemoryFilter,
        now: datetime,
        limit: int,
        position: Position | None,
        offset: int,
    ) -> StoredPage: ...

    def update(self, memory: Memory, expected_version: int, history: HistoryEntry) -> Memory:
        """Replace a memory if its stored version is `expected_version`; raises VersionConflict otherwise."""
        ...

    def delete(self, owner: Owner, memory_ids: Sequence[str]) -> list[str]:
        """Delete memories (and their history) of this owner; returns the ids that existed."""
        ...

    def history(self, owner: Owner, memory_id: str) -> list[HistoryEntry]: ...


class SettingsStore(Protocol):
    def get_settings(self, tenant: str) -> TenantSettings: ...

    def put_settings(self, tenant: str, settings: TenantSettings) -> TenantSettings: ...


class KeyStore(Protocol):
    def add_key(self, record: ApiKeyRecord, key_hash: str) -> None: ...

    def find_key(self, key_hash: str) -> ApiKeyRecord | None: ...

    def list_keys(self, tenant: str | None) -> list[ApiKeyRecord]: ...

    def revoke_key(self, key_id: str, at: datetime) -> bool: ...


class IdempotencyStore(Protocol):
    def reserve(self, tenant: str, key: str, fingerprint: str, now: datetime) -> StoredResponse | None:
        """Claim the key for a new request (returns None), or return what an earlier request with it holds."""
        ...

    def complete(self, tenant: str, key: str, status: int, body: bytes) -> None: ...

    def release(self, tenant: str, key: str) -> None: ...


class Embedder(Protocol):
    """Turns text into L2-normalised vectors."""

    @property
    def model_id(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


class SearchIndex(Protocol):
    """A keyword + vector projection of the store. It may lag the store; search hydrates hits from the store."""

    def keyword(self, owner: Owner, query: str, filters: MemoryFilter, limit: int) -> list[tuple[str, float]]: ...

    def semantic(
        self, owner: Owner, vector: Sequence[float], filters: MemoryFilter, limit: int
    ) -> list[tuple[str, float]]: ...


class Extractor(Protocol):
    """Finds what is worth remembering in conversation messages."""

    @property
    def name(self) -> str: ...

    def extract(self, messages: Sequence[dict[str, str]]) -> list[dict[str, Any]]: ...


class JobRunner(Protocol):
    """Starts an async job for an operation id; the job reports progress through the store."""

    def start(self, operation_id: str, kind: str, payload: dict[str, Any]) -> None: ...


class EventPublisher(Protocol):
    """Announces `memory.created`, `memory.updated` and `memory.deleted` to whoever listens."""

    def publish(self, event_type: str, tenant: str, detail: dict[str, Any]) -> None: ...
