"""The Lambda handlers of job steps, as the state machines call them.

Each takes and returns the execution's small state, `{"operation_id", "tenant", "done"}`: everything else (cursor,
counts, result) lives in the operation record, so no payload grows with the work and every step can be retried.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agent_memory.domain import errors, operations
from agent_memory.domain.operations import Phase
from agent_memory.entry import shared
from agent_memory.observability import Handler, lambda_entry, logger

SAFETY_SECONDS = 10.0  # a step stops taking new work this long before its function's timeout


class StepState(BaseModel):
    model_config = ConfigDict(extra="ignore")

    operation_id: str = Field(min_length=1, max_length=128)
    tenant: str = Field(min_length=1, max_length=128)


class FailedState(StepState):
    error: dict[str, Any] = Field(default_factory=dict)


def _state(parsed: StepState, done: bool) -> dict[str, Any]:
    return {"operation_id": parsed.operation_id, "tenant": parsed.tenant, "done": done}


def begin(event: dict[str, Any], context: Any) -> dict[str, Any]:
    state = StepState.model_validate(event)
    shared.shared_runtime().job_steps.begin(state.tenant, state.operation_id)
    return _state(state, False)


def phase_step(phase: Phase) -> Handler:
    def step(event: dict[str, Any], context: Any) -> dict[str, Any]:
        state = StepState.model_validate(event)

        def seconds_left() -> float:
            return float(context.get_remaining_time_in_millis()) / 1000 - SAFETY_SECONDS

        done = shared.shared_runtime().job_steps.step(state.tenant, state.operation_id, phase, seconds_left)
        logger.info("job step", extra={"phase": phase.value, "done": done})
        return _state(state, done)

    return lambda_entry(step, correlation_id_path="operation_id")


def finish(event: dict[str, Any], context: Any) -> dict[str, Any]:
    state = StepState.model_validate(event)
    shared.shared_runtime().job_steps.finish(state.tenant, state.operation_id)
    return _state(state, True)


def reported_error(error: dict[str, Any]) -> str:
    """What the operation says went wrong: the service's own errors with their message; anything else by its type
    only (its details stay in the function's logs)."""
    name = str(error.get("Error") or "Error")
    try:
        cause = json.loads(str(error.get("Cause") or "{}"))
    except ValueError:
        cause = {}
    message = cause.get("errorMessage") if isinstance(cause, dict) else None
    known = getattr(errors, name, None) or getattr(operations, name, None)
    if isinstance(known, type) and issubclass(known, errors.AgentMemoryError) and message:
        return f"{name}: {message}"
    if name.startswith("States."):
        return f"{name}: the step did not complete (timeout or runtime failure)."
    return f"{name}: the job failed unexpectedly."


def fail(event: dict[str, Any], context: Any) -> dict[str, Any]:
    state = FailedState.model_validate(event)
    text = reported_error(state.error)
    shared.shared_runtime().job_steps.fail(state.tenant, state.operation_id, text)
    logger.warning("job failed", extra={"error": text})
    return _state(state, True)


begin_handler = lambda_entry(begin, correlation_id_path="operation_id")
finish_handler = lambda_entry(finish, correlation_id_path="operation_id")
fail_handler = lambda_entry(fail, correlation_id_path="operation_id")
