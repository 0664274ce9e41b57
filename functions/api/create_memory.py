"""POST /v1/memories: remember one thing about a user."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.memories import create as router

handler = api_handler(router)
