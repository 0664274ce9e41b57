"""GET /v1/memories: a user's memories, newest first."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.memories import listing as router

handler = api_handler(router)
