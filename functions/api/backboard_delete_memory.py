"""DELETE /api/assistants/{assistant_id}/memories/{memory_id}: Backboard's delete a memory."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.backboard import delete_memory as router

handler = api_handler(router)
