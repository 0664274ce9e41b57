"""The scheduled retention sweep on AWS (an EventBridge rule, daily): `RetentionService.sweep` for every tenant with
a retention setting. Expired memories themselves are removed by DynamoDB's TTL."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from agent_memory.entry import shared
from agent_memory.observability import lambda_entry, logger, metrics


def sweep(event: dict[str, Any], context: Any) -> dict[str, int]:
    counts = shared.shared_runtime().retention.sweep()
    for name, count in counts.items():
        metrics.add_metric(name="".join(part.title() for part in name.split("_")), unit=MetricUnit.Count, value=count)
    logger.info("retention sweep", extra=counts)
    return counts


handler = lambda_entry(sweep)
