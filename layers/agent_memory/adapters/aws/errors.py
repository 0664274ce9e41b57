"""boto errors in domain terms: the one place where AWS error codes are read."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

from agent_memory.domain.errors import ConfigurationError, StoreUnavailable

# Still failing after botocore's own retries: tell the client to come back shortly (503 + Retry-After).
TRANSIENT = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "TransactionConflictException",
        "TransactionInProgressException",
    }
)


class ConditionFailed(Exception):
    """A single write's condition did not hold: the caller decides what that means."""


class TransactionCancelled(Exception):
    """A transaction whose conditions did not hold; `reasons` follows the order of its items."""

    def __init__(self, reasons: list[dict[str, Any]]) -> None:
        super().__init__("transaction cancelled")
        self.reasons = reasons

    def failed(self, position: int) -> dict[str, Any] | None:
        reason = self.reasons[position] if position < len(self.reasons) else {}
        return reason if reason.get("Code") == "ConditionalCheckFailed" else None


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def call(client: Any, operation: str, table: str, **kwargs: Any) -> Any:
    try:
        return getattr(client, operation)(**kwargs)
    except ClientError as exc:
        code = error_code(exc)
        if code == "ConditionalCheckFailedException":
            raise ConditionFailed() from None
        if code == "TransactionCanceledException":
            reasons: list[dict[str, Any]] = [dict(r) for r in exc.response.get("CancellationReasons", [])]
            if any(r.get("Code") == "TransactionConflict" for r in reasons):
                raise StoreUnavailable("A concurrent transaction touched the same memory; retry.") from None
            if any(r.get("Code") in {"ThrottlingError", "ProvisionedThroughputExceeded"} for r in reasons):
                raise StoreUnavailable("DynamoDB is throttling this table; retry shortly.") from None
            raise TransactionCancelled(reasons) from None
        if code == "ResourceNotFoundException":
            raise ConfigurationError(f"The DynamoDB table {table!r} does not exist or is not ready.") from None
        if code in TRANSIENT:
            raise StoreUnavailable(f"DynamoDB is unavailable or throttling ({code}); retry shortly.") from None
        raise StoreUnavailable(f"DynamoDB refused {operation} ({code}).") from None
    except ParamValidationError:
        raise  # a defect in the adapter, not a state of the service
    except BotoCoreError as exc:
        raise StoreUnavailable(f"DynamoDB could not be reached: {type(exc).__name__}.") from None
