"""POST /api/memory/consolidate/conversations: Snippbot's consolidation from conversations (a job)."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.snippbot import consolidate as router

handler = api_handler(router)
