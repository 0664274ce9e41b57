"""GET /v1/clusters: a user's memories in n clusters by meaning, each named after its members."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.knowledge import clusters as router

handler = api_handler(router)
