"""POST /api/threads/{thread_id}/messages: Backboard's thread message, with memory."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.backboard import add_message as router

handler = api_handler(router)
