"""The real `agent-memory serve` process on a free loopback port, and the README quickstart run verbatim against it."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    base_url: str
    port: int
    workdir: Path
    process: subprocess.Popen
    first_output: str

    @property
    def key(self) -> str:
        return (self.workdir / ".agent-memory" / "dev-api-key").read_text().strip()


def _wait_healthy(base_url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with {process.returncode}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise TimeoutError("server did not become healthy")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    port = free_port()
    command = [sys.executable, "-m", "agent_memory.cli", "serve", "--port", str(port), "--data-dir", ".agent-memory"]
    log = tmp_path / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base_url, process)
        yield Server(base_url, port, tmp_path, process, log.read_text())
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_given_a_fresh_folder_when_served_then_a_dev_key_is_printed_once_and_saved_privately(server) -> None:
    key_file = server.workdir / ".agent-memory" / "dev-api-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert server.key in server.first_output
    # The embedding model is loaded before the server announces itself, so no request waits for it
    assert server.first_output.index("Embedding model hashing-") < server.first_output.index("serving on")
    assert f"explorer: {server.base_url}/ui" in server.first_output
    headers = {"X-API-Key": server.key}
    created = httpx.post(
        f"{server.base_url}/v1/memories", json={"user_id": "alice", "content": "over real HTTP"}, headers=headers
    )
    assert created.status_code == 201
    listed = httpx.get(f"{server.base_url}/v1/memories", params={"user_id": "alice"}, headers=headers).json()
    assert [m["id"] for m in listed["items"]] == [created.json()["id"]]
    assert httpx.get(f"{server.base_url}/v1/memories", params={"user_id": "alice"}).status_code == 401


def test_data_survives_a_restart_and_no_second_key_is_created(tmp_path: Path) -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "agent_memory.cli", "serve", "--port", str(port), "--data-dir", "data"]
    outputs = []
    key = None
    for round_ in range(2):
        process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            _wait_healthy(base_url, process)
            key = key or (tmp_path / "data" / "dev-api-key").read_text().strip()
            headers = {"X-API-Key": key}
            if round_ == 0:
                httpx.post(f"{base_url}/v1/memories", json={"user_id": "u", "content": "persisted"}, headers=headers)
            else:
                body = httpx.get(f"{base_url}/v1/memories", params={"user_id": "u"}, headers=headers).json()
                assert [m["content"] for m in body["items"]] == ["persisted"]
        finally:
            process.terminate()
            outputs.append(process.communicate(timeout=10)[0])
    assert "shown once" in outputs[0]
    assert "shown once" not in outputs[1]


def readme_script(name: str = "quickstart") -> str:
    readme = (REPO / "README.md").read_text()
    block = readme.split(f"<!-- {name}:start -->")[1].split(f"<!-- {name}:end -->")[0]
    return re.search(r"```bash\n(.*?)```", block, re.S).group(1)  # type: ignore[union-attr]


def test_the_readme_quickstart_works_as_written(server) -> None:
    script = readme_script().replace("127.0.0.1:8080", f"127.0.0.1:{server.port}")
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=server.workdir,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ},
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert '"content":"Prefers window seats on long flights"' in out
    assert '"code":"duplicate_memory"' in out
    assert '"created":2' in out
    assert '"previous_content":"Lives in Lyon"' in out
    assert '"highlights":["**Lives** in Berlin"]' in out  # the query said "live"
    assert out.strip().endswith("204")
    # And the jobs example after it: starts an optimize and reads its finished operation
    jobs = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", readme_script("jobs").replace("127.0.0.1:8080", f"127.0.0.1:{server.port}")],
        cwd=server.workdir,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert jobs.returncode == 0, jobs.stderr
    assert '"kind":"optimize"' in jobs.stdout and '"status":"succeeded"' in jobs.stdout, jobs.stdout


def test_the_readme_data_rights_example_works_as_written(server) -> None:
    script = readme_script("data-rights").replace("127.0.0.1:8080", f"127.0.0.1:{server.port}")
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=server.workdir, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert '{"cleared":1}' in out
    assert '"imported":1' in out
    assert '"kind":"erase-user"' in out and '"status":"succeeded"' in out and '"verified":true' in out, out


def test_given_a_busy_port_when_served_then_it_says_so_and_never_claims_to_be_serving(tmp_path: Path) -> None:
    # Given something already listening on the port
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        # When the server is started on it
        result = subprocess.run(
            [sys.executable, "-m", "agent_memory.cli", "serve", "--port", str(port), "--data-dir", "data"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    # Then it exits 2 with the reason, before announcing anything or touching the data folder
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
    assert "serving" not in result.stdout
    assert not (tmp_path / "data").exists()
