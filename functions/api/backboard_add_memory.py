"""POST /api/assistants/{assistant_id}/memories: Backboard's add a memory."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.backboard import add_memory as router

handler = api_handler(router)
