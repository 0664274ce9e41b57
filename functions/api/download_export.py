"""GET /v1/exports/{operation_id}: the file of a finished export job (a pre-signed URL on AWS)."""

from agent_memory.entry.api import api_handler
from agent_memory.http.routers.data_rights import download as router

handler = api_handler(router)
