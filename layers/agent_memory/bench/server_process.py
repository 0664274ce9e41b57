"""A real `agent-memory serve` in a child process (started, SIGKILLed, restarted on one port and folder) and a
minimal HTTP client for it, for benchmarks that measure the server as clients see it."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from agent_memory.contract import API_KEY_HEADER

TENANT_KEY_FILE = "dev-api-key"
REQUEST_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`agent-memory serve` in a child process: started, SIGKILLed and restarted on the same port and folder."""

    def __init__(self, data_dir: Path, port: int, embedder: str) -> None:
        self.data_dir = data_dir
        self.port = port
        self.up = threading.Event()
        self.restart_seconds: list[float] = []
        self._environment = {
            **os.environ,
            "AGENT_MEMORY_BACKEND": "local",
            "AGENT_MEMORY_EMBEDDER": embedder,
            "PYTHONUNBUFFERED": "1",
        }
        self._process: subprocess.Popen[bytes] | None = None
        self._log = data_dir.parent / "server.log"

    def start(self) -> None:
        started = time.perf_counter()
        command = [sys.executable, "-m", "agent_memory.cli", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--data-dir", str(self.data_dir), "--log-level", "warning"]
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=self._environment)
        self._wait_healthy()
        self.restart_seconds.append(time.perf_counter() - started)
        self.up.set()

    def _wait_healthy(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                tail = self._log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"the server exited with {self._process.returncode}:\n{tail}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
            time.sleep(0.05)  # polling a process that is starting: there is no event to wait on
        raise TimeoutError(f"the server did not answer /healthz within {timeout} s; see {self._log}")

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, open transactions die with the process."""
        self.up.clear()
        if self._process is not None and self._process.poll() is None:
            os.kill(self._process.pid, signal.SIGKILL)
            self._process.wait(timeout=30)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def key(self) -> str:
        return (self.data_dir / TENANT_KEY_FILE).read_text().strip()


class Client:
    """One connection, one request at a time (http.client keeps the bench free of extra dependencies)."""

    def __init__(self, port: int, key: str) -> None:
        self._port = port
        self._key = key
        self._connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], Any]:
        if self._connection is None:
            self._connection = http.client.HTTPConnection("127.0.0.1", self._port, timeout=REQUEST_TIMEOUT)
        sent = {API_KEY_HEADER: self._key, **(headers or {})}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        try:
            self._connection.request(method, path, body=payload, headers=sent)
            response = self._connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        answer = json.loads(raw) if raw else None
        return response.status, {k.lower(): v for k, v in response.getheaders()}, answer

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
