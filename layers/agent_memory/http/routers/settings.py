"""/v1/settings/memory: the tenant's memory settings."""

from __future__ import annotations

from fastapi import APIRouter

from agent_memory.http.deps import Admin, Reader, Settings
from agent_memory.http.schemas import MemorySettingsOut, MemorySettingsUpdate

# One router per operation (see memories.py).
read = APIRouter(prefix="/v1/settings", tags=["settings"])
write = APIRouter(prefix="/v1/settings", tags=["settings"])


@read.get("/memory", response_model=MemorySettingsOut)
def get_memory_settings(principal: Reader, settings: Settings) -> MemorySettingsOut:
    return MemorySettingsOut.of(settings.get(principal.tenant))


@write.put("/memory", response_model=MemorySettingsOut)
def put_memory_settings(body: MemorySettingsUpdate, principal: Admin, settings: Settings) -> MemorySettingsOut:
    """Change the tenant's settings (admin scope). Fields left out keep their value; `null` turns a retention off.
    One invalid field changes nothing (422 naming it)."""
    updated = settings.update(principal.tenant, body.changes())
    return MemorySettingsOut.of(updated)


ROUTERS = [read, write]
