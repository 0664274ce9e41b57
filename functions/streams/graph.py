"""DynamoDB stream → knowledge graph adjacency items, with partial batch failures."""

from agent_memory.entry.stream_graph import handler

__all__ = ["handler"]
