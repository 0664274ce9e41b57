"""Time to first answer after `agent-memory serve` starts: the process is up when /healthz answers (the embedding
model is loaded before that), then the first write and the first search are timed as a client sees them."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from agent_memory.bench.server_process import Client, Server, free_port


def run_once(embedder: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="first-answer-") as scratch:
        server = Server(Path(scratch) / "data", free_port(), embedder)
        started = time.perf_counter()
        server.start()
        ready = time.perf_counter() - started
        client = Client(server.port, server.key)
        try:
            tick = time.perf_counter()
            status, _, _ = client.request("POST", "/v1/memories", {"user_id": "u1", "content": "Lives in Lisbon"})
            write = time.perf_counter() - tick
            tick = time.perf_counter()
            found, _, _ = client.request("GET", "/v1/memories/search?user_id=u1&q=where+does+she+live")
            search = time.perf_counter() - tick
        finally:
            client.close()
            server.stop()
        if status != 201 or found != 200:
            raise RuntimeError(f"unexpected answers: write {status}, search {found}")
        return {"ready_s": ready, "first_write_ms": write * 1000, "first_search_ms": search * 1000}


def run(embedder: str = "minilm", repeats: int = 3) -> dict[str, Any]:
    samples = [run_once(embedder) for _ in range(repeats)]
    return {
        "embedder": embedder,
        "repeats": repeats,
        **{key: round(statistics.median(s[key] for s in samples), 3) for key in samples[0]},
        "samples": samples,
    }


def render(result: dict[str, Any]) -> str:
    return (
        f"{result['embedder']}, median of {result['repeats']} starts: ready (healthz) after {result['ready_s']} s, "
        f"first write {result['first_write_ms']} ms, first search {result['first_search_ms']} ms"
    )
