"""First state of every job: the operation turns from queued to running."""

from agent_memory.entry.jobs import begin_handler as handler

__all__ = ["handler"]
