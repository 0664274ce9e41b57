"""DELETE /v1/memories: clear every memory of a user (or, admin, of the tenant), confirmed."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.data_rights import clear as router

handler = api_handler(router)
