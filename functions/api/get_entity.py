"""GET /v1/entities/{entity_id}: one entity with its relations and memories."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.graph import entity as router

handler = api_handler(router)
