"""GET /api/memories: Operativus's memory search (strings)."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.operativus import search as router

handler = api_handler(router)
