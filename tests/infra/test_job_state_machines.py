"""The job state machines exactly as `cdk synth` emits them, executed by moto's Step Functions interpreter with each
Lambda task dispatched to the in-process handler its function names (functions/jobs/*), on DynamoDB under moto and
OpenSearch on loopback. The same scenario through the local worker must end the same way."""

from __future__ import annotations

import importlib
import io
import json
import threading
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.awslambda.models import LambdaFunction

from agent_memory.adapters.aws.step_functions import StepFunctionsLauncher
from agent_memory.domain.models import MemoryFilter, NewMemory, Owner
from agent_memory.domain.operations import JobKind, OperationStatus
from agent_memory.entry import shared
from agent_memory.invoke import LocalContext
from agent_memory.runtime import Runtime
from agent_memory.services.jobs.steps import run_to_end
from tests.aws_support import REGION, aws_runtime, fake_credentials
from tests.infra.conftest import Synthesized

ACCOUNT = "123456789012"
SEEDED = ["Lives in Berlin", "Likes tea.", "likes tea", "Plays tennis on weekends", "Lives in Munich"]


def resolve(value: Any, arns: dict[str, str]) -> Any:
    """CloudFormation intrinsics of a synthesized definition, resolved as a deployment would."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(resolve(part, arns) for part in parts)
    if "Fn::GetAtt" in value:
        return arns[value["Fn::GetAtt"][0]]
    if "Ref" in value:
        return {"AWS::Partition": "aws", "AWS::Region": REGION, "AWS::AccountId": ACCOUNT}[value["Ref"]]
    raise AssertionError(f"unexpected intrinsic {value}")


def dummy_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "")
    return buffer.getvalue()


class Deployment:
    """The synthesized job functions and state machines created in moto."""

    def __init__(self, synthesized: Synthesized) -> None:
        self.handlers: dict[str, str] = {}
        self.machines: dict[str, str] = {}
        lambdas = boto3.client("lambda", region_name=REGION)
        role = boto3.client("iam", region_name=REGION).create_role(
            RoleName="job-step", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []})
        )["Role"]["Arn"]
        arns: dict[str, str] = {}
        for logical_id, resource in synthesized.of_type("AWS::Lambda::Function").items():
            handler = resource["Properties"].get("Handler", "")
            if not handler.startswith("functions.jobs."):
                continue
            created = lambdas.create_function(
                FunctionName=logical_id,
                Runtime="python3.12",
                Role=role,
                Handler=handler,
                Code={"ZipFile": dummy_zip()},
            )
            arns[logical_id] = created["FunctionArn"]
            self.handlers[logical_id] = handler
        states = boto3.client("stepfunctions", region_name=REGION)
        for logical_id, resource in synthesized.of_type("AWS::StepFunctions::StateMachine").items():
            definition = resolve(resource["Properties"]["DefinitionString"], arns)
            kind = next(
                k for k in JobKind if logical_id.startswith(f"Jobs{''.join(p.title() for p in k.split('-'))}Job")
            )
            self.machines[kind.value] = states.create_state_machine(
                name=logical_id, definition=definition, roleArn=role, type="STANDARD"
            )["stateMachineArn"]

    def invoke(self, function: LambdaFunction, body: str, request_headers: Any, response_headers: Any) -> bytes:
        module, attribute = self.handlers[function.function_name].rsplit(".", 1)
        handler = getattr(importlib.import_module(module), attribute)
        event = json.loads(body) if body else {}
        try:
            answer = handler(event, LocalContext(function_name=function.function_name, timeout_seconds=900))
        except Exception as exc:  # as Lambda reports a function error: type and message in the payload
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps({"errorType": type(exc).__name__, "errorMessage": str(exc)}).encode()
        return json.dumps(answer).encode()


@pytest.fixture
def deployed(dev: Synthesized, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Runtime, Deployment]]:
    fake_credentials()
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        deployment = Deployment(dev)
        with aws_runtime(mock=False) as (runtime, _):
            runtime.__dict__["job_runner"] = StepFunctionsLauncher(
                lambda: boto3.client("stepfunctions", region_name=REGION), deployment.machines
            )
            monkeypatch.setattr(shared, "shared_runtime", lambda: runtime)
            monkeypatch.setattr(LambdaFunction, "invoke", lambda fn, *args: deployment.invoke(fn, *args))
            yield runtime, deployment


def execution_of(operation_id: str, machine_arn: str, timeout: float = 60) -> dict[str, Any]:
    """Wait for the execution named after the operation to finish (moto runs it on a thread of its own)."""
    states = boto3.client("stepfunctions", region_name=REGION)
    arn = machine_arn.replace(":stateMachine:", ":execution:") + f":{operation_id}"
    deadline = time.monotonic() + timeout
    while True:
        answer = states.describe_execution(executionArn=arn)
        if answer["status"] != "RUNNING":
            return answer
        assert time.monotonic() < deadline, "execution did not finish"
        time.sleep(0.05)


class Queued:
    """A runner that leaves the job queued, for the local path to run it."""

    def start(self, operation: object) -> None:
        return None


def seed(runtime: Runtime, user: str) -> None:
    for content in SEEDED:
        runtime.memories.create("acme", NewMemory(user_id=user, content=content))


def visible(runtime: Runtime, user: str) -> list[tuple[str, bool]]:
    every = runtime.memories.list_memories(Owner("acme", user), MemoryFilter(include_superseded=True), limit=100)
    return sorted((m.content, m.superseded_by is not None) for m in every.items)


def test_every_job_kind_has_a_state_machine_over_the_shared_phases(dev: Synthesized) -> None:
    machines = dev.of_type("AWS::StepFunctions::StateMachine")
    assert len(machines) == len(JobKind)
    for resource in machines.values():
        assert resource["Properties"]["StateMachineType"] == "STANDARD"
        assert resource["Properties"]["TracingConfiguration"] == {"Enabled": True}


def test_given_the_same_input_when_optimize_runs_on_step_functions_then_it_ends_as_on_the_local_worker(
    deployed: tuple[Runtime, Deployment],
) -> None:
    runtime, deployment = deployed
    seed(runtime, "via-sfn")
    seed(runtime, "via-worker")

    # When: one optimize runs through the synthesized state machine, the other through the local worker's path
    operation, created = runtime.operations.start("acme", "via-sfn", JobKind.OPTIMIZE, {})
    assert created
    execution = execution_of(operation.id, deployment.machines["optimize"])
    launcher = runtime.job_runner
    runtime.__dict__["job_runner"] = Queued()
    local, _ = runtime.operations.start("acme", "via-worker", JobKind.OPTIMIZE, {})
    runtime.__dict__["job_runner"] = launcher
    reference = run_to_end(runtime.job_steps, "acme", local.id, sleep=lambda _: None)

    # Then: the execution succeeded and both ended with the same operation outcome and the same memories
    assert execution["status"] == "SUCCEEDED", execution
    done = runtime.operations.get("acme", operation.id)
    assert done.status is OperationStatus.SUCCEEDED
    assert reference is not None
    assert done.counts == runtime.operations.get("acme", local.id).counts
    assert done.counts["merged"] == 1 and done.counts["superseded"] == 1
    assert visible(runtime, "via-sfn") == visible(runtime, "via-worker")
    assert ("Lives in Berlin", True) in visible(runtime, "via-sfn")


@pytest.mark.parametrize("kind", ["backfill-entities", "reindex", "generate-episodes", "consolidate-conversations"])
def test_every_other_job_kind_runs_to_success_on_its_state_machine(
    deployed: tuple[Runtime, Deployment], kind: str
) -> None:
    runtime, deployment = deployed
    seed(runtime, "alice")
    boto3.client("s3", region_name=REGION).create_bucket(Bucket="conversations")
    runtime.__dict__["archive"] = type(runtime.archive)(lambda: boto3.client("s3", region_name=REGION), "conversations")
    boto3.client("s3", region_name=REGION).put_object(
        Bucket="conversations",
        Key="conversations/acme/alice/trip.jsonl",
        Body=json.dumps({"role": "user", "content": "I always book window seats."}).encode(),
    )

    operation, _ = runtime.operations.start("acme", "alice", JobKind(kind), {})
    execution = execution_of(operation.id, deployment.machines[kind])

    assert execution["status"] == "SUCCEEDED", execution
    done = runtime.operations.get("acme", operation.id)
    assert done.status is OperationStatus.SUCCEEDED and done.finished_at is not None
    expected = {
        "backfill-entities": ("scanned", 5),
        "reindex": ("scanned", 5),
        "generate-episodes": ("episodes_created", 1),
        "consolidate-conversations": ("facts_saved", 1),
    }[kind]
    assert done.counts[expected[0]] == expected[1]


def test_given_a_step_that_fails_when_the_execution_runs_then_catch_marks_the_operation_failed_and_frees_the_lock(
    deployed: tuple[Runtime, Deployment], monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime, deployment = deployed
    seed(runtime, "alice")
    from agent_memory.domain.errors import ModelOutputInvalid
    from agent_memory.services.jobs.optimize import ResolveDuplicates

    def broken(*_: object) -> None:
        raise ModelOutputInvalid("the model gave no valid decide_merge answer twice")

    monkeypatch.setattr(ResolveDuplicates, "run", broken)
    operation, _ = runtime.operations.start("acme", "alice", JobKind.OPTIMIZE, {})

    execution = execution_of(operation.id, deployment.machines["optimize"])

    assert execution["status"] == "FAILED"
    failed = runtime.operations.get("acme", operation.id)
    assert failed.status is OperationStatus.FAILED
    assert failed.error == "ModelOutputInvalid: the model gave no valid decide_merge answer twice"
    monkeypatch.undo()
    monkeypatch.setattr(shared, "shared_runtime", lambda: runtime)
    monkeypatch.setattr(LambdaFunction, "invoke", lambda fn, *args: deployment.invoke(fn, *args))
    retry, created = runtime.operations.start("acme", "alice", JobKind.OPTIMIZE, {})
    assert created and execution_of(retry.id, deployment.machines["optimize"])["status"] == "SUCCEEDED"


def test_given_a_throttled_step_when_the_execution_runs_then_it_is_retried_and_succeeds(
    deployed: tuple[Runtime, Deployment], monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime, deployment = deployed
    seed(runtime, "alice")
    from agent_memory.domain.errors import StoreUnavailable
    from agent_memory.services.jobs.entities import BackfillEntities

    original = BackfillEntities.run
    calls: list[int] = []

    def throttled_once(self: BackfillEntities, *args: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise StoreUnavailable("DynamoDB is throttling this table; retry shortly.")
        return original(self, *args)

    monkeypatch.setattr(BackfillEntities, "run", throttled_once)
    operation, _ = runtime.operations.start("acme", "alice", JobKind.BACKFILL_ENTITIES, {})

    assert execution_of(operation.id, deployment.machines["backfill-entities"])["status"] == "SUCCEEDED"
    assert len(calls) == 2 and runtime.operations.get("acme", operation.id).counts["scanned"] == 5


def test_given_concurrent_requests_for_one_job_then_one_execution_is_started(
    deployed: tuple[Runtime, Deployment],
) -> None:
    runtime, deployment = deployed
    seed(runtime, "alice")
    barrier = threading.Barrier(6)

    def request(_: int) -> tuple[str, bool]:
        barrier.wait()
        operation, created = runtime.operations.start("acme", "alice", JobKind.REINDEX, {})
        return operation.id, created

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(request, range(6)))

    assert sum(created for _, created in answers) == 1 and len({op for op, _ in answers}) == 1
    executions = boto3.client("stepfunctions", region_name=REGION).list_executions(
        stateMachineArn=deployment.machines["reindex"]
    )["executions"]
    assert [e["name"] for e in executions] == [answers[0][0]]
    assert execution_of(answers[0][0], deployment.machines["reindex"])["status"] == "SUCCEEDED"


def test_erasing_a_user_runs_to_a_verified_receipt_on_its_state_machine(deployed: tuple[Runtime, Deployment]) -> None:
    # Given alice's memories and a log stored in two versions, and bob's memories
    runtime, deployment = deployed
    seed(runtime, "alice")
    seed(runtime, "bob")
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="conversations")
    s3.put_bucket_versioning(Bucket="conversations", VersioningConfiguration={"Status": "Enabled"})
    runtime.__dict__["archive"] = type(runtime.archive)(lambda: boto3.client("s3", region_name=REGION), "conversations")
    for text in ("I always book window seats.", "I live in Lyon."):
        s3.put_object(Bucket="conversations", Key="conversations/acme/alice/trip.jsonl", Body=text.encode())

    # When the erasure is started as DELETE /v1/users/alice starts it, and Step Functions runs its machine
    operation, _ = runtime.data_rights.erase_user("acme", "alice")
    execution = execution_of(operation.id, deployment.machines["erase-user"])

    # Then it succeeded with a verified receipt, nothing of alice is left, and bob's memories are all there
    assert execution["status"] == "SUCCEEDED", execution
    done = runtime.operations.get("acme", operation.id)
    assert done.status is OperationStatus.SUCCEEDED
    assert done.counts["memories"] == 5 and done.counts["raw_log_versions"] == 2
    assert done.result["verified"] is True
    assert runtime.store.residue(Owner("acme", "alice")) == {}
    assert "Versions" not in s3.list_object_versions(Bucket="conversations", Prefix="conversations/acme/alice/")
    assert len(runtime.store.residue(Owner("acme", "bob"))) > 0
