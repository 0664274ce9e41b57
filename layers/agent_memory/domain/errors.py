"""One error type per failure. The HTTP layer maps each to a problem+json response in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agent_memory.domain.models import Owner


class AgentMemoryError(Exception):
    """Base of every failure the service reports to a client."""

    status = 500
    code = "internal_error"
    title = "Internal error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class InvalidInput(AgentMemoryError):
    status = 422
    code = "invalid_input"
    title = "Invalid input"


class MalformedBody(InvalidInput):
    code = "malformed_body"
    title = "Malformed request body"


class RepeatedParameter(InvalidInput):
    code = "repeated_parameter"
    title = "Repeated query parameter"


class ContentTooLong(InvalidInput):
    code = "content_too_long"
    title = "Content too long"


class BlankContent(InvalidInput):
    code = "content_blank"
    title = "Content is blank"


class InvalidCursor(InvalidInput):
    code = "invalid_cursor"
    title = "Invalid cursor"


class NotFound(AgentMemoryError):
    status = 404
    code = "not_found"
    title = "Not found"


class DuplicateMemory(AgentMemoryError):
    status = 409
    code = "duplicate_memory"
    title = "Duplicate memory"

    def __init__(self, existing_id: str) -> None:
        super().__init__(
            f"A memory with the same content already exists for this user: {existing_id}",
            existing_id=existing_id,
        )
        self.existing_id = existing_id


class VersionConflict(AgentMemoryError):
    status = 409
    code = "version_conflict"
    title = "Version conflict"


class MemoryIdTaken(AgentMemoryError):
    """An imported memory's id is held by another user or tenant, in a store that keeps ids unique across owners."""

    status = 409
    code = "memory_id_taken"
    title = "Memory id taken"


class IdempotencyKeyInUse(AgentMemoryError):
    status = 409
    code = "idempotency_key_in_progress"
    title = "Request with this Idempotency-Key is in progress"


class IdempotencyKeyReused(AgentMemoryError):
    status = 422
    code = "idempotency_key_reused"
    title = "Idempotency-Key reused with a different request"


class Unauthenticated(AgentMemoryError):
    status = 401
    code = "unauthenticated"
    title = "Missing or invalid API key"


class Forbidden(AgentMemoryError):
    status = 403
    code = "forbidden"
    title = "Forbidden"


class PayloadTooLarge(AgentMemoryError):
    status = 413
    code = "payload_too_large"
    title = "Payload too large"


class StoreUnavailable(AgentMemoryError):
    status = 503
    code = "store_unavailable"
    title = "Storage temporarily unavailable"


class ConfigurationError(AgentMemoryError):
    status = 500
    code = "configuration_error"
    title = "Server misconfigured"


class EmbeddingMismatch(AgentMemoryError):
    status = 409
    code = "embedding_model_mismatch"
    title = "Stored vectors come from another embedding model"


class SearchUnavailable(AgentMemoryError):
    status = 503
    code = "search_unavailable"
    title = "Search index temporarily unavailable"


class ModelUnavailable(AgentMemoryError):
    status = 503
    code = "model_unavailable"
    title = "The language or embedding model is temporarily unavailable"


class ModelOutputInvalid(AgentMemoryError):
    status = 502
    code = "model_output_invalid"
    title = "The model answered with output that does not fit the schema"


class UserBeingErased(AgentMemoryError):
    status = 409
    code = "user_being_erased"
    title = "This user is being erased"


def being_erased(owner: Owner, operation_id: str | None = None) -> UserBeingErased:
    which = f" (operation {operation_id})" if operation_id else ""
    return UserBeingErased(f"User {owner.user_id} is being erased{which}; nothing can be added until it has finished.")


class ConfirmationRequired(InvalidInput):
    code = "confirmation_required"
    title = "Confirmation required"


class InvalidExport(InvalidInput):
    code = "invalid_export"
    title = "The file is not an agent-memory export"


class ExportNotReady(AgentMemoryError):
    status = 409
    code = "export_not_ready"
    title = "The export has not finished"
