"""Runs a POST handler under an optional Idempotency-Key and renders the outcome as a response."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from fastapi import Response
from pydantic import BaseModel

from agent_memory.contract import IDEMPOTENT_REPLAYED_HEADER, PROBLEM_MEDIA_TYPE
from agent_memory.domain import validation
from agent_memory.domain.errors import AgentMemoryError
from agent_memory.domain.models import Principal
from agent_memory.http.errors import problem_bytes
from agent_memory.services.idempotency import IdempotencyService, Outcome, fingerprint


def _render(status: int, body: bytes) -> Response:
    media_type = "application/json"
    if status >= 400:
        media_type = PROBLEM_MEDIA_TYPE
    return Response(content=body, status_code=status, media_type=media_type)


def scoped_key(principal: Principal, key: str) -> str:
    """The key a request is kept under. A key bound to a user leaves the user out of the body, so two users' keys
    sending the same body with the same Idempotency-Key would match: each binding gets keys of its own."""
    validation.identifier("Idempotency-Key", key)
    if principal.user_id is None:
        return key
    return "bound-" + fingerprint(principal.user_id, principal.agent_id or "", key)


def idempotent_response(
    idempotency: IdempotencyService,
    principal: Principal,
    key: str | None,
    route: str,
    request: BaseModel,
    status: int,
    handle: Callable[[], BaseModel],
    user_ids: Sequence[str],
) -> Response:
    def produce() -> Outcome:
        return status, handle().model_dump_json().encode("utf-8")

    if key is None:
        code, body = produce()
        return _render(code, body)

    def render_error(error: AgentMemoryError) -> Outcome:
        return error.status, problem_bytes(error)

    request_fingerprint = fingerprint(route, json.dumps(request.model_dump(mode="json"), sort_keys=True))
    (code, body), replayed = idempotency.run(
        principal.tenant, scoped_key(principal, key), request_fingerprint, produce, render_error, user_ids=user_ids
    )
    response = _render(code, body)
    if replayed:
        response.headers[IDEMPOTENT_REPLAYED_HEADER] = "true"
    return response
