"""DynamoDB stream → search index, with partial batch failures."""

from agent_memory.entry.stream_indexer import handler

__all__ = ["handler"]
