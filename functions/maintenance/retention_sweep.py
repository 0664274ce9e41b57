"""Scheduled daily: delete memories and raw logs that the tenants' retention settings expire."""

from agent_memory.entry.retention import handler

__all__ = ["handler"]
