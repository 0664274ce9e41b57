"""Starting async jobs and reading their operations: one job per (tenant, user, kind) at a time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from agent_memory.domain import validation
from agent_memory.domain.clock import utcnow
from agent_memory.domain.errors import AgentMemoryError, InvalidInput, NotFound
from agent_memory.domain.ids import new_ulid
from agent_memory.domain.models import Owner
from agent_memory.domain.operations import (
    MAX_LISTED_OPERATIONS,
    JobKind,
    JobUnavailable,
    Operation,
    OperationAbandoned,
    OperationStatus,
    lock_expiry,
)
from agent_memory.ports import ErasureMarks, JobRunner, OperationStore
from agent_memory.services.erasure_guard import refuse_while_erasing

PARAMETERS: dict[JobKind, frozenset[str]] = {
    JobKind.OPTIMIZE: frozenset({"dry_run"}),
    JobKind.BACKFILL_ENTITIES: frozenset(),
    JobKind.CONSOLIDATE_CONVERSATIONS: frozenset(),
    JobKind.GENERATE_EPISODES: frozenset(),
    JobKind.REINDEX: frozenset({"force"}),
    JobKind.ERASE_USER: frozenset(),
    JobKind.EXPORT: frozenset(),
}
"""What each kind accepts besides user_id (all booleans)."""

log = logging.getLogger(__name__)


class OperationService:
    def __init__(
        self,
        store: OperationStore,
        runner: Callable[[], JobRunner],
        erasures: ErasureMarks,
        clock: Callable[[], datetime] = utcnow,
        new_id: Callable[[], str] = new_ulid,
    ) -> None:
        self._store = store
        self._runner = runner
        self._erasures = erasures
        self._clock = clock
        self._new_id = new_id

    def start(self, tenant: str, user_id: str, kind: JobKind, params: dict[str, Any]) -> tuple[Operation, bool]:
        """The new queued operation and True, or the unfinished one of the same kind for this user and False."""
        validation.identifier("user_id", user_id)
        unknown = set(params) - PARAMETERS[kind]
        if unknown:
            raise InvalidInput(f"{kind.value} does not take {', '.join(sorted(unknown))}.")
        if any(not isinstance(value, bool) for value in params.values()):
            raise InvalidInput("job parameters are true or false.")
        if kind is not JobKind.ERASE_USER:
            refuse_while_erasing(self._erasures, Owner(tenant, user_id))
        now = self._clock()
        operation = Operation(
            id=self._new_id(),
            tenant=tenant,
            user_id=user_id,
            kind=kind,
            status=OperationStatus.QUEUED,
            created_at=now,
            updated_at=now,
            params=dict(params),
        )
        current, created = self._store.open_operation(operation, lock_expiry(now), now)
        if not created:
            return current, False
        try:
            self._runner().start(operation)
        except AgentMemoryError as exc:
            self._give_up(operation, exc.detail)
            raise JobUnavailable(f"The {kind.value} job could not be started: {exc.detail}") from None
        return operation, True

    def _give_up(self, operation: Operation, reason: str) -> None:
        now = self._clock()
        failed = operation.with_changes(status=OperationStatus.FAILED, error=reason, updated_at=now, finished_at=now)
        try:
            self._store.save_operation(failed, None)
        except (OperationAbandoned, AgentMemoryError) as exc:
            log.warning("could not mark operation %s failed: %s", operation.id, exc)

    def get(self, tenant: str, operation_id: str, user_id: str | None = None) -> Operation:
        """`user_id`: only an operation of this user (a key bound to one); another user's is not found."""
        found = self._store.get_operation(tenant, validation.identifier("operation_id", operation_id))
        if found is None or user_id not in (None, found.user_id):
            raise NotFound(f"Operation {operation_id} was not found.")
        return found

    def list(
        self,
        tenant: str,
        user_id: str | None = None,
        kind: JobKind | None = None,
        status: OperationStatus | None = None,
        limit: int = 20,
        before_id: str | None = None,
    ) -> tuple[list[Operation], str | None]:
        """A page, newest first, and the id to pass as `before` for the next page (None on the last)."""
        if user_id is not None:
            validation.identifier("user_id", user_id)
        if before_id is not None:
            validation.identifier("before", before_id)
        if not 1 <= limit <= MAX_LISTED_OPERATIONS:
            raise InvalidInput(f"limit must be between 1 and {MAX_LISTED_OPERATIONS}.")
        found = self._store.list_operations(tenant, user_id, kind, status, limit + 1, before_id)
        page = found[:limit]
        return page, page[-1].id if len(found) > limit else None
