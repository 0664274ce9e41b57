"""GET /api/assistants/{assistant_id}/memories/operations/{operation_id}: Backboard's memory operation status."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.backboard import operation_status as router

handler = api_handler(router)
