"""Python client of the agent-memory /v1 API.

from agent_memory_client import AgentMemory, DuplicateMemory

with AgentMemory("http://127.0.0.1:8080", api_key="am_...") as memory:
    saved = memory.create_memory("alice", "Prefers window seats on long flights")
    hits = memory.search("seat preference", user_id="alice")
"""

from agent_memory_client import models
from agent_memory_client._transport import NO_RETRIES, RetryPolicy
from agent_memory_client._version import __version__
from agent_memory_client.async_client import AsyncAgentMemory
from agent_memory_client.client import AgentMemory
from agent_memory_client.errors import (
    AgentMemoryError,
    Conflict,
    ConnectionFailed,
    DuplicateMemory,
    EmbeddingModelMismatch,
    ExportNotReady,
    Forbidden,
    IdempotencyKeyInUse,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    ServerError,
    ServiceUnavailable,
    Unauthorized,
    UserBeingErased,
    ValidationFailed,
    VersionConflict,
)
from agent_memory_client.inputs import EntityIn, Message, NewMemory
from agent_memory_client.models import (
    ConversationTurn,
    Entities,
    EntityDetail,
    Graph,
    Memory,
    MemoryPage,
    MemorySettings,
    Operation,
    Runs,
    SearchHit,
    SearchResult,
    Stats,
)

__all__ = [
    "NO_RETRIES",
    "AgentMemory",
    "AgentMemoryError",
    "AsyncAgentMemory",
    "Conflict",
    "ConnectionFailed",
    "ConversationTurn",
    "DuplicateMemory",
    "EmbeddingModelMismatch",
    "Entities",
    "EntityDetail",
    "EntityIn",
    "ExportNotReady",
    "Forbidden",
    "Graph",
    "IdempotencyKeyInUse",
    "Memory",
    "MemoryPage",
    "MemorySettings",
    "Message",
    "NewMemory",
    "NotFound",
    "Operation",
    "PayloadTooLarge",
    "RateLimited",
    "RetryPolicy",
    "Runs",
    "SearchHit",
    "SearchResult",
    "ServerError",
    "ServiceUnavailable",
    "Stats",
    "Unauthorized",
    "UserBeingErased",
    "ValidationFailed",
    "VersionConflict",
    "__version__",
    "models",
]
