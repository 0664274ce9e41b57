"""GET /api/assistants/{assistant_id}/memories: Backboard's list an assistant's memories."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.backboard import list_memories as router

handler = api_handler(router)
