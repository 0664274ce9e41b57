"""POST /api/memories: Operativus's add a memory."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.operativus import add as router

handler = api_handler(router)
