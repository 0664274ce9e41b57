"""Request-scoped dependencies: one per service a route uses (never the whole runtime), the authenticated principal
and its scopes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from agent_memory.contract import API_KEY_HEADER
from agent_memory.domain.errors import Forbidden
from agent_memory.domain.models import Principal, Scope
from agent_memory.runtime import Runtime
from agent_memory.services.keys import presented_key

if TYPE_CHECKING:
    from agent_memory.services.clusters import ClusterService
    from agent_memory.services.conversations import ConversationService
    from agent_memory.services.data_rights import DataRightsService
    from agent_memory.services.graph import GraphService
    from agent_memory.services.idempotency import IdempotencyService
    from agent_memory.services.memories import MemoryService
    from agent_memory.services.operations import OperationService
    from agent_memory.services.portability import PortabilityService
    from agent_memory.services.search import SearchService
    from agent_memory.services.settings import SettingsService
    from agent_memory.services.transcripts import TranscriptService


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime_provider()
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def service(name: str) -> Callable[[Runtime], object]:
    def provide(runtime: RuntimeDep) -> object:
        return getattr(runtime, name)

    return provide


# A route names the one service it uses. Type checkers see the service class; FastAPI sees a dependency, so a Lambda
# function imports only its own route's services (services are built, and imported, on first use).
if TYPE_CHECKING:
    Memories = MemoryService
    Search = SearchService
    Settings = SettingsService
    Conversations = ConversationService
    Operations = OperationService
    Idempotency = IdempotencyService
    DataRights = DataRightsService
    Clusters = ClusterService
    Graph = GraphService
    Transcripts = TranscriptService
    Portability = PortabilityService
else:
    Memories = Annotated[object, Depends(service("memories"))]
    Search = Annotated[object, Depends(service("search"))]
    Settings = Annotated[object, Depends(service("settings"))]
    Conversations = Annotated[object, Depends(service("conversations"))]
    Operations = Annotated[object, Depends(service("operations"))]
    Idempotency = Annotated[object, Depends(service("idempotency"))]
    DataRights = Annotated[object, Depends(service("data_rights"))]
    Clusters = Annotated[object, Depends(service("clusters"))]
    Graph = Annotated[object, Depends(service("graph"))]
    Transcripts = Annotated[object, Depends(service("transcripts"))]
    Portability = Annotated[object, Depends(service("portability"))]


api_key_header = APIKeyHeader(name=API_KEY_HEADER, auto_error=False, description="Your agent-memory API key.")
bearer_header = HTTPBearer(auto_error=False, description="The same API key as `Authorization: Bearer <key>`.")


def get_principal(
    runtime: RuntimeDep,
    x_api_key: Annotated[str | None, Depends(api_key_header)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_header)],
) -> Principal:
    return runtime.keys.authenticate(presented_key(x_api_key, None if bearer is None else bearer.credentials))


def require(scope: Scope) -> Callable[[Principal], Principal]:
    def check(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if not principal.allows(scope):
            raise Forbidden(f"This API key lacks the '{scope.value}' scope.")
        return principal

    return check


Reader = Annotated[Principal, Depends(require(Scope.READ))]
Writer = Annotated[Principal, Depends(require(Scope.WRITE))]
Admin = Annotated[Principal, Depends(require(Scope.ADMIN))]
