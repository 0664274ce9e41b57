"""Clearing memories (one user's, or the whole tenant's) and starting the erasure of a user everywhere."""

from __future__ import annotations

from agent_memory.domain import validation
from agent_memory.domain.errors import ConfirmationRequired, NotFound
from agent_memory.domain.models import Owner
from agent_memory.domain.operations import JobKind, Operation
from agent_memory.ports import ConversationArchive, EventPublisher, IdempotencyStore, MemoryStore, OperationStore
from agent_memory.services.operations import OperationService

CLEAR_PAGE = 500


class DataRightsService:
    def __init__(
        self,
        store: MemoryStore,
        archive: ConversationArchive,
        operation_store: OperationStore,
        idempotency: IdempotencyStore,
        operations: OperationService,
        events: EventPublisher,
    ) -> None:
        self._store = store
        self._archive = archive
        self._operation_store = operation_store
        self._idempotency = idempotency
        self._operations = operations
        self._events = events

    def clear_user(self, owner: Owner, confirm: str | None) -> int:
        """Delete every memory of the user (with history); `confirm` must repeat the user id. Returns how many."""
        validation.identifier("user_id", owner.user_id)
        if confirm != owner.user_id:
            raise ConfirmationRequired(
                "Clearing deletes every memory of the user and cannot be undone: repeat the user id as confirm."
            )
        return self._clear(owner)

    def clear_tenant(self, tenant: str, confirm: str | None) -> int:
        """Delete every memory of every user of the tenant; `confirm` must be the tenant id. Returns how many."""
        if confirm != tenant:
            raise ConfirmationRequired(
                "Clearing the tenant deletes every memory of every user and cannot be undone: give your tenant id as"
                " confirm."
            )
        return sum(self._clear(Owner(tenant, user_id)) for user_id in self._store.user_ids(tenant))

    def _clear(self, owner: Owner) -> int:
        cleared = 0
        while counts := self._store.erase_page(owner, CLEAR_PAGE):
            cleared += counts.get("memories", 0)
        if cleared:
            self._events.publish("memories.cleared", owner.tenant, {"user_id": owner.user_id, "cleared": cleared})
        return cleared

    def erase_user(self, tenant: str, user_id: str) -> tuple[Operation, bool]:
        """Start (or join) the erasure job of a user the service knows: one with memories, logs, operations or
        stored responses here (each asked for one record, not read whole). Another user id is NotFound."""
        owner = Owner(tenant, validation.identifier("user_id", user_id))
        known = (
            bool(self._store.memory_page(owner, None, 1))
            or bool(self._operation_store.list_operations(tenant, user_id, None, None, 1, None))
            or self._idempotency.holds_user(tenant, user_id)
            or bool(self._archive.logs_of(tenant, user_id))
        )
        if not known:
            raise NotFound(f"User {user_id} has no memories, logs or operations here.")
        return self._operations.start(tenant, user_id, JobKind.ERASE_USER, {})
