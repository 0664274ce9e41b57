"""GET /v1/stats: statistics of a user's or a tenant's memories."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.search import stats as router

handler = api_handler(router)
