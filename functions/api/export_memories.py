"""GET /v1/export: a user's (or, admin, the tenant's) memories with history, settings and operations as a download."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.data_rights import export as router

handler = api_handler(router)
