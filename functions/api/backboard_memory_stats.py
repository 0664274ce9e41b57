"""GET /api/assistants/{assistant_id}/memories/stats: Backboard's memory stats."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.backboard import memory_stats as router

handler = api_handler(router)
