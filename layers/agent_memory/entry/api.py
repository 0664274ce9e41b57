"""One API operation as a Lambda function: its router in a FastAPI app, wrapped by Mangum behind API Gateway.

API Gateway has already run the key authorizer, so the principal comes from the authorizer's context instead of a
second key lookup. Nothing is built until the first request.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from fastapi import APIRouter, Request
from mangum import Mangum
from mangum.adapter import DEFAULT_TEXT_MIME_TYPES

import agent_memory.http.lean_imports  # noqa: F401  (before any route is built)
from agent_memory.contract import PROBLEM_MEDIA_TYPE, REQUEST_ID_HEADER
from agent_memory.domain.errors import Unauthenticated
from agent_memory.domain.models import Principal
from agent_memory.entry import shared
from agent_memory.entry.snapshot import register_priming
from agent_memory.http.app import create_app
from agent_memory.http.deps import get_principal
from agent_memory.observability import Handler, lambda_entry, metrics
from agent_memory.services.keys import parse_scopes


def principal_from_authorizer(request: Request) -> Principal:
    """The tenant, scopes, key id and the key's user and agent (if bound) that the authorizer put in the request
    context."""
    event: dict[str, Any] = request.scope.get("aws.event") or {}
    context = (event.get("requestContext") or {}).get("authorizer") or {}
    tenant, scopes = context.get("tenant"), context.get("scopes")
    if not tenant or not scopes:
        # Only reachable when a route is deployed without the authorizer: refuse rather than guess a tenant.
        raise Unauthenticated("The request carries no authorizer context.")
    user_id, agent_id = context.get("userId"), context.get("agentId")
    return Principal(
        tenant=str(tenant),
        scopes=parse_scopes(str(scopes).split(",")),
        key_id=str(context.get("keyId")),
        user_id=None if user_id in (None, "") else str(user_id),
        agent_id=None if agent_id in (None, "") else str(agent_id),
    )


def _ensure_event_loop() -> None:
    """Mangum runs each request on the thread's current event loop (`asyncio.get_event_loop`), which raises once any
    code in the process has run `asyncio.run` (it leaves no current loop behind): give the thread a loop again."""
    policy = asyncio.get_event_loop_policy()
    try:
        loop = policy.get_event_loop()
    except RuntimeError:
        loop = None
    if loop is None or loop.is_closed():
        policy.set_event_loop(policy.new_event_loop())


def api_handler(router: APIRouter) -> Handler:
    app = create_app(lambda: shared.shared_runtime(), [router], openapi=False)
    app.dependency_overrides[get_principal] = principal_from_authorizer
    # Mangum base64-encodes media types it does not know; problem documents must reach clients as text.
    adapter = Mangum(app, lifespan="off", text_mime_types=[*DEFAULT_TEXT_MIME_TYPES, PROBLEM_MEDIA_TYPE])

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        _ensure_event_loop()
        response: dict[str, Any] = adapter(event, context)
        request_id = (event.get("requestContext") or {}).get("requestId")
        if request_id:
            # The id API Gateway logs under and the correlation id of every log line: quote it in a support ticket.
            response.setdefault("headers", {})[REQUEST_ID_HEADER] = request_id
        metrics.add_metric(name=f"Responses{response['statusCode'] // 100}xx", unit=MetricUnit.Count, value=1)
        return response

    register_priming()
    return lambda_entry(handle, correlation_paths.API_GATEWAY_REST)
