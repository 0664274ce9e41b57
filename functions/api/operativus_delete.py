"""DELETE /api/memories: Operativus's bulk delete."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.operativus import delete as router

handler = api_handler(router)
