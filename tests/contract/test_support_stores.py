"""SettingsStore, KeyStore and IdempotencyStore contracts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agent_memory.domain.limits import IDEMPOTENCY_LEASE_SECONDS
from agent_memory.domain.models import ApiKeyRecord, Scope, TenantSettings

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_settings_default_then_persist_per_tenant(settings_store) -> None:
    assert settings_store.get_settings("acme") == TenantSettings()
    settings_store.put_settings("acme", TenantSettings(max_content_chars=1000, default_memory_mode="on"))
    assert settings_store.get_settings("acme") == TenantSettings(max_content_chars=1000, default_memory_mode="on")
    assert settings_store.get_settings("globex") == TenantSettings()


def test_keys_are_found_by_hash_listed_per_tenant_and_revoked(key_store) -> None:
    record = ApiKeyRecord("k1", "acme", frozenset({Scope.READ}), T0, name="ci")
    key_store.add_key(record, "hash-1")
    key_store.add_key(ApiKeyRecord("k2", "globex", frozenset({Scope.ADMIN}), T0), "hash-2")
    assert key_store.find_key("hash-1") == record
    assert key_store.find_key("nope") is None
    assert [r.key_id for r in key_store.list_keys("acme")] == ["k1"]
    assert {r.key_id for r in key_store.list_keys(None)} == {"k1", "k2"}
    assert key_store.revoke_key("k1", T0) is True
    assert key_store.revoke_key("k1", T0) is False
    assert key_store.find_key("hash-1").revoked_at == T0


def test_idempotency_reserve_complete_replay_and_release(idempotency_store) -> None:
    assert idempotency_store.reserve("acme", "key-1", "fp", T0) is None
    in_flight = idempotency_store.reserve("acme", "key-1", "fp", T0)
    assert in_flight is not None and in_flight.status is None
    idempotency_store.complete("acme", "key-1", 201, b'{"id":"x"}')
    done = idempotency_store.reserve("acme", "key-1", "fp", T0)
    assert (done.status, done.body, done.fingerprint) == (201, b'{"id":"x"}', "fp")
    assert idempotency_store.reserve("globex", "key-1", "fp", T0) is None  # keys are per tenant
    idempotency_store.release("acme", "key-1")
    assert idempotency_store.reserve("acme", "key-1", "fp2", T0) is None


def test_idempotency_records_expire_after_a_day(idempotency_store) -> None:
    idempotency_store.reserve("acme", "old", "fp", T0)
    idempotency_store.complete("acme", "old", 201, b"{}")
    assert idempotency_store.reserve("acme", "old", "other", T0 + timedelta(hours=25)) is None


def test_idempotency_reservation_of_a_request_that_died_is_taken_over_after_its_lease(idempotency_store) -> None:
    # Given a reservation whose request never completed (its process was killed mid-request)
    assert idempotency_store.reserve("acme", "crashed", "fp", T0) is None
    # When a retry arrives within the lease, the request still counts as running
    running = idempotency_store.reserve("acme", "crashed", "fp", T0 + timedelta(seconds=IDEMPOTENCY_LEASE_SECONDS - 1))
    assert running is not None and running.status is None
    # Then once the lease has lapsed, the retry takes the key over and does the work itself
    assert (
        idempotency_store.reserve("acme", "crashed", "fp", T0 + timedelta(seconds=IDEMPOTENCY_LEASE_SECONDS + 1))
        is None
    )
    idempotency_store.complete("acme", "crashed", 201, b"{}")
    # ...and a completed outcome is kept for replay well beyond the lease
    replay = idempotency_store.reserve("acme", "crashed", "fp", T0 + timedelta(hours=1))
    assert replay is not None and replay.status == 201
