"""GET /api/users/{user_id}/memories: Teammate's list a user's memories."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.teammate import list_ as router

handler = api_handler(router)
