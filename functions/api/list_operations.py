"""GET /v1/operations: the tenant's jobs, newest first."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.jobs import listing as router

handler = api_handler(router)
