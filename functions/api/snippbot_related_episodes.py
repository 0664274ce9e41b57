"""GET /api/memory/episodes/{id}/related: a Snippbot episode's related episodes."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.snippbot import related_episodes as router

handler = api_handler(router)
