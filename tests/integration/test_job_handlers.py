"""The job Lambda entry points (API and steps) called as Lambda calls them, with their sample events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from agent_memory.domain.models import NewMemory
from agent_memory.domain.operations import JobKind, Operation
from agent_memory.entry import shared
from agent_memory.entry.jobs import reported_error
from tests.aws_support import aws_runtime
from tests.integration.test_lambda_handlers import body_of, call, load_event

SAMPLE_OPERATION_ID = "01JD8A2B3C4D5E6F7G8H9J0K1M"


class Recorder:
    def __init__(self) -> None:
        self.started: list[Operation] = []

    def start(self, operation: Operation) -> None:
        self.started.append(operation)


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with aws_runtime() as (rt, _):
        rt.__dict__["job_runner"] = Recorder()
        monkeypatch.setattr(shared, "shared_runtime", lambda: rt)
        yield rt


def event_for(name: str, operation_id: str) -> dict[str, Any]:
    return json.loads(json.dumps(load_event(name)).replace(SAMPLE_OPERATION_ID, operation_id))


def test_the_job_api_functions_start_read_and_list_an_operation(runtime: Any) -> None:
    started = call("api/start_job", load_event("api/start_job.json"))
    assert started["statusCode"] == 202, started["body"]
    operation = body_of(started)
    assert operation["kind"] == "optimize" and operation["params"] == {"dry_run": True}
    assert [op.id for op in runtime.job_runner.started] == [operation["operation_id"]]
    assert call("api/start_job", load_event("api/start_job.json"))["statusCode"] == 200

    got = call("api/get_operation", event_for("api/get_operation.json", operation["operation_id"]))
    assert got["statusCode"] == 200 and body_of(got)["status"] == "queued"
    listed = call("api/list_operations", load_event("api/list_operations.json"))
    assert [item["operation_id"] for item in body_of(listed)["items"]] == [operation["operation_id"]]
    unknown = call("api/get_operation", load_event("api/get_operation.json"))
    assert unknown["statusCode"] == 404 and unknown["headers"]["content-type"] == "application/problem+json"


def test_the_step_functions_walk_a_job_from_begin_to_finish(runtime: Any) -> None:
    runtime.memories.create("acme", NewMemory(user_id="alice", content="Likes tea."))
    runtime.memories.create("acme", NewMemory(user_id="alice", content="likes tea"))
    operation, _ = runtime.operations.start("acme", "alice", JobKind.OPTIMIZE, {})
    state = event_for("jobs/step.json", operation.id)

    state = call("jobs/begin", state)
    assert state == {"operation_id": operation.id, "tenant": "acme", "done": False}
    assert runtime.operations.get("acme", operation.id).status.value == "running"
    for phase in ("resolve_duplicates", "refresh_topics"):
        state = call(f"jobs/{phase}", state)
        assert state["done"] is True
    call("jobs/finish", state)

    done = runtime.operations.get("acme", operation.id)
    assert done.status.value == "succeeded" and done.counts["merged"] == 1


def test_the_fail_step_records_the_caught_error_without_its_stack_trace(runtime: Any) -> None:
    operation, _ = runtime.operations.start("acme", "alice", JobKind.OPTIMIZE, {})

    call("jobs/fail", event_for("jobs/step_failed.json", operation.id))

    failed = runtime.operations.get("acme", operation.id)
    assert failed.status.value == "failed"
    assert failed.error.startswith("ModelOutputInvalid: anthropic.claude-3-haiku") and "stackTrace" not in failed.error


def test_a_step_given_a_malformed_state_fails_before_touching_anything(runtime: Any) -> None:
    with pytest.raises(ValueError, match="operation_id"):
        call("jobs/begin", {"tenant": "acme"})


@pytest.mark.parametrize(
    ("error", "reported"),
    [
        ({"Error": "StoreUnavailable", "Cause": json.dumps({"errorMessage": "DynamoDB is throttling"})},
         "StoreUnavailable: DynamoDB is throttling"),
        ({"Error": "KeyError", "Cause": json.dumps({"errorMessage": "'secret internal detail'"})},
         "KeyError: the job failed unexpectedly."),
        ({"Error": "States.Timeout", "Cause": ""},
         "States.Timeout: the step did not complete (timeout or runtime failure)."),
        ({}, "Error: the job failed unexpectedly."),
    ],
)  # fmt: skip
def test_only_the_services_own_errors_carry_their_message_into_the_operation(error: dict, reported: str) -> None:
    assert reported_error(error) == reported
