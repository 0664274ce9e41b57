"""POST /api/users/{user_id}/memories: Teammate's create a memory."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.teammate import create as router

handler = api_handler(router)
