"""GET /api/memory/episodes/{id}: one Snippbot episode."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.snippbot import get_episode as router

handler = api_handler(router)
