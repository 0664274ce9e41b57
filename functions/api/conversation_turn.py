"""POST /v1/conversations/{thread_id}/messages: save what is worth keeping, recall what is relevant."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.conversations import turn as router

handler = api_handler(router)
