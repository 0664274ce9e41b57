"""POST /v1/jobs/{kind}: start an async job for a user (or get the one of that kind still running)."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.jobs import start as router

handler = api_handler(router)
