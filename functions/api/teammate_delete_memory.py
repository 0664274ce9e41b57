"""DELETE /api/users/{user_id}/memories/{memory_id}: Teammate's delete a memory."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.teammate import delete as router

handler = api_handler(router)
