"""PUT /v1/settings/memory: change the tenant's memory settings."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.settings import write as router

handler = api_handler(router)
