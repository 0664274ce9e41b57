"""GET /api/memory/search: Snippbot's search."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.snippbot import search as router

handler = api_handler(router)
