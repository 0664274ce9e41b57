"""Last state of every job: the operation succeeds and its lock is released."""

from agent_memory.entry.jobs import finish_handler as handler

__all__ = ["handler"]
