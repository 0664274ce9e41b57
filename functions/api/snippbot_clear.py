"""DELETE /api/settings/memory/data: clear all of a Snippbot user's memory."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.snippbot import clear as router

handler = api_handler(router)
