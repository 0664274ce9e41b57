"""The one Logger and Metrics every Lambda entry point uses (service `agent-memory`, namespace `AgentMemory`).

Constructing them does no I/O; their settings come from the standard POWERTOOLS_* environment variables.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

SERVICE = "agent-memory"
NAMESPACE = "AgentMemory"

logger = Logger(service=SERVICE)
metrics = Metrics(service=SERVICE, namespace=NAMESPACE)
