"""POST /v1/recalls/{recall_id}/feedback: which recalled memories the client used or ignored."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.search import feedback as router

handler = api_handler(router)
