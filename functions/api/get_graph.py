"""GET /v1/graph: a user's entities and the relations between them."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.graph import graph as router

handler = api_handler(router)
