"""The Protocols the services depend on. Adapters implement them; the contract tests hold every adapter to them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeAlias

from agent_memory.domain.conversation import ExtractedFact, Message
from agent_memory.domain.curation import MergeDecision
from agent_memory.domain.knowledge import Knowledge
from agent_memory.domain.models import (
    ApiKeyRecord,
    Entity,
    HistoryEntry,
    Memory,
    MemoryFilter,
    MemoryStats,
    Owner,
    StoredResponse,
    TenantSettings,
)
from agent_memory.domain.operations import JobKind, Operation, OperationStatus

if TYPE_CHECKING:  # numpy costs ~35 ms to import: modules that only name the type do not pay for it
    import numpy as np

Vector: TypeAlias = "np.ndarray"
"""float32 vectors: one row per text from an Embedder, a single row where one vector is meant."""

Position = dict[str, Any]
"""A store-specific resume point for pagination; the service signs it into an opaque cursor."""


@dataclass(frozen=True, slots=True)
class StoredPage:
    items: list[Memory]
    total: int
    next_position: Position | None


class MemoryStore(Protocol):
    """Source of truth for memories, their vectors and their history."""

    def insert(self, memory: Memory, history: HistoryEntry, vector: Vector | None = None) -> Memory:
        """Store a new memory. Raises DuplicateMemory (with the existing id) when its normalised content exists."""
        ...

    def insert_many(self, items: Sequence[tuple[Memory, HistoryEntry, Vector | None]]) -> list[Memory | Exception]:
        """Store several memories in one transaction; each slot holds the stored memory or its error."""
        ...

    def get(self, owner: Owner, memory_id: str, now: datetime) -> Memory | None: ...

    def get_many(self, owner: Owner, memory_ids: Sequence[str], now: datetime) -> dict[str, Memory]:
        """The live memories among these ids, by id (missing, expired and other owners' ids are left out)."""
        ...

    def list_memories(
        self,
        owner: Owner,
        filters: MemoryFilter,
        now: datetime,
        limit: int,
        position: Position | None,
        offset: int,
    ) -> StoredPage: ...

    def update(
        self, memory: Memory, expected_version: int, history: HistoryEntry, vector: Vector | None = None
    ) -> Memory:
        """Replace a memory if its stored version is `expected_version`; raises VersionConflict otherwise.
        A None vector keeps the stored one."""
        ...

    def update_many(self, changes: Sequence[tuple[Memory, int, HistoryEntry, Vector | None]]) -> list[Memory]:
        """Several `update`s (memory, expected version, history, vector) of one owner: all of them or none."""
        ...

    def memory_page(self, owner: Owner, after_id: str | None, limit: int) -> list[tuple[Memory, Vector | None]]:
        """Up to `limit` memories of one user (superseded and expired included) in id order after `after_id`,
        each with its stored vector: how jobs walk a user's memories."""
        ...

    def set_vectors(self, owner: Owner, model: str, vectors: Sequence[tuple[str, Vector]]) -> int:
        """Replace the stored vectors of these memories (made by `model`) without a new version; returns how many
        memories still existed."""
        ...

    def delete(self, owner: Owner, memory_ids: Sequence[str]) -> list[str]:
        """Delete memories (and their history) of this owner; returns the ids that existed."""
        ...

    def history(self, owner: Owner, memory_id: str) -> list[HistoryEntry]: ...

    def record_access(self, owner: Owner, memory_ids: Sequence[str]) -> None:
        """Count a recall of each memory (access_count + 1); not a change of the memory itself."""
        ...

    def stats(self, tenant: str, user_id: str | None, now: datetime) -> MemoryStats:
        """Aggregates over live memories of one user, or of the whole tenant when user_id is None."""
        ...

    # -- a user's memories as a whole (clear, erase, export, import) --------------------------------

    def restore(
        self, entries: Sequence[tuple[Memory, Sequence[HistoryEntry], Vector | None]]
    ) -> list[Memory | Exception]:
        """Write exported memories back as they were (ids, timestamps, versions, recalls, full history). Each slot
        holds the memory or its error: VersionConflict when the user has the id already, MemoryIdTaken when another
        owner holds it (a store whose ids are unique across owners), DuplicateMemory when a memory of the user holds
        the content; UserBeingErased refuses them all."""
        ...

    def erase_page(self, owner: Owner, limit: int) -> dict[str, int]:
        """Delete about `limit` of the user's records (memories, history, counters, uniqueness claims) and return
        how many of each kind went; an empty dict once nothing is left."""
        ...

    def residue(self, owner: Owner) -> dict[str, int]:
        """How many records of each kind the user still has (empty: none): an erasure's verification."""
        ...

    def user_ids(self, tenant: str) -> list[str]:
        """Every user of the tenant with at least one memory, sorted."""
        ...

    def begin_erasure(self, owner: Owner, operation_id: str, now: datetime) -> None:
        """From now on no memory of this user can be created (UserBeingErased), until `end_erasure`."""
        ...

    def end_erasure(self, owner: Owner) -> None: ...

    def erasure_of(self, owner: Owner) -> str | None:
        """The operation erasing this user while it runs (or failed and must run again), else None."""
        ...

    def purge_expired(self, now: datetime, limit: int) -> int:
        """Delete up to `limit` memories (of any tenant) whose `expires_at` has passed; returns how many. Where the
        database removes expired items itself (DynamoDB TTL) there is nothing to do."""
        ...


class SettingsStore(Protocol):
    def get_settings(self, tenant: str) -> TenantSettings: ...

    def put_settings(self, tenant: str, settings: TenantSettings) -> TenantSettings: ...

    def tenants_with_retention(self) -> list[str]:
        """Tenants whose settings set a memory or raw-log retention: what the retention sweep visits."""
        ...


class KeyStore(Protocol):
    def add_key(self, record: ApiKeyRecord, key_hash: str) -> None: ...

    def find_key(self, key_hash: str) -> ApiKeyRecord | None: ...

    def list_keys(self, tenant: str | None) -> list[ApiKeyRecord]: ...

    def revoke_key(self, key_id: str, at: datetime) -> bool: ...


class UsageKeyRegistry(Protocol):
    """Where the gateway meters keys (API Gateway usage plans). It never holds a key in clear."""

    def register(self, record: ApiKeyRecord, key_hash: str) -> None: ...

    def disable(self, key_id: str) -> None: ...


class IdempotencyStore(Protocol):
    def reserve(
        self, tenant: str, key: str, fingerprint: str, now: datetime, user_ids: Sequence[str] = ()
    ) -> StoredResponse | None:
        """Claim the key for a new request (returns None), or return what an earlier request with it holds.
        `user_ids`: the users the request is about."""
        ...

    def complete(self, tenant: str, key: str, status: int, body: bytes) -> None: ...

    def release(self, tenant: str, key: str) -> None: ...

    def erase_user(self, tenant: str, user_id: str) -> int:
        """Delete every record of a request about this user; returns how many."""
        ...

    def holds_user(self, tenant: str, user_id: str) -> bool:
        """Whether any record is about this user."""
        ...


class Extractor(Protocol):
    """Turns conversation messages into durable facts about the user. `name` and `version` are recorded on every
    memory it produces, so memories can be re-extracted when a better extractor arrives."""

    name: str
    version: str

    def extract(self, messages: Sequence[Message]) -> list[ExtractedFact]: ...


class Embedder(Protocol):
    """Turns text into L2-normalised vectors: a (len(texts), dimension) float32 matrix."""

    @property
    def model_id(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    @property
    def min_similarity(self) -> float:
        """Cosine below which this model's matches are noise: semantic search drops them."""
        ...

    def embed(self, texts: Sequence[str]) -> Vector: ...


class IndexHit(NamedTuple):
    """One match of a SearchIndex query."""

    memory_id: str
    score: float
    version: int | None = None
    """The memory version the matched document was built from; None where the index reads the records themselves
    and so cannot lag them."""


class ErasureMarks(Protocol):
    """Whether a user is being erased: the store's mark, which the erase-user job sets first and lifts last."""

    def erasure_of(self, owner: Owner) -> str | None: ...


class SearchIndex(Protocol):
    """A keyword + vector projection of the store. It may lag the store (hold documents of older versions, or of
    memories since deleted): search hydrates hits from the store and re-checks them."""

    reads_records: bool
    """True where every search reads the records themselves (the local index: no projection to lag), so its hits
    need no re-check and search reads only the page's records."""

    def keyword(self, owner: Owner, query: str, filters: MemoryFilter, now: datetime, limit: int) -> list[IndexHit]:
        """Best first, by BM25 over content and summary (one hit per memory)."""
        ...

    def semantic(
        self, owner: Owner, vector: Vector, filters: MemoryFilter, now: datetime, limit: int
    ) -> list[IndexHit]:
        """Best first by cosine similarity (one hit per memory); raises EmbeddingMismatch if stored vectors differ in
        model."""
        ...

    def vector_of(self, owner: Owner, memory_id: str) -> Vector | None:
        """The stored vector of one memory, if it was made by the current model."""
        ...


class OperationStore(Protocol):
    """Async job records and the one-job-per-(tenant, user, kind) lock."""

    def open_operation(self, operation: Operation, lock_until: datetime, now: datetime) -> tuple[Operation, bool]:
        """Record a queued operation and take its lock, atomically. If an unfinished operation holds an unexpired
        lock for the same (tenant, user, kind), nothing is written and that operation is returned with False."""
        ...

    def get_operation(self, tenant: str, operation_id: str) -> Operation | None: ...

    def list_operations(
        self,
        tenant: str,
        user_id: str | None,
        kind: JobKind | None,
        status: OperationStatus | None,
        limit: int,
        before_id: str | None,
    ) -> list[Operation]:
        """Newest first, ids below `before_id`."""
        ...

    def save_operation(self, operation: Operation, lock_until: datetime | None) -> Operation:
        """Write the operation's new state if it still holds its lock. An unfinished operation renews the lock until
        `lock_until`; a finished one releases it. Raises OperationAbandoned when the lock belongs to another."""
        ...

    def save_with_changes(
        self,
        operation: Operation,
        lock_until: datetime,
        changes: Sequence[tuple[Memory, int, HistoryEntry, Vector | None]],
    ) -> Operation:
        """`MemoryStore.update_many(changes)` and `save_operation(operation, lock_until)` in one transaction, so a
        job's counts are saved with the changes they count. Nothing is written when the lock belongs to another
        (OperationAbandoned) or a memory changed (VersionConflict, NotFound, DuplicateMemory)."""
        ...

    def erase_user(self, tenant: str, user_id: str, keep: JobKind) -> int:
        """Delete the user's operations and job locks, except those of kind `keep` (the erasure's own receipt and
        lock); returns how many operations went."""
        ...


class WriteOutcome(Protocol):
    @property
    def failed(self) -> dict[str, str]:
        """Memory id → why it was not written."""
        ...


@dataclass(frozen=True, slots=True)
class IndexedDocument:
    """One document of an asynchronously fed projection, as far as reconciling it with the store needs."""

    document_id: str
    memory_id: str
    version: int | None
    superseded: bool


class ProjectionWriter(Protocol):
    """Writes documents straight to a search projection that is fed asynchronously (OpenSearch): a reindex repairs
    what a failed stream delivery left out, and removes what a delivery could not reach. The local projection lives
    in the store's own file and needs none."""

    def upsert(self, entries: Sequence[tuple[Memory, Vector | None]]) -> WriteOutcome: ...

    def documents(self, owner: Owner, after_memory_id: str | None, limit: int) -> list[IndexedDocument]:
        """About `limit` documents of one user in memory id order after `after_memory_id`, with every document of
        each memory id the page names (a memory may have several); empty after the last."""
        ...

    def remove(self, documents: Sequence[IndexedDocument]) -> int:
        """Delete these documents; returns how many were deleted now (one already gone is not counted)."""
        ...


class JobRunner(Protocol):
    """Hands a queued operation to whatever runs its steps (Step Functions, or the local worker)."""

    def start(self, operation: Operation) -> None:
        """Raises JobUnavailable when the job could not be handed over."""
        ...


class Curator(Protocol):
    """The language judgements jobs need: how two close memories relate, a topic's name, who and what a memory
    names, and a thread's summary. Rules locally, a Bedrock model in production."""

    name: str

    def decide_merge(self, older: str, newer: str, similarity: float | None = None) -> MergeDecision:
        """How two memories relate; `similarity` is the cosine of their embeddings, which a curator may weigh."""
        ...

    def label_topic(self, samples: Sequence[str]) -> str: ...

    def entities(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]: ...

    def knowledge(self, texts: Sequence[str]) -> list[Knowledge]:
        """Entities and relations of each text (the backfill-entities job's reading, by the configured model)."""
        ...

    def summarize(self, messages: Sequence[Message]) -> str: ...


# Re-exported: every port is importable from `agent_memory.ports`.
from agent_memory.ports.graph import GraphStore as GraphStore  # noqa: E402
from agent_memory.ports.graph import KnowledgeReader as KnowledgeReader  # noqa: E402
from agent_memory.ports.records import ConversationArchive as ConversationArchive  # noqa: E402
from agent_memory.ports.records import EventPublisher as EventPublisher  # noqa: E402
from agent_memory.ports.records import ExportStore as ExportStore  # noqa: E402
from agent_memory.ports.records import RecallLog as RecallLog  # noqa: E402
from agent_memory.ports.records import Responder as Responder  # noqa: E402
