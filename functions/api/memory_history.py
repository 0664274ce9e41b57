"""GET /v1/memories/{memory_id}/history: every version of a memory."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.memories import history as router

handler = api_handler(router)
