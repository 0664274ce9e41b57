"""POST /v1/memories/batch: remember up to 100 things at once."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.memories import create_batch as router

handler = api_handler(router)
