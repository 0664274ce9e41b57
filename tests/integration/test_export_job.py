"""The export job on both backends: a file of any size written in parts (S3 multipart on AWS), resumable from its
last part, downloaded through the API (a pre-signed URL on AWS), and erased with its user."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from agent_memory.domain.models import NewMemory
from agent_memory.domain.operations import JobKind, OperationStatus, Phase
from agent_memory.runtime import Runtime
from agent_memory.services.jobs import export as export_job
from agent_memory.services.jobs.steps import run_to_end
from tests.aws_support import BUCKET, REGION
from tests.conftest import Api, Jobs


def memory_lines(data: bytes) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in data.splitlines() if line.strip()]
    assert lines[0]["type"] == "header" and lines[-1]["type"] == "end"
    return [line["memory"] for line in lines if line["type"] == "memory"]


def exported_bytes(runtime: Runtime, api: Api, operation_id: str) -> bytes:
    response = api.get(f"/v1/exports/{operation_id}", follow_redirects=False)
    if not runtime.is_aws:
        assert response.status_code == 200, response.text
        assert response.headers["content-disposition"].startswith('attachment; filename="agent-memory-alice-')
        return response.content
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert f"/exports/acme/alice/{operation_id}.ndjson" in location and "Signature" in location
    key = f"exports/acme/alice/{operation_id}.ndjson"
    return bytes(boto3.client("s3", region_name=REGION).get_object(Bucket=BUCKET, Key=key)["Body"].read())


def test_an_export_job_writes_the_same_export_and_serves_it(api: Api, runtime: Runtime, jobs: Jobs) -> None:
    # Given a user with memories
    for content in ("Lives in Lisbon", "Has a cat named Miso", "Works as a nurse"):
        api.remember("alice", content)
    # When an export job runs
    started = api.post("/v1/jobs/export", json={"user_id": "alice"})
    assert started.status_code == 202, started.text
    jobs.drain()
    operation = api.get(started.headers["location"]).json()
    # Then it succeeded and says where to download the file, which holds what GET /v1/export gives
    assert operation["status"] == "succeeded", operation
    assert operation["result"]["download"] == f"/v1/exports/{operation['operation_id']}"
    # (the user's operations include this export itself, still running as it was written)
    assert operation["result"]["exported"] == {"memories": 3, "history": 3, "operations": 1}
    direct = memory_lines(api.get("/v1/export", params={"user_id": "alice"}).content)
    assert memory_lines(exported_bytes(runtime, api, operation["operation_id"])) == direct


def test_a_download_before_the_job_finishes_or_of_another_tenant_is_refused(
    api: Api, other_tenant: Api, jobs: Jobs
) -> None:
    api.remember("alice", "Lives in Lisbon")
    jobs.hold()
    started = api.post("/v1/jobs/export", json={"user_id": "alice"}).json()
    early = api.get(f"/v1/exports/{started['operation_id']}")
    assert early.status_code == 409 and early.json()["code"] == "export_not_ready"
    jobs.drain()
    assert other_tenant.get(f"/v1/exports/{started['operation_id']}").status_code == 404
    assert api.get("/v1/exports/01JD00000000000000000000NO").status_code == 404


def test_an_export_stopped_after_a_part_resumes_from_it(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given parts of a few hundred bytes (and S3 accepting parts that small) and 30 memories
    monkeypatch.setattr(export_job, "PART_BYTES", 600)
    monkeypatch.setattr("moto.s3.models.S3_UPLOAD_PART_MIN_SIZE", 500)
    for i in range(30):
        runtime.memories.create("acme", NewMemory(user_id="alice", content=f"Fact {i} about a trip to place {i}"))
    runtime.__dict__["job_runner"] = type("Manual", (), {"start": lambda self, operation: None})()
    operation, _ = runtime.operations.start("acme", "alice", JobKind.EXPORT, {})
    steps = runtime.job_steps
    steps.begin("acme", operation.id)
    # When the first step runs out of time right after its first part
    assert steps.step("acme", operation.id, Phase.EXPORT, seconds_left=lambda: 0.0) is False
    saved = runtime.operations.get("acme", operation.id)
    assert len(saved.cursor["parts"]) == 1 and 0 < saved.done < 30
    # Then the job resumes from that part and the file holds every memory once, in order
    done = run_to_end(steps, "acme", operation.id, sleep=lambda _: None)
    assert done is not None and done.status is OperationStatus.SUCCEEDED
    assert done.done == 30 and done.counts["memories"] == 30
    data = b"".join(runtime.exports.read("acme", "alice", operation.id)) if not runtime.is_aws else (
        boto3.client("s3", region_name=REGION)
        .get_object(Bucket=BUCKET, Key=f"exports/acme/alice/{operation.id}.ndjson")["Body"].read()
    )  # fmt: skip
    exported = memory_lines(data)
    assert {m["content"] for m in exported} == {f"Fact {i} about a trip to place {i}" for i in range(30)}
    assert [m["id"] for m in exported] == sorted(m["id"] for m in exported)  # in id order, none twice
    assert len(memory_lines(data)) == 30 and len({m["id"] for m in memory_lines(data)}) == 30


def test_erasing_the_user_erases_their_export_files(api: Api, admin: Api, jobs: Jobs) -> None:
    api.remember("alice", "Lives in Lisbon")
    exported = api.post("/v1/jobs/export", json={"user_id": "alice"}).json()
    jobs.drain()
    erased = admin.delete("/v1/users/alice").json()
    jobs.drain()
    receipt = api.get(f"/v1/operations/{erased['operation_id']}").json()
    assert receipt["status"] == "succeeded" and receipt["counts"]["export_files"] == 1
    assert api.get(f"/v1/exports/{exported['operation_id']}").status_code == 404
