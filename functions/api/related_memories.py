"""GET /v1/memories/{memory_id}/related: the closest memories in meaning."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.search import related as router

handler = api_handler(router)
