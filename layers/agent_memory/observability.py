"""The one Logger, Metrics and Tracer every Lambda entry point uses (service `agent-memory`, namespace `AgentMemory`),
and the one way they are applied to a handler.

Constructing them does no I/O; their settings come from the standard POWERTOOLS_* environment variables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer

from agent_memory.contract import METRIC_NAMESPACE, SERVICE_NAME

SERVICE = SERVICE_NAME
NAMESPACE = METRIC_NAMESPACE

logger = Logger(service=SERVICE)
metrics = Metrics(service=SERVICE, namespace=NAMESPACE)
tracer = Tracer(service=SERVICE)

Handler = Callable[[dict[str, Any], Any], Any]


def lambda_entry(handler: Handler, correlation_id_path: str | None = None) -> Handler:
    """Wraps a handler the same way everywhere: the logger outermost (the correlation id is set before anything
    logs), then the tracer's segment, then the metrics flush (EMF, with a cold-start metric)."""
    with_metrics = metrics.log_metrics(handler, capture_cold_start_metric=True)
    traced = tracer.capture_lambda_handler(with_metrics)
    return logger.inject_lambda_context(traced, correlation_id_path=correlation_id_path)
