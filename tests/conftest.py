"""Shared fixtures: a runtime on a temporary data folder, an HTTP client, and keys for two tenants."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from agent_memory.config import Config
from agent_memory.domain.models import Scope
from agent_memory.entry.local_worker import LocalJobWorker
from agent_memory.http.app import create_app
from agent_memory.runtime import Runtime

# Tests (and the servers they start) use the deterministic hashing embedder unless a test asks for the real model.
os.environ.setdefault("AGENT_MEMORY_EMBEDDER", "hashing")
# ...and the offline rules extractor, also on the aws backend (whose default is Bedrock).
os.environ.setdefault("AGENT_MEMORY_EXTRACTOR", "rules")
# ...and no chat model answering turns (tests that need one stub it).
os.environ.setdefault("AGENT_MEMORY_RESPONDER", "none")


@pytest.fixture(params=["local", "aws"])
def runtime(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Runtime]:
    """Every service-level test runs on both backends: SQLite, and DynamoDB (moto) + OpenSearch (loopback)."""
    if request.param == "aws":
        from tests.aws_support import aws_runtime

        with aws_runtime() as (rt, _):
            yield rt
        return
    rt = Runtime(Config(data_dir=tmp_path / "data", embedder="hashing"))
    yield rt
    rt.close()


@dataclass
class Api:
    """An HTTP client bound to one API key."""

    client: TestClient
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-API-Key": self.key}

    def request(self, method: str, path: str, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def post(self, path: str, **kwargs):
        return self.request("POST", path, **kwargs)

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def patch(self, path: str, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def put(self, path: str, **kwargs):
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def remember(self, user_id: str, content: str, **fields) -> dict:
        response = self.post("/v1/memories", json={"user_id": user_id, "content": content, **fields})
        assert response.status_code == 201, response.text
        return response.json()


class Bearer(Api):
    """An HTTP client that sends its key as `Authorization: Bearer <key>` (as the compatible APIs' clients do)."""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@pytest.fixture
def client(runtime: Runtime) -> TestClient:
    return TestClient(create_app(runtime), raise_server_exceptions=False)


def _key(runtime: Runtime, tenant: str, *scopes: Scope) -> str:
    plaintext, _ = runtime.keys.create(tenant, frozenset(scopes or (Scope.READ, Scope.WRITE)))
    return plaintext


@pytest.fixture
def api(client: TestClient, runtime: Runtime) -> Api:
    """Tenant `acme` with read and write scopes."""
    return Api(client, _key(runtime, "acme"))


@pytest.fixture
def other_tenant(client: TestClient, runtime: Runtime) -> Api:
    return Api(client, _key(runtime, "globex"))


@pytest.fixture
def admin(client: TestClient, runtime: Runtime) -> Api:
    return Api(client, _key(runtime, "acme", Scope.ADMIN))


@pytest.fixture
def reader(client: TestClient, runtime: Runtime) -> Api:
    return Api(client, _key(runtime, "acme", Scope.READ))


@dataclass
class Jobs:
    worker: LocalJobWorker
    gate: threading.Event

    def hold(self) -> None:
        """Keep the jobs started from now on queued until `release()`."""
        self.gate.clear()

    def release(self) -> None:
        self.gate.set()

    def drain(self) -> None:
        self.release()
        assert self.worker.wait_idle(30), "jobs did not finish"


@pytest.fixture
def jobs(runtime: Runtime) -> Iterator[Jobs]:
    """Jobs run by a background worker on either backend (the Step Functions path has its own tests)."""
    gate = threading.Event()
    gate.set()

    def steps():  # type: ignore[no-untyped-def]
        gate.wait(30)
        return runtime.job_steps

    worker = LocalJobWorker(steps, lambda: [], sleep=lambda _: None)
    runtime.__dict__["job_runner"] = worker
    yield Jobs(worker, gate)
    gate.set()
    worker.stop()
