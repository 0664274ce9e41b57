"""Stage configuration (dev/prod), chosen with `-c stage=prod`; single values can be overridden from context."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from aws_cdk.aws_logs import RetentionDays

from infra.bedrock_models import DEFAULT_CONVERSE_MODEL

PYTHON_VERSION = "3.14"  # the Lambda runtime, the dependency wheels and the Powertools layer all follow it


@dataclass(frozen=True)
class StageConfig:
    name: str
    retain_data: bool  # keep table, key and logs when the stack is deleted
    deletion_protection: bool
    log_retention: RetentionDays
    search_standby_replicas: bool  # OpenSearch Serverless redundancy (doubles the OCU floor)
    # OpenSearch Serverless architecture: "NEXTGEN" (a collection group that scales to zero OCU when idle) or
    # "CLASSIC" (always-on OCUs: no cold start). See docs/operations.md, Costs.
    search_generation: str
    snap_start: bool
    lambda_memory_mb: int
    # API Gateway: stage-wide throttling, and the default usage plan that keys join
    throttle_rate: int
    throttle_burst: int
    quota_per_day: int
    titan_dimensions: int
    alarm_email: str | None = None
    # NEXTGEN only: the collection group's OCU ceiling for indexing and for search (its floor is 0).
    search_max_ocu: float = 2
    # The chat model that extracts facts, decides merges and labels topics (Bedrock Converse): a cross-Region
    # inference profile or a foundation model id; checked and granted by infra/bedrock_models.py.
    converse_model: str = DEFAULT_CONVERSE_MODEL


STAGES: dict[str, StageConfig] = {
    "dev": StageConfig(
        name="dev",
        retain_data=False,
        deletion_protection=False,
        log_retention=RetentionDays.TWO_WEEKS,
        search_standby_replicas=False,
        search_generation="NEXTGEN",
        snap_start=False,
        lambda_memory_mb=1024,
        throttle_rate=50,
        throttle_burst=100,
        quota_per_day=100_000,
        titan_dimensions=1024,
    ),
    "prod": StageConfig(
        name="prod",
        retain_data=True,
        deletion_protection=True,
        log_retention=RetentionDays.ONE_YEAR,
        search_standby_replicas=True,
        search_generation="CLASSIC",
        snap_start=True,
        lambda_memory_mb=1769,  # one full vCPU
        throttle_rate=500,
        throttle_burst=1000,
        quota_per_day=5_000_000,
        titan_dimensions=1024,
    ),
}

OVERRIDABLE = {
    "alarm_email": str,
    "converse_model": str,
    "throttle_rate": int,
    "throttle_burst": int,
    "quota_per_day": int,
}


def stage_config(context: Any) -> StageConfig:
    """`context` is `app.node`: `stage` picks the stage, and e.g. `-c alarm_email=ops@example.com` overrides."""
    name = context.try_get_context("stage") or "dev"
    if name not in STAGES:
        raise ValueError(f"Unknown stage {name!r}; choose one of {', '.join(STAGES)}.")
    changes = {key: kind(value) for key, kind in OVERRIDABLE.items() if (value := context.try_get_context(key))}
    return replace(STAGES[name], **changes)
