"""Starts a job as a Step Functions execution named by its operation id (implements JobRunner).

The name makes the start idempotent: Step Functions refuses a second execution of the same name, so a retried
request can never run a job twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from agent_memory.domain.errors import ConfigurationError
from agent_memory.domain.operations import JobUnavailable, Operation


class StepFunctionsLauncher:
    def __init__(self, client_factory: Callable[[], Any], state_machines: Mapping[str, str]) -> None:
        self._client_factory = client_factory
        self._state_machines = dict(state_machines)

    @cached_property
    def _client(self) -> Any:
        return self._client_factory()

    def start(self, operation: Operation) -> None:
        arn = self._state_machines.get(operation.kind.value)
        if not arn:
            raise ConfigurationError(
                f"No state machine for {operation.kind.value}: set AGENT_MEMORY_JOB_STATE_MACHINES."
            )
        try:
            self._client.start_execution(
                stateMachineArn=arn,
                name=operation.id,
                input=json.dumps({"operation_id": operation.id, "tenant": operation.tenant}),
            )
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code == "ExecutionAlreadyExists":
                return  # this operation's execution is already running
            raise JobUnavailable(f"Step Functions refused to start the job ({code}).") from None
        except BotoCoreError as exc:
            raise JobUnavailable(f"Step Functions could not be reached ({type(exc).__name__}).") from None
