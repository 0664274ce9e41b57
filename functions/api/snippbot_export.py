"""GET /api/settings/memory/export: Snippbot's memory export (a JSON download)."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.snippbot import export as router

handler = api_handler(router)
