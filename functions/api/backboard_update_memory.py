"""PUT /api/assistants/{assistant_id}/memories/{memory_id}: Backboard's update a memory."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.backboard import update_memory as router

handler = api_handler(router)
