"""POST /api/memory/backfill-entities: Snippbot's entity backfill (a job)."""

from agent_memory.entry.api import api_handler
from agent_memory.http.dialects.snippbot import backfill_entities as router

handler = api_handler(router)
