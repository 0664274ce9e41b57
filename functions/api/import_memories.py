"""POST /v1/import: an export written back (idempotent, duplicate rule applied, vectors re-made)."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.data_rights import import_ as router

handler = api_handler(router)
