"""The OpenSearch index as a CloudFormation custom resource (CDK Provider framework): created at deploy time.

A new collection answers 403 until its data access policy has propagated and 5xx while it warms up, so creation is
retried with backoff until the deadline. Deleting the resource keeps the index: the collection's own lifecycle
(retained in prod) decides what happens to the data.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from agent_memory.adapters.aws.opensearch_index import OpenSearchIndex
from agent_memory.domain.errors import SearchUnavailable
from agent_memory.entry import shared
from agent_memory.observability import lambda_entry

FIRST_WAIT_SECONDS = 5.0
MAX_WAIT_SECONDS = 30.0


def _not_yet_allowed(exc: Exception) -> bool:
    from opensearchpy.exceptions import AuthorizationException

    return isinstance(exc, AuthorizationException)


def on_event(
    event: dict[str, Any],
    index: OpenSearchIndex,
    seconds_left: Callable[[], float],
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    if event["RequestType"] == "Delete":
        return {"PhysicalResourceId": event.get("PhysicalResourceId") or index.name}
    wait = FIRST_WAIT_SECONDS
    while True:
        try:
            created = index.ensure_index()
            break
        except Exception as exc:
            if not (isinstance(exc, SearchUnavailable) or _not_yet_allowed(exc)) or seconds_left() < wait + 10:
                raise
            sleep(wait)
            wait = min(wait * 2, MAX_WAIT_SECONDS)
    return {"PhysicalResourceId": index.name, "Data": {"IndexName": index.name, "Created": str(created).lower()}}


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    seconds_left = lambda: context.get_remaining_time_in_millis() / 1000  # noqa: E731
    return on_event(event, shared.shared_runtime().opensearch, seconds_left)


handler = lambda_entry(handle)
