"""GET /api/memory/graph: Snippbot's knowledge graph."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.snippbot import graph as router

handler = api_handler(router)
