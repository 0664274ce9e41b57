"""GET /api/memory/clusters: Snippbot's memory clusters."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.snippbot import clusters as router

handler = api_handler(router)
