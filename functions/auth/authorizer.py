"""API Gateway REQUEST authorizer: `X-API-Key` → tenant, scopes and the usage-plan key."""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from agent_memory import entrypoints
from agent_memory.adapters.aws.authorizer import authorize
from agent_memory.observability import lambda_entry, metrics


def authorize_request(event: dict[str, Any], context: Any) -> dict[str, Any]:
    answer = authorize(event, entrypoints.shared_runtime().keys)
    effect = answer["policyDocument"]["Statement"][0]["Effect"]
    metrics.add_metric(name="KeysAllowed" if effect == "Allow" else "KeysDenied", unit=MetricUnit.Count, value=1)
    return answer


handler = lambda_entry(authorize_request, correlation_paths.API_GATEWAY_REST)
