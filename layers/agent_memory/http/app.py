"""FastAPI app factory. The local server mounts every router; a Lambda function mounts only its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI

from agent_memory import __version__
from agent_memory.domain.limits import MAX_BODY_BYTES
from agent_memory.http.docs_pages import install_docs_pages
from agent_memory.http.errors import install_error_handlers
from agent_memory.http.openapi_problems import install_problem_docs
from agent_memory.http.request_guard import RequestGuardMiddleware
from agent_memory.http.ui_pages import install_ui

if TYPE_CHECKING:
    from agent_memory.runtime import Runtime


def default_routers() -> list[APIRouter]:
    from agent_memory.http.dialects import backboard, operativus, snippbot, teammate
    from agent_memory.http.routers import (
        conversations,
        data_rights,
        graph,
        health,
        jobs,
        knowledge,
        memories,
        search,
        settings,
    )

    # search first: its /v1/memories/search must win over /v1/memories/{memory_id}.
    return [
        health.router,
        *search.ROUTERS,
        *memories.ROUTERS,
        *settings.ROUTERS,
        *conversations.ROUTERS,
        *jobs.ROUTERS,
        *data_rights.ROUTERS,
        *knowledge.ROUTERS,
        *graph.ROUTERS,
        *snippbot.ROUTERS,
        *operativus.ROUTERS,
        *teammate.ROUTERS,
        *backboard.ROUTERS,
    ]


def create_app(
    runtime: Runtime | Callable[[], Runtime],
    routers: Sequence[APIRouter] | None = None,
    *,
    openapi: bool = True,
) -> FastAPI:
    """`runtime` may be a factory, called on the first request: a Lambda function builds nothing at import time."""
    app = FastAPI(
        title="agent-memory",
        version=__version__,
        description="Long-term memory for AI assistants and agents. Authenticate with the `X-API-Key` header.",
        openapi_url="/openapi.json" if openapi else None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime_provider = runtime if callable(runtime) else (lambda: runtime)
    for router in routers if routers is not None else default_routers():
        app.include_router(router)
    if routers is None:
        install_ui(app)  # the local server (every router) serves the explorer; a Lambda function only its route
    install_error_handlers(app)
    install_problem_docs(app)
    if openapi:
        install_docs_pages(app, "/openapi.json")
    app.add_middleware(RequestGuardMiddleware, max_bytes=MAX_BODY_BYTES)
    return app
