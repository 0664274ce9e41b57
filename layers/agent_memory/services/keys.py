"""API keys: issued once in clear, stored only as a hash, resolved to a tenant and scopes."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime

from agent_memory.domain import validation
from agent_memory.domain.clock import utcnow
from agent_memory.domain.errors import InvalidInput, NotFound, Unauthenticated
from agent_memory.domain.ids import new_ulid
from agent_memory.domain.models import ApiKeyRecord, Principal, Scope
from agent_memory.ports import KeyStore, UsageKeyRegistry

KEY_PREFIX = "am_"
BEARER = "Authorization: Bearer"
MAX_KEY_LENGTH = 256


def hash_key(plaintext: str) -> str:
    """Keys carry 256 bits of randomness, so a fast hash is enough: there is nothing to brute-force."""
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def parse_scopes(values: Iterable[str]) -> frozenset[Scope]:
    try:
        scopes = frozenset(Scope(value.strip().lower()) for value in values if value.strip())
    except ValueError as exc:
        raise InvalidInput(f"Unknown scope; choose from {', '.join(s.value for s in Scope)}.") from exc
    if not scopes:
        raise InvalidInput("A key needs at least one scope.")
    return scopes


def bearer_token(authorization: str | None) -> str | None:
    """The key of an `Authorization: Bearer <key>` header (scheme in any case); None for any other header."""
    scheme, _, credentials = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip() or None


def presented_key(api_key: str | None, bearer: str | None) -> str | None:
    """The key a request presents, in the X-API-Key header or as a bearer token: two different keys are refused
    rather than one of them chosen."""
    if api_key and bearer and api_key != bearer:
        raise Unauthenticated("X-API-Key and Authorization carry different keys; send one key.")
    return api_key or bearer


class KeyService:
    def __init__(
        self, store: KeyStore, clock: Callable[[], datetime] = utcnow, registry: UsageKeyRegistry | None = None
    ) -> None:
        self._store = store
        self._clock = clock
        self._registry = registry

    def create(
        self,
        tenant: str,
        scopes: frozenset[Scope],
        name: str | None = None,
        user_id: str | None = None,
        agent_id: str | None = None,
    ) -> tuple[str, ApiKeyRecord]:
        """Returns the key in clear (shown once) and its stored record. `user_id` binds the key to one user (and
        `agent_id` to one agent of that user)."""
        validation.identifier("tenant", tenant)
        if not scopes:
            raise InvalidInput("A key needs at least one scope.")
        validation.optional_identifier("user_id", user_id)
        validation.optional_identifier("agent_id", agent_id)
        if agent_id is not None and user_id is None:
            raise InvalidInput("A key bound to an agent is bound to a user too: give user_id.")
        plaintext = KEY_PREFIX + secrets.token_urlsafe(32)
        record = ApiKeyRecord(
            key_id=new_ulid(),
            tenant=tenant,
            scopes=scopes,
            created_at=self._clock(),
            name=name,
            user_id=user_id,
            agent_id=agent_id,
        )
        key_hash = hash_key(plaintext)
        if self._registry is None:
            self._store.add_key(record, key_hash)
            return plaintext, record
        # Metered first: a stored key that the gateway does not know would be refused by every usage plan.
        self._registry.register(record, key_hash)
        try:
            self._store.add_key(record, key_hash)
        except Exception:
            self._registry.disable(record.key_id)
            raise
        return plaintext, record

    def authenticate(self, plaintext: str | None) -> Principal:
        if not plaintext or len(plaintext) > MAX_KEY_LENGTH:
            raise Unauthenticated(f"Send a valid API key in the X-API-Key header or as {BEARER} <key>.")
        record = self._store.find_key(hash_key(plaintext))
        if record is None or record.revoked_at is not None:
            raise Unauthenticated("The API key is not valid or has been revoked.")
        return Principal(
            tenant=record.tenant,
            scopes=record.scopes,
            key_id=record.key_id,
            user_id=record.user_id,
            agent_id=record.agent_id,
        )

    def list_keys(self, tenant: str | None = None) -> list[ApiKeyRecord]:
        return self._store.list_keys(tenant)

    def revoke(self, key_id: str) -> None:
        if not self._store.revoke_key(key_id, self._clock()):
            raise NotFound(f"No active key with id {key_id}.")
        if self._registry is not None:
            self._registry.disable(key_id)
