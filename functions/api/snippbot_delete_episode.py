"""DELETE /api/memory/episodes/{id}: delete a Snippbot episode."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.snippbot import delete_episode as router

handler = api_handler(router)
