"""Applies DynamoDB stream records of memory items to the knowledge graph's adjacency items (see dynamo.graph):
idempotent, in order per memory, conditioned on the memory's version; a record that fails is reported on its own."""

from __future__ import annotations

from agent_memory.entry import shared
from agent_memory.entry.stream_batches import stream_handler

handler = stream_handler(lambda: shared.shared_runtime().graph_projector.apply, "GraphRecords")
