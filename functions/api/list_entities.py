"""GET /v1/entities: a user's entities, most mentioned first."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.graph import entities as router

handler = api_handler(router)
