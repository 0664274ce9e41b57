"""GET /api/memories/topics: Operativus's memory topics."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.operativus import topics as router

handler = api_handler(router)
