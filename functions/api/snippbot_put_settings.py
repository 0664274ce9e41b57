"""PUT /api/settings/memory: change Snippbot's memory settings."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.snippbot import put_settings as router

handler = api_handler(router)
