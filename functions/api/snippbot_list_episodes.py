"""GET /api/memory/episodes: Snippbot's episode list."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.snippbot import list_episodes as router

handler = api_handler(router)
