"""API Gateway REQUEST authorizer: `X-API-Key` → tenant, scopes and the usage-plan key."""

from agent_memory.entry.authorizer import handler

__all__ = ["handler"]
