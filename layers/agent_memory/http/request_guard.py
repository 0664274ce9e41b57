"""Refuses malformed requests before any handler sees them, each with a documented problem.

- bodies above the documented limit → 413 (checked while reading, so a chunked upload cannot slip past);
- JSON bodies that are not UTF-8, not strict JSON (NaN/Infinity), nested beyond what can be parsed, or hold numbers
  too long to convert → 422 `malformed_body` (FastAPI would answer a bare 400 or fail deeper in);
- a query parameter given twice (`?user_id=bob&user_id=alice`) → 422 `repeated_parameter`, never last-wins.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agent_memory.contract import PROBLEM_MEDIA_TYPE
from agent_memory.domain.errors import (
    AgentMemoryError,
    InvalidInput,
    MalformedBody,
    PayloadTooLarge,
    RepeatedParameter,
)
from agent_memory.http.errors import problem_bytes

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def check_json_body(body: bytes) -> None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedBody(f"The request body is not valid UTF-8 (byte {exc.start}).") from exc
    try:
        json.loads(text, parse_constant=_refuse_constant)
    except RecursionError as exc:
        raise MalformedBody("The request body is nested too deeply to be read.") from exc
    except ValueError as exc:  # JSONDecodeError, NaN/Infinity, integers longer than Python converts
        raise MalformedBody(f"The request body is not valid JSON: {exc}.") from exc


def check_query(query_string: bytes) -> None:
    seen: set[str] = set()
    try:  # strictly: a lossy decode would map different bytes to the same user_id
        pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise InvalidInput("The query string is not valid UTF-8 once percent-decoded.") from exc
    for name, _ in pairs:
        if name in seen:
            raise RepeatedParameter(f"The query parameter {name!r} was given more than once; give it once.")
        seen.add(name)


def _is_json(headers: dict[bytes, bytes]) -> bool:
    content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    return content_type in (b"", b"application/json") or content_type.endswith(b"+json")


class RequestGuardMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    @staticmethod
    async def _refuse(send: Send, error: AgentMemoryError) -> None:
        payload = problem_bytes(error)
        await send(
            {
                "type": "http.response.start",
                "status": error.status,
                "headers": [
                    (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = PayloadTooLarge(f"Request bodies are limited to {self.max_bytes} bytes.")
        headers: dict[bytes, bytes] = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send, too_large)
            return
        # Read the (bounded) body up front so a chunked upload cannot slip past the limit.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send, too_large)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        try:
            check_query(scope.get("query_string", b""))
            if body and scope.get("method") in _BODY_METHODS and _is_json(headers):
                check_json_body(body)
        except AgentMemoryError as error:
            await self._refuse(send, error)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
