"""Idempotency-Key: a repeated request gets the first response instead of doing the work twice."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime

from agent_memory.domain import validation
from agent_memory.domain.clock import utcnow
from agent_memory.domain.errors import AgentMemoryError, IdempotencyKeyInUse, IdempotencyKeyReused
from agent_memory.ports import IdempotencyStore

Outcome = tuple[int, bytes]
"""An HTTP-independent response: status code and body bytes."""


def fingerprint(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


class IdempotencyService:
    def __init__(self, store: IdempotencyStore, clock: Callable[[], datetime] = utcnow) -> None:
        self._store = store
        self._clock = clock

    def run(
        self,
        tenant: str,
        key: str,
        request_fingerprint: str,
        produce: Callable[[], Outcome],
        render_error: Callable[[AgentMemoryError], Outcome],
        user_ids: Sequence[str] = (),
    ) -> tuple[Outcome, bool]:
        """Returns the outcome and whether it is a replay of an earlier request. `user_ids` are the users the request
        is about: erasing one of them removes the stored outcome too."""
        validation.identifier("Idempotency-Key", key)
        earlier = self._store.reserve(tenant, key, request_fingerprint, self._clock(), tuple(user_ids))
        if earlier is not None:
            if earlier.fingerprint != request_fingerprint:
                raise IdempotencyKeyReused(
                    "This Idempotency-Key was used with a different request; use a new key for new requests."
                )
            if earlier.status is None:
                raise IdempotencyKeyInUse("A request with this Idempotency-Key is still running; retry shortly.")
            return (earlier.status, earlier.body), True
        try:
            outcome = produce()
        except AgentMemoryError as exc:
            if exc.status >= 500:
                self._store.release(tenant, key)
                raise
            outcome = render_error(exc)
        except BaseException:
            # Nothing was decided: let the client retry with the same key.
            self._store.release(tenant, key)
            raise
        self._store.complete(tenant, key, outcome[0], outcome[1])
        return outcome, False
