"""SnapStart priming: what a restored API function would import on its first request is imported before the
snapshot is taken instead, so it is part of the snapshot.

A function imports only its handler at init and builds the runtime (adapters, services, boto3) on its first request,
so nothing that holds a connection, a credential or a random seed is captured in a snapshot. Imports hold none of
these, so priming imports modules and builds nothing: after a restore, the first request still creates its own
clients (credentials from the sandbox's own provider) and ids still come from `os.urandom`.
"""

from __future__ import annotations

import importlib

# The AWS backend and every service an API operation may use, with the SDK they build on.
PRIMED_MODULES = (
    "boto3",
    "botocore.config",
    "opensearchpy",
    "agent_memory.backends.aws",
    "agent_memory.adapters.aws.dynamo",
    "agent_memory.adapters.aws.fresh_index",
    "agent_memory.adapters.aws.opensearch_index",
    "agent_memory.adapters.aws.bedrock",
    "agent_memory.adapters.aws.log_archive",
    "agent_memory.adapters.aws.export_objects",
    "agent_memory.adapters.aws.step_functions",
    "agent_memory.services.memories",
    "agent_memory.services.search",
    "agent_memory.services.settings",
    "agent_memory.services.conversations",
    "agent_memory.services.operations",
    "agent_memory.services.data_rights",
    "agent_memory.services.graph",
    "agent_memory.services.clusters",
    "agent_memory.services.idempotency",
)


def prime() -> list[str]:
    """Imports the modules; returns those that are not installed (a function's layer may leave some out)."""
    missing = []
    for name in PRIMED_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            missing.append(name)
    return missing


def register_priming() -> bool:
    """Registers `prime` to run before Lambda takes the snapshot; False where there are no SnapStart hooks (the
    hooks' library ships in Lambda's managed Python runtimes only)."""
    try:
        from snapshot_restore_py import register_before_snapshot
    except ImportError:
        return False
    register_before_snapshot(prime)
    return True
