"""Names shared by the code and the infrastructure that deploys it: change one here and both follow.

Environment variables are derived from the settings model (`Config`), so infra can never name a setting that does
not exist; metric, header and problem names are the ones clients, dashboards and alarms see.
"""

from __future__ import annotations

from agent_memory.config import Config
from agent_memory.domain.operations import STEP_RETRY, Phase

ENV_PREFIX: str = Config.model_config.get("env_prefix") or ""

METRIC_NAMESPACE = "AgentMemory"
SERVICE_NAME = "agent-memory"

API_KEY_HEADER = "X-API-Key"
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
IDEMPOTENT_REPLAYED_HEADER = "Idempotent-Replayed"
REQUEST_ID_HEADER = "x-request-id"

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:agent-memory:problem:"


def env_name(setting: str) -> str:
    """The environment variable that sets one `Config` field, e.g. env_name("table_name") → AGENT_MEMORY_TABLE_NAME."""
    if setting not in Config.model_fields:
        raise KeyError(f"Config has no setting {setting!r}")
    return ENV_PREFIX + setting.upper()


def environment(**settings: str) -> dict[str, str]:
    """A function's environment from setting names: environment(table_name=...) → {"AGENT_MEMORY_TABLE_NAME": ...}."""
    return {env_name(name): value for name, value in settings.items()}


def problem_type(code: str) -> str:
    return PROBLEM_TYPE_PREFIX + code


# A failed job step is retried on the domain's transient errors (raised by the step, named by their class) and on
# Lambda's own transient invoke errors: the state machines' Retry lists exactly these.
LAMBDA_TRANSIENT_ERRORS = ("Lambda.TooManyRequestsException", "Lambda.ServiceException", "Lambda.SdkClientException")
STEP_RETRY_ERRORS = (*(error.__name__ for error in STEP_RETRY.transient), *LAMBDA_TRANSIENT_ERRORS)


def job_step_module(phase: Phase) -> str:
    """The function of one job phase: functions/jobs/<module>.py."""
    return phase.value.replace("-", "_")
