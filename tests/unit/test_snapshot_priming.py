"""SnapStart priming: registered where Lambda's hooks exist, imports only (no client, no connection)."""

from __future__ import annotations

import sys
import types

import boto3
import pytest

from agent_memory.entry import snapshot


def test_given_lambdas_hook_library_when_registering_then_prime_runs_before_the_snapshot(monkeypatch) -> None:
    # Given the hooks' library as Lambda's managed runtime provides it
    registered = []
    library = types.ModuleType("snapshot_restore_py")
    library.register_before_snapshot = registered.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", library)
    # When the API entry point registers its priming; Then prime is the hook
    assert snapshot.register_priming() is True
    assert registered == [snapshot.prime]


def test_given_no_hook_library_when_registering_then_nothing_is_registered(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", None)  # an import of it fails, as outside Lambda
    assert snapshot.register_priming() is False


def test_given_the_aws_extra_when_primed_then_every_module_is_imported_and_no_client_is_built(monkeypatch) -> None:
    # Given a boto3 that fails the test if anything asks it for a client (a client holds credentials)
    def no_clients(*args, **kwargs):
        pytest.fail("priming built a boto3 client")

    monkeypatch.setattr(boto3, "client", no_clients)
    # When primed; Then every module is there
    assert snapshot.prime() == []
    assert all(name in sys.modules for name in snapshot.PRIMED_MODULES)


def test_given_a_module_missing_from_the_layer_when_primed_then_it_is_reported_not_raised(monkeypatch) -> None:
    monkeypatch.setattr(snapshot, "PRIMED_MODULES", ("agent_memory.services.search", "not_installed_anywhere"))
    assert snapshot.prime() == ["not_installed_anywhere"]


def test_the_api_handler_registers_priming(monkeypatch) -> None:
    # Given the hooks' library; When an API function module builds its handler; Then priming is registered
    registered = []
    library = types.ModuleType("snapshot_restore_py")
    library.register_before_snapshot = registered.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", library)
    from agent_memory.entry.api import api_handler
    from agent_memory.http.routers.health import router

    api_handler(router)
    assert registered == [snapshot.prime]
