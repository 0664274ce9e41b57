"""GET /v1/memories/{memory_id}: one memory."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.memories import get_one as router

handler = api_handler(router)
