"""What Lambda entry points share: one Runtime per warm container, built from the environment on first use."""

from __future__ import annotations

from functools import lru_cache

from agent_memory.runtime import Runtime


@lru_cache(maxsize=1)
def shared_runtime() -> Runtime:
    return Runtime()
