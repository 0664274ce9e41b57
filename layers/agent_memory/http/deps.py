"""Request-scoped dependencies: the runtime, the authenticated principal and its scopes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from agent_memory.contract import API_KEY_HEADER
from agent_memory.domain.errors import Forbidden
from agent_memory.domain.models import Principal, Scope
from agent_memory.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime_provider()
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


api_key_header = APIKeyHeader(name=API_KEY_HEADER, auto_error=False, description="Your agent-memory API key.")


def get_principal(runtime: RuntimeDep, x_api_key: Annotated[str | None, Depends(api_key_header)]) -> Principal:
    return runtime.keys.authenticate(x_api_key)


def require(scope: Scope) -> Callable[[Principal], Principal]:
    def check(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if not principal.allows(scope):
            raise Forbidden(f"This API key lacks the '{scope.value}' scope.")
        return principal

    return check


Reader = Annotated[Principal, Depends(require(Scope.READ))]
Writer = Annotated[Principal, Depends(require(Scope.WRITE))]
Admin = Annotated[Principal, Depends(require(Scope.ADMIN))]
