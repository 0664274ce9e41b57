"""The one place where failures become HTTP responses (RFC 9457 problem+json)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from agent_memory.contract import PROBLEM_MEDIA_TYPE, problem_type
from agent_memory.domain.errors import AgentMemoryError

logger = logging.getLogger("agent_memory.http")


def problem_body(status: int, code: str, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": problem_type(code),
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }


def problem_of(error: AgentMemoryError) -> dict[str, Any]:
    return problem_body(error.status, error.code, error.title, error.detail, **error.extra)


def problem_bytes(error: AgentMemoryError) -> bytes:
    return json.dumps(problem_of(error), default=str).encode("utf-8")


def problem_response(body: dict[str, Any], headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=body["status"], media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _location(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    # Inputs are not echoed back: they can be large or hold what the client meant to keep private.
    return [
        {
            "loc": _location(tuple(err.get("loc", ()))),
            "msg": str(err.get("msg", "")),
            "type": str(err.get("type")),
        }
        for err in exc.errors()
    ]


async def _on_domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AgentMemoryError)
    headers = {"Retry-After": "1"} if exc.status == 503 else None
    return problem_response(problem_of(exc), headers)


async def _on_validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(exc)
    first = errors[0] if errors else {"loc": "request", "msg": "invalid"}
    detail = f"{first['loc']}: {first['msg']}"
    if len(errors) > 1:
        detail += f" (and {len(errors) - 1} more)"
    return problem_response(problem_body(422, "invalid_input", "Invalid input", detail, errors=errors))


async def _on_http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    codes = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}
    code = codes.get(exc.status_code, f"http_{exc.status_code}")
    title = code.replace("_", " ").capitalize()
    return problem_response(problem_body(exc.status_code, code, title, str(exc.detail)), exc.headers)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(
        problem_body(500, "internal_error", "Internal error", "The request failed unexpectedly; it was logged.")
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AgentMemoryError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
