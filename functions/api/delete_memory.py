"""DELETE /v1/memories/{memory_id}: forget one memory."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.memories import delete as router

handler = api_handler(router)
