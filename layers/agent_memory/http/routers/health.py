"""Liveness probe, unauthenticated."""

from __future__ import annotations

from fastapi import APIRouter

from agent_memory import __version__

router = APIRouter(tags=["health"])


@router.get("/healthz")
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}
