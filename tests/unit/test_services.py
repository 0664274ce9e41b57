"""Service rules with a fixed clock: events, history, expiry, settings and keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent_memory.adapters.local.embedders import HashingEmbedder
from agent_memory.adapters.local.events import InProcessEventPublisher
from agent_memory.adapters.local.sqlite import SqliteStores, open_stores
from agent_memory.domain.cursor import CursorCodec
from agent_memory.domain.errors import (
    IdempotencyKeyInUse,
    IdempotencyKeyReused,
    InvalidInput,
    NotFound,
    Unauthenticated,
)
from agent_memory.domain.models import MemoryFilter, MemoryPatch, NewMemory, Owner, Scope
from agent_memory.services.idempotency import IdempotencyService
from agent_memory.services.keys import KeyService, hash_key, parse_scopes
from agent_memory.services.memories import MemoryService
from agent_memory.services.settings import SettingsService

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
ALICE = Owner("acme", "alice")


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def stores(tmp_path: Path) -> SqliteStores:
    return open_stores(tmp_path / "s.db")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def events() -> tuple[InProcessEventPublisher, list[tuple[str, str, dict]]]:
    publisher = InProcessEventPublisher()
    seen: list[tuple[str, str, dict]] = []
    publisher.subscribe(lambda kind, tenant, detail: seen.append((kind, tenant, detail)))
    return publisher, seen


@pytest.fixture
def service(stores, clock, events) -> MemoryService:
    return MemoryService(stores.memories, stores.settings, events[0], CursorCodec(b"k"), HashingEmbedder(), clock=clock)


def test_create_update_delete_publish_change_events(service, events) -> None:
    memory = service.create("acme", NewMemory(user_id="alice", content="Lives in Paris"))
    service.update(ALICE, memory.id, MemoryPatch(content="Lives in Berlin"))
    service.delete(ALICE, memory.id)
    assert [(kind, tenant) for kind, tenant, _ in events[1]] == [
        ("memory.created", "acme"),
        ("memory.updated", "acme"),
        ("memory.deleted", "acme"),
    ]
    assert events[1][1][2]["fields"] == ["content"]


def test_a_failing_subscriber_does_not_fail_the_write(service, events) -> None:
    def explode(*_: object) -> None:
        raise RuntimeError("listener down")

    events[0].subscribe(explode)
    memory = service.create("acme", NewMemory(user_id="alice", content="still stored"))
    assert service.get(ALICE, memory.id) == memory


def test_timestamps_come_from_the_clock_and_update_moves_updated_at(service, clock) -> None:
    memory = service.create("acme", NewMemory(user_id="alice", content="x"))
    assert memory.created_at == memory.updated_at == NOW
    clock.now = NOW + timedelta(minutes=5)
    updated = service.update(ALICE, memory.id, MemoryPatch(importance=0.9))
    assert updated.created_at == NOW and updated.updated_at == clock.now and updated.version == 2


def test_memory_disappears_once_expired(service, clock) -> None:
    memory = service.create("acme", NewMemory(user_id="alice", content="x", expires_at=NOW + timedelta(hours=1)))
    clock.now = NOW + timedelta(hours=2)
    with pytest.raises(NotFound):
        service.get(ALICE, memory.id)


def test_naive_expiry_is_taken_as_utc_and_past_expiry_is_rejected(service) -> None:
    memory = service.create("acme", NewMemory(user_id="alice", content="x", expires_at=datetime(2026, 5, 2, 0, 0)))
    assert memory.expires_at == datetime(2026, 5, 2, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="future"):
        service.create("acme", NewMemory(user_id="alice", content="y", expires_at=NOW - timedelta(seconds=1)))


def test_history_of_a_missing_memory_is_not_found(service) -> None:
    with pytest.raises(NotFound):
        service.history(ALICE, "01NOTHERE")


@pytest.mark.parametrize("limit", [0, 101])
def test_list_limit_is_bounded_in_the_service_too(service, limit) -> None:
    with pytest.raises(InvalidInput):
        service.list_memories(ALICE, MemoryFilter(), limit)


def test_settings_validate_and_keep_unchanged_fields(stores) -> None:
    settings = SettingsService(stores.settings)
    settings.update("acme", {"default_memory_mode": "readonly"})
    assert settings.update("acme", {"max_content_chars": 2000}).default_memory_mode == "readonly"
    with pytest.raises(InvalidInput):
        settings.update("acme", {"max_content_chars": 0})
    with pytest.raises(InvalidInput):
        settings.update("acme", {"default_memory_mode": "maybe"})


def test_keys_are_stored_hashed_and_authenticate_to_their_tenant(stores) -> None:
    keys = KeyService(stores.keys)
    plaintext, record = keys.create("acme", frozenset({Scope.READ}))
    assert stores.keys.find_key(plaintext) is None  # never stored in clear
    assert stores.keys.find_key(hash_key(plaintext)) == record
    principal = keys.authenticate(plaintext)
    assert principal.tenant == "acme" and principal.allows(Scope.READ) and not principal.allows(Scope.WRITE)
    for bad in (None, "", "am_nope", "x" * 300):
        with pytest.raises(Unauthenticated):
            keys.authenticate(bad)


def test_scopes_are_parsed_strictly() -> None:
    assert parse_scopes(["read", " WRITE "]) == frozenset({Scope.READ, Scope.WRITE})
    with pytest.raises(InvalidInput):
        parse_scopes(["sudo"])
    with pytest.raises(InvalidInput):
        parse_scopes([" "])


def test_idempotency_in_flight_and_reuse(stores) -> None:
    service = IdempotencyService(stores.idempotency)
    calls = []

    def produce():
        calls.append(1)
        # While the first request runs, a second with the same key is told to wait.
        with pytest.raises(IdempotencyKeyInUse):
            service.run("acme", "k", "fp", lambda: (200, b"second"), lambda e: (e.status, b""))
        return 201, b"first"

    assert service.run("acme", "k", "fp", produce, lambda e: (e.status, b"")) == ((201, b"first"), False)
    assert service.run("acme", "k", "fp", produce, lambda e: (e.status, b"")) == ((201, b"first"), True)
    assert len(calls) == 1
    with pytest.raises(IdempotencyKeyReused):
        service.run("acme", "k", "other", produce, lambda e: (e.status, b""))
