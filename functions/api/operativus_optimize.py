"""POST /api/memories/optimize: Operativus's optimize (a job)."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.operativus import optimize as router

handler = api_handler(router)
