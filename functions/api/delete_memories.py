"""POST /v1/memories/delete: forget several memories."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.memories import bulk_delete as router

handler = api_handler(router)
