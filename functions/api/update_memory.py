"""PATCH /v1/memories/{memory_id}: change a memory."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.memories import update as router

handler = api_handler(router)
