"""GET /v1/runs/search: the assistant's earlier outputs in a user's conversations that match a query."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.conversations import runs as router

handler = api_handler(router)
