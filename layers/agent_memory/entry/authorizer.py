"""API Gateway REQUEST authorizer: the key in (`X-API-Key: <key>` or `Authorization: Bearer <key>`), an IAM policy
with the tenant, scopes and the key's user and agent (when bound) out.

The gateway invokes it for every request (no identity source: a request may carry the key in either header, and
API Gateway skips an authorizer whose identity sources are not all present). The policy covers every route of the
stage. A bad key is a Deny with the reason in the context (the gateway response turns it into a 401 problem+json),
never a function error.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerRequestEvent,
    APIGatewayAuthorizerResponse,
)

from agent_memory.contract import API_KEY_HEADER
from agent_memory.domain.errors import Unauthenticated
from agent_memory.entry import shared
from agent_memory.observability import lambda_entry, metrics
from agent_memory.services.keys import KeyService, bearer_token, hash_key, presented_key

ANONYMOUS = "anonymous"


def authorize(event: dict[str, Any], keys: KeyService) -> dict[str, Any]:
    request = APIGatewayAuthorizerRequestEvent(event)
    arn = request.parsed_arn
    headers = request.headers  # case-insensitive

    def response(principal_id: str, context: dict[str, str], usage_key: str | None) -> APIGatewayAuthorizerResponse:
        return APIGatewayAuthorizerResponse(
            principal_id=principal_id,
            region=arn.region,
            aws_account_id=arn.aws_account_id,
            api_id=arn.api_id,
            stage=arn.stage,
            context=context,
            usage_identifier_key=usage_key,
            partition=arn.partition,
        )

    try:
        presented = presented_key(headers.get(API_KEY_HEADER), bearer_token(headers.get("Authorization")))
        principal = keys.authenticate(presented)
    except Unauthenticated as exc:
        denied = response(ANONYMOUS, {"reason": exc.detail}, None)
        denied.deny_all_routes()
        return denied.asdict()
    assert presented is not None  # authenticate() refuses a missing key
    scopes = ",".join(sorted(scope.value for scope in principal.scopes))
    context = {"tenant": principal.tenant, "scopes": scopes, "keyId": principal.key_id}
    # Context values are strings: a key bound to no user or agent leaves the entry out.
    bound = (("userId", principal.user_id), ("agentId", principal.agent_id))
    context.update({name: value for name, value in bound if value is not None})
    allowed = response(principal.key_id, context, hash_key(presented))
    allowed.allow_all_routes()
    return allowed.asdict()


def authorize_request(event: dict[str, Any], context: Any) -> dict[str, Any]:
    answer = authorize(event, shared.shared_runtime().keys)
    effect = answer["policyDocument"]["Statement"][0]["Effect"]
    metrics.add_metric(name="KeysAllowed" if effect == "Allow" else "KeysDenied", unit=MetricUnit.Count, value=1)
    return answer


handler = lambda_entry(authorize_request, correlation_paths.API_GATEWAY_REST)
