"""GET /healthz: liveness, no key needed."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.health import router

handler = api_handler(router)
