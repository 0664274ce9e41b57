"""POST /api/assistants/{assistant_id}/threads: Backboard's create a thread."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.backboard import create_thread as router

handler = api_handler(router)
