"""GET /api/memories/stats: Operativus's memory statistics."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.operativus import stats as router

handler = api_handler(router)
