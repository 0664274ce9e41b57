"""GET /v1/operations/{operation_id}: how a job is going."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.jobs import get_one as router

handler = api_handler(router)
