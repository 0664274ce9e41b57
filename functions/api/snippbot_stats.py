"""GET /api/memory/stats: Snippbot's memory statistics."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.snippbot import stats as router

handler = api_handler(router)
