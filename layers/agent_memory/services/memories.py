"""Remembering, reading, changing and forgetting individual memories."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from agent_memory.domain import knowledge, limits, validation
from agent_memory.domain.clock import as_utc, utcnow
from agent_memory.domain.cursor import CursorCodec, query_fingerprint
from agent_memory.domain.errors import AgentMemoryError, Forbidden, InvalidInput, NotFound
from agent_memory.domain.filtering import admits
from agent_memory.domain.ids import new_ulid
from agent_memory.domain.models import (
    HistoryEntry,
    HistoryEvent,
    Memory,
    MemoryFilter,
    MemoryPatch,
    NewMemory,
    Owner,
    Page,
    TenantSettings,
)
from agent_memory.domain.retention import stamped
from agent_memory.domain.text import embedding_text
from agent_memory.ports import (
    Embedder,
    EventPublisher,
    KnowledgeReader,
    MemoryStore,
    Position,
    SettingsStore,
    StoredPage,
    Vector,
)


class MemoryService:
    def __init__(
        self,
        store: MemoryStore,
        settings: SettingsStore,
        events: EventPublisher,
        cursors: CursorCodec,
        embedder: Embedder,
        knowledge: KnowledgeReader | None = None,
        clock: Callable[[], datetime] = utcnow,
        new_id: Callable[[], str] = new_ulid,
    ) -> None:
        self._store = store
        self._settings = settings
        self._events = events
        self._cursors = cursors
        self._embedder = embedder
        self._knowledge = knowledge
        self._clock = clock
        self._new_id = new_id

    # -- create ---------------------------------------------------------------------------------

    def _build(
        self, tenant: str, new: NewMemory, settings: TenantSettings, now: datetime
    ) -> tuple[Memory, HistoryEntry]:
        memory = Memory(
            id=self._new_id(),
            tenant=tenant,
            user_id=validation.identifier("user_id", new.user_id),
            agent_id=validation.optional_identifier("agent_id", new.agent_id),
            thread_id=validation.optional_identifier("thread_id", new.thread_id),
            content=validation.content(new.content, settings.max_content_chars),
            summary=validation.summary(new.summary),
            source=new.source,
            importance=validation.unit_interval("importance", new.importance),
            valence=validation.signed_unit_interval("valence", new.valence),
            topics=validation.topics(new.topics),
            entities=validation.entities(new.entities),
            metadata=validation.metadata(new.metadata),
            source_refs=validation.source_refs(new.source_refs),
            created_at=now,
            updated_at=now,
            # The tenant's retention caps every memory's life from the moment it is written.
            expires_at=stamped(self._future(new.expires_at, now), now, settings.memory_retention_days),
            embedding_model=self._embedder.model_id,
        )
        entry = HistoryEntry(
            memory_id=memory.id,
            version=1,
            event=HistoryEvent.CREATED,
            at=now,
            content=memory.content,
            previous_content=None,
            changed_fields=(),
        )
        return memory, entry

    def _read(self, memories: Sequence[Memory]) -> list[Memory]:
        """Each memory with the entities (unless the client named them) and relations its content states."""
        if self._knowledge is None or not memories:
            return list(memories)
        found = self._knowledge.knowledge([memory.content for memory in memories])
        read = []
        for memory, knowledge_found in zip(memories, found, strict=True):
            entities, relations = knowledge.fitted(knowledge_found)
            read.append(memory.with_changes(entities=memory.entities or entities, relations=relations))
        return read

    @staticmethod
    def _future(expires_at: datetime | None, now: datetime) -> datetime | None:
        if expires_at is None:
            return None
        expires_at = as_utc(expires_at)
        if expires_at <= now:
            raise InvalidInput("expires_at must be in the future.")
        return expires_at

    def create(self, tenant: str, new: NewMemory, embedded: tuple[str, Vector] | None = None) -> Memory:
        """`embedded` is a (text, vector) already computed by the caller; used only if the text is what would be
        embedded, so a vector can never belong to other words than the memory's."""
        now = self._clock()
        memory, entry = self._build(tenant, new, self._settings.get_settings(tenant), now)
        memory = self._read([memory])[0]
        text = embedding_text(memory.content, memory.summary)
        vector = embedded[1] if embedded is not None and embedded[0] == text else self._embedder.embed([text])[0]
        stored = self._store.insert(memory, entry, vector)
        self._events.publish("memory.created", tenant, {"id": stored.id, "user_id": stored.user_id})
        return stored

    def create_batch(self, tenant: str, items: Sequence[NewMemory]) -> list[Memory | AgentMemoryError]:
        """Each item succeeds or fails on its own; the valid ones are written in one transaction."""
        if not items:
            raise InvalidInput("items must hold at least one memory.")
        if len(items) > limits.MAX_BATCH_ITEMS:
            raise InvalidInput(f"a batch holds at most {limits.MAX_BATCH_ITEMS} memories.")
        now = self._clock()
        settings = self._settings.get_settings(tenant)
        results: list[Memory | AgentMemoryError] = []
        to_store: list[tuple[Memory, HistoryEntry]] = []
        slots: list[int] = []
        for index, new in enumerate(items):
            try:
                built = self._build(tenant, new, settings, now)
            except AgentMemoryError as exc:
                results.append(exc)
                continue
            results.append(built[0])
            to_store.append(built)
            slots.append(index)
        read = self._read([memory for memory, _ in to_store])
        to_store = [(memory, entry) for memory, (_, entry) in zip(read, to_store, strict=True)]
        # One embedding call for the whole batch: models are far faster on batches than one text at a time.
        texts = [embedding_text(memory.content, memory.summary) for memory, _ in to_store]
        vectors = self._embedder.embed(texts) if to_store else None
        rows = [(memory, entry, None if vectors is None else vectors[i]) for i, (memory, entry) in enumerate(to_store)]
        for index, outcome in zip(slots, self._store.insert_many(rows), strict=True):
            if isinstance(outcome, AgentMemoryError):
                results[index] = outcome
            elif isinstance(outcome, Exception):
                raise outcome
            else:
                results[index] = outcome
                self._events.publish("memory.created", tenant, {"id": outcome.id, "user_id": outcome.user_id})
        return results

    # -- read -----------------------------------------------------------------------------------

    def get(self, owner: Owner, memory_id: str, agent_id: str | None = None) -> Memory:
        """`agent_id`: only a memory of this agent (a key bound to it); another one is not found, like a stranger's."""
        validation.identifier("user_id", owner.user_id)
        memory = self._store.get(owner, memory_id, self._clock())
        if memory is None or (agent_id is not None and memory.agent_id != agent_id):
            raise NotFound(f"Memory {memory_id} was not found for this user.")
        return memory

    def list_memories(
        self,
        owner: Owner,
        filters: MemoryFilter,
        limit: int = limits.DEFAULT_PAGE_SIZE,
        cursor: str | None = None,
        offset: int = 0,
        within: frozenset[str] | None = None,
        next_cursor: bool = True,
    ) -> Page:
        """`within`: only these memory ids (a cluster's members). `next_cursor` False: no cursor for the next page (a
        caller that pages by offset only), so the cursor secret is not needed."""
        validation.identifier("user_id", owner.user_id)
        if not 1 <= limit <= limits.MAX_PAGE_SIZE:
            raise InvalidInput(f"limit must be between 1 and {limits.MAX_PAGE_SIZE}.")
        if not 0 <= offset <= limits.MAX_OFFSET:
            raise InvalidInput(f"offset must be between 0 and {limits.MAX_OFFSET}.")
        fingerprint = query_fingerprint(owner.tenant, owner.user_id, filters, sorted(within or ()))
        position = None if cursor is None else self._cursors.decode(cursor, fingerprint)
        if within is None:
            page = self._store.list_memories(owner, filters, self._clock(), limit, position, offset)
        else:
            page = self._page_of(owner, within, filters, limit, position, offset)
        signed = None
        if next_cursor and page.next_position is not None:
            signed = self._cursors.encode(page.next_position, fingerprint)
        return Page(items=page.items, total=page.total, next_cursor=signed)

    def _page_of(
        self,
        owner: Owner,
        within: frozenset[str],
        filters: MemoryFilter,
        limit: int,
        position: Position | None,
        offset: int,
    ) -> StoredPage:
        """A listing page of the given ids, newest first, with the same filters and paging as the store's."""
        now = self._clock()
        found = sorted(
            (m for m in self._store.get_many(owner, sorted(within), now).values() if admits(filters, m, now)),
            key=lambda m: m.id,
            reverse=True,
        )
        before = None if position is None else position.get("before_id")
        after_cursor = [m for m in found if before is None or m.id < str(before)][offset:]
        items = after_cursor[:limit]
        next_position = {"before_id": items[-1].id} if len(after_cursor) > limit else None
        return StoredPage(items=items, total=len(found), next_position=next_position)

    def history(self, owner: Owner, memory_id: str, agent_id: str | None = None) -> list[HistoryEntry]:
        self.get(owner, memory_id, agent_id)
        return self._store.history(owner, memory_id)

    # -- change ---------------------------------------------------------------------------------

    def update(self, owner: Owner, memory_id: str, patch: MemoryPatch, agent_id: str | None = None) -> Memory:
        """`agent_id`: only a memory of this agent, which the patch may not give to another."""
        current = self.get(owner, memory_id, agent_id)
        if agent_id is not None and patch.agent_id not in (None, agent_id):
            raise Forbidden("This API key is bound to one agent and cannot give a memory to another.")
        changed = patch.changed_fields()
        if not changed:
            raise InvalidInput("Nothing to change: give at least one field to update.")
        # The store compares versions atomically, so a concurrent update between our read and write is caught.
        expected = current.version if patch.expected_version is None else patch.expected_version
        now = self._clock()
        settings = self._settings.get_settings(owner.tenant)
        max_chars = settings.max_content_chars
        expires_at = current.expires_at if patch.expires_at is None else self._future(patch.expires_at, now)
        updated = current.with_changes(
            content=current.content if patch.content is None else validation.content(patch.content, max_chars),
            summary=current.summary if patch.summary is None else validation.summary(patch.summary),
            agent_id=current.agent_id if patch.agent_id is None else validation.identifier("agent_id", patch.agent_id),
            importance=current.importance
            if patch.importance is None
            else validation.unit_interval("importance", patch.importance),
            valence=current.valence
            if patch.valence is None
            else validation.signed_unit_interval("valence", patch.valence),
            topics=current.topics if patch.topics is None else validation.topics(patch.topics),
            metadata=current.metadata if patch.metadata is None else validation.metadata(patch.metadata),
            expires_at=stamped(expires_at, current.created_at, settings.memory_retention_days),
            updated_at=now,
            version=current.version + 1,
            embedding_model=self._embedder.model_id,
        )
        if updated.content != current.content:
            updated = self._read([updated.with_changes(entities=())])[0]
        entry = HistoryEntry(
            memory_id=memory_id,
            version=updated.version,
            event=HistoryEvent.UPDATED,
            at=now,
            content=updated.content,
            previous_content=current.content if updated.content != current.content else None,
            changed_fields=tuple(changed),
        )
        text = embedding_text(updated.content, updated.summary)
        needs_vector = text != embedding_text(current.content, current.summary) or (
            current.embedding_model != self._embedder.model_id
        )
        vector = self._embedder.embed([text])[0] if needs_vector else None
        stored = self._store.update(updated, expected, entry, vector)
        self._events.publish(
            "memory.updated", owner.tenant, {"id": stored.id, "user_id": stored.user_id, "fields": changed}
        )
        return stored

    def delete(self, owner: Owner, memory_id: str, agent_id: str | None = None) -> None:
        validation.identifier("user_id", owner.user_id)
        if agent_id is not None:
            self.get(owner, memory_id, agent_id)
        if not self._store.delete(owner, [memory_id]):
            raise NotFound(f"Memory {memory_id} was not found for this user.")
        self._events.publish("memory.deleted", owner.tenant, {"id": memory_id, "user_id": owner.user_id})

    def delete_many(self, owner: Owner, memory_ids: Sequence[str], agent_id: str | None = None) -> list[str]:
        """Forget several memories; ids that do not exist for this user (or, with `agent_id`, are another agent's)
        are ignored (deleting is idempotent)."""
        validation.identifier("user_id", owner.user_id)
        if len(memory_ids) > limits.MAX_BULK_DELETE_IDS:
            raise InvalidInput(f"at most {limits.MAX_BULK_DELETE_IDS} ids can be deleted in one call.")
        for memory_id in memory_ids:
            validation.identifier("ids entry", memory_id)
        if agent_id is not None:
            found = self._store.get_many(owner, memory_ids, self._clock())
            memory_ids = [i for i in memory_ids if i in found and found[i].agent_id == agent_id]
        deleted = self._store.delete(owner, memory_ids)
        for memory_id in deleted:
            self._events.publish("memory.deleted", owner.tenant, {"id": memory_id, "user_id": owner.user_id})
        return deleted
