"""FastAPI app factory. The local server mounts every router; a Lambda function mounts only its own."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, FastAPI

from agent_memory import __version__
from agent_memory.domain.limits import MAX_BODY_BYTES
from agent_memory.http.body_limit import BodyLimitMiddleware
from agent_memory.http.errors import install_error_handlers
from agent_memory.runtime import Runtime


def default_routers() -> list[APIRouter]:
    from agent_memory.http.routers import health, memories, search, settings

    # search first: its /v1/memories/search must win over /v1/memories/{memory_id}.
    return [health.router, search.router, memories.router, settings.router]


def create_app(runtime: Runtime, routers: Sequence[APIRouter] | None = None) -> FastAPI:
    app = FastAPI(
        title="agent-memory",
        version=__version__,
        description="Long-term memory for AI assistants and agents. Authenticate with the `X-API-Key` header.",
    )
    app.state.runtime = runtime
    for router in routers if routers is not None else default_routers():
        app.include_router(router)
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=MAX_BODY_BYTES)
    return app
