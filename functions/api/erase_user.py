"""DELETE /v1/users/{user_id}: start erasing every trace of a user (a job whose operation is the receipt)."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.data_rights import erase as router

handler = api_handler(router)
