"""GET /v1/topics: the topic labels of a user's memories with their counts."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.knowledge import topics as router

handler = api_handler(router)
