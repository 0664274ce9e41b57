"""The OpenAPI document tells the truth about failures: every operation lists each problem status it can answer,
as `application/problem+json` with the Problem schema (FastAPI alone documents only a JSON 422)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from agent_memory.contract import PROBLEM_MEDIA_TYPE
from agent_memory.http.schemas import Problem

DESCRIPTIONS = {
    401: "No API key, or one that is unknown or revoked.",
    403: "The API key lacks the scope this operation needs.",
    404: "Nothing with this id for this user.",
    409: "Conflict: duplicate content, a stale version, or an Idempotency-Key still in use.",
    413: "The request body is above the documented limit.",
    422: "Invalid input: a field, a parameter, a repeated parameter or a malformed body.",
    502: "The language model answered with something unusable.",
    503: "A backing store, index or model is unavailable; retry after `Retry-After` seconds.",
}
# The request guard (size, JSON, repeated parameters) stands in front of every operation.
EVERY_OPERATION = (413, 422)
# Authenticating reads the key store, which may be unavailable.
AUTHENTICATED = (401, 403, 503)


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Problem statuses an operation answers beyond those every (authenticated) operation answers."""
    return {status: {"description": DESCRIPTIONS[status]} for status in statuses}


def problem_statuses(operation: dict[str, Any]) -> set[int]:
    """From an operation of the generated document: the guard's statuses, the key check's when the operation is
    secured by the API key, and the ones its route declared."""
    statuses = set(EVERY_OPERATION)
    if operation.get("security"):
        statuses.update(AUTHENTICATED)
    statuses.update(int(status) for status in operation.get("responses", {}) if status.isdigit() and int(status) >= 400)
    return statuses


def install_problem_docs(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        reference = {"$ref": "#/components/schemas/Problem"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status in sorted(problem_statuses(operation)):
                    operation["responses"][str(status)] = {
                        "description": DESCRIPTIONS[status],
                        "content": {PROBLEM_MEDIA_TYPE: {"schema": reference}},
                    }
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
