"""POST /api/memory/generate-episodes: Snippbot's episode generation (a job)."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.snippbot import generate_episodes as router

handler = api_handler(router)
