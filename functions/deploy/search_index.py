"""CloudFormation custom resource: the OpenSearch index, created when the stack deploys."""

from typing import Any

from agent_memory import entrypoints
from agent_memory.adapters.aws.index_deployment import on_event
from agent_memory.observability import lambda_entry


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    seconds_left = lambda: context.get_remaining_time_in_millis() / 1000  # noqa: E731
    return on_event(event, entrypoints.shared_runtime().opensearch, seconds_left)


handler = lambda_entry(handle)
