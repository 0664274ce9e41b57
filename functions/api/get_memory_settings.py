"""GET /v1/settings/memory: the tenant's memory settings."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.settings import read as router

handler = api_handler(router)
