"""Every failure the API reports, as one exception type per kind.

The server answers errors as RFC 9457 `application/problem+json`: `{type, title, status, detail, code, ...}`.
`AgentMemoryError.from_response` picks the most specific class by `code`, then by HTTP status.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

PROBLEM_TYPE_PREFIX = "urn:agent-memory:problem:"


class AgentMemoryError(Exception):
    """Base of every error this client raises.

    `status` is the HTTP status (None when no answer arrived), `code` the server's machine-readable code
    (e.g. `duplicate_memory`), `type` the problem type URI, `title` and `detail` its human-readable text,
    `errors` the field problems of a 422 and `body` the whole problem document.
    """

    def __init__(
        self,
        detail: str,
        *,
        status: int | None = None,
        code: str = "error",
        title: str = "",
        type: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        body: dict[str, Any] | None = None,
        headers: httpx.Headers | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {detail}" if status is not None else detail)
        self.status = status
        self.code = code
        self.title = title or code.replace("_", " ").capitalize()
        self.type = type or PROBLEM_TYPE_PREFIX + code
        self.detail = detail
        self.errors = errors or []
        self.body = body or {}
        self.headers = headers or httpx.Headers()

    @property
    def request_id(self) -> str | None:
        """The server's id of the failed request, when it sent one (quote it when reporting a problem)."""
        request_id: str | None = self.headers.get("x-request-id")
        return request_id

    @classmethod
    def from_response(cls, response: httpx.Response) -> AgentMemoryError:
        """The exception for an error answer, problem+json or not (a proxy's plain 502 page, a gateway's 429)."""
        body = _problem(response)
        code = str(body.get("code") or f"http_{response.status_code}")
        error_class = _BY_CODE.get(code) or _by_status(response.status_code)
        return error_class(
            str(body.get("detail") or body.get("message") or response.reason_phrase or code),
            status=response.status_code,
            code=code,
            title=str(body.get("title") or ""),
            type=body.get("type"),
            errors=body.get("errors") if isinstance(body.get("errors"), list) else None,
            body=body,
            headers=response.headers,
        )


class ConnectionFailed(AgentMemoryError):
    """No answer arrived (refused, reset, timed out) even after the retries; the cause is chained."""


class ValidationFailed(AgentMemoryError):
    """422 (or 400): the request broke a rule; `errors` lists field problems as `{loc, msg, type}`."""


class Unauthorized(AgentMemoryError):
    """401: no API key, an unknown one or a revoked one."""


class Forbidden(AgentMemoryError):
    """403: the API key lacks the scope (`read`, `write`, `admin`) the operation needs."""


class NotFound(AgentMemoryError):
    """404: no such memory, operation, recall or cluster for this tenant and user."""


class Conflict(AgentMemoryError):
    """409: the request conflicts with what is stored."""


class DuplicateMemory(Conflict):
    """409 `duplicate_memory`: a memory with the same normalised content exists; `existing_id` names it."""

    @property
    def existing_id(self) -> str:
        return str(self.body.get("existing_id", ""))


class VersionConflict(Conflict):
    """409 `version_conflict`: the memory moved on since the `version` given."""


class IdempotencyKeyInUse(Conflict):
    """409 `idempotency_key_in_progress`: the first request with this key is still running."""


class EmbeddingModelMismatch(Conflict):
    """409 `embedding_model_mismatch`: stored vectors come from another model; run the `reindex` job."""


class UserBeingErased(Conflict):
    """409 `user_being_erased`: the user's erasure has not finished; new memories are refused meanwhile."""


class ExportNotReady(Conflict):
    """409 `export_not_ready`: the export job has not succeeded (yet)."""


class PayloadTooLarge(AgentMemoryError):
    """413: the body is above the server's limit (256 KiB)."""


class RateLimited(AgentMemoryError):
    """429: too many requests, still after the retries; `retry_after` says how long the server asked to wait."""

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.headers.get("retry-after"))


class ServerError(AgentMemoryError):
    """5xx: the server failed (500), a model answered outside its schema (502) or a store is unavailable (503)."""


class ServiceUnavailable(ServerError):
    """503: a store, the search index or a model stayed unavailable, still after the retries."""

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.headers.get("retry-after"))


_BY_CODE: dict[str, type[AgentMemoryError]] = {
    "duplicate_memory": DuplicateMemory,
    "version_conflict": VersionConflict,
    "idempotency_key_in_progress": IdempotencyKeyInUse,
    "embedding_model_mismatch": EmbeddingModelMismatch,
    "user_being_erased": UserBeingErased,
    "export_not_ready": ExportNotReady,
}

_BY_STATUS: dict[int, type[AgentMemoryError]] = {
    400: ValidationFailed,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    413: PayloadTooLarge,
    422: ValidationFailed,
    429: RateLimited,
    503: ServiceUnavailable,
}


def _by_status(status: int) -> type[AgentMemoryError]:
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return ServerError if status >= 500 else AgentMemoryError


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        body = json.loads(response.content)
    except ValueError:
        text = response.text.strip()[:500]
        return {"detail": text} if text else {}
    return body if isinstance(body, dict) else {}


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
