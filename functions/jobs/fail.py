"""Catch target of every job step: the operation fails with the step's error and its lock is released."""

from agent_memory.entry.jobs import fail_handler as handler

__all__ = ["handler"]
