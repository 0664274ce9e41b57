"""GET /v1/memories/search: find memories by meaning and keyword."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.search import search as router

handler = api_handler(router)
