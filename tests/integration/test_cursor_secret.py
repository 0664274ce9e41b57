"""On AWS the cursor secret lives in Secrets Manager (moto), read on the first cursor only."""

from __future__ import annotations

import boto3
import pytest

from agent_memory.domain.errors import ConfigurationError
from agent_memory.domain.models import MemoryFilter, NewMemory, Owner
from tests.aws_support import REGION, aws_runtime

ALICE = Owner("acme", "alice")


def _remember_three(runtime) -> None:
    for text in ("likes tea", "plays chess", "lives in Oslo"):
        runtime.memories.create("acme", NewMemory(user_id="alice", content=text))


def test_cursors_are_signed_with_the_secret_from_secrets_manager() -> None:
    with aws_runtime(cursor_secret=None) as (runtime, _):
        arn = boto3.client("secretsmanager", region_name=REGION).create_secret(
            Name="cursor", SecretString="s3cret-from-the-stack"
        )["ARN"]
        runtime.config.cursor_secret_arn = arn
        _remember_three(runtime)
        # When a user's memories are paged two at a time
        first = runtime.memories.list_memories(ALICE, MemoryFilter(), 2, None, 0)
        second = runtime.memories.list_memories(ALICE, MemoryFilter(), 2, first.next_cursor, 0)
        # Then the signed cursor leads to the rest
        assert first.next_cursor and len(second.items) == 1
        assert {m.id for m in first.items}.isdisjoint({m.id for m in second.items})


def test_a_missing_secret_is_a_configuration_error_not_a_crash() -> None:
    with aws_runtime(cursor_secret=None) as (runtime, _):
        runtime.config.cursor_secret_arn = f"arn:aws:secretsmanager:{REGION}:123456789012:secret:gone-AbCdEf"
        _remember_three(runtime)
        # When a page has a next page whose cursor must be signed; Then a clear configuration error, not a 500
        with pytest.raises(ConfigurationError, match="cursor secret"):
            runtime.memories.list_memories(ALICE, MemoryFilter(), 2, None, 0)
