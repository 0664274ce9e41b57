"""Optimize on one user's large memory: wall time and peak memory of the job (local backend, hashing embedder).

The user's memories are synthetic facts with a known share of exact duplicates (another casing or punctuation) and of
contradictions (a later "Lives in …" or "Works at …" for the same person), so the report also shows that the job
found them.
"""

from __future__ import annotations

import random
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from agent_memory.config import Config
from agent_memory.domain.models import NewMemory
from agent_memory.domain.operations import JobKind, Operation
from agent_memory.runtime import Runtime
from agent_memory.services.jobs.steps import run_to_end

TENANT = "bench"
PLACES = "Lisbon Berlin Oslo Kyoto Lima Austin Porto Turin Quito Hanoi Accra Perth Dakar Minsk Cusco Bergen".split()
THINGS = "tea chess jazz sushi kayaks poetry tomatoes violins marathons gardens novels climbing opera".split()
VERBS = "collects studies photographs paints repairs teaches reviews sketches".split()


def contents(count: int, seed: int = 5) -> list[str]:
    """`count` memories: about 5% exact duplicates and 2% facts that replace an earlier one."""
    rng = random.Random(seed)
    made: list[str] = []
    serial = 0
    while len(made) < count:
        serial += 1
        roll = rng.random()
        if roll < 0.05 and made:
            made.append(rng.choice(made).upper().rstrip(".") + "!")  # the same words, other casing and punctuation
        elif roll < 0.07:
            made.append(f"Lives in {rng.choice(PLACES)} {serial}")
        else:
            made.append(f"{rng.choice(VERBS).title()} {rng.choice(THINGS)} from series {serial}")
    return made


class Queued:
    def start(self, operation: Operation) -> None:
        return None


def _seed(runtime: Runtime, user: str, items: list[str]) -> None:
    for start in range(0, len(items), 100):
        runtime.memories.create_batch(TENANT, [NewMemory(user_id=user, content=c) for c in items[start : start + 100]])


def _optimize(runtime: Runtime, user: str) -> Operation:
    operation, _ = runtime.operations.start(TENANT, user, JobKind.OPTIMIZE, {})
    final = run_to_end(runtime.job_steps, TENANT, operation.id, sleep=lambda _: None)
    assert final is not None
    return final


def run(memories: int = 10_000) -> dict[str, Any]:
    items = contents(memories)
    with tempfile.TemporaryDirectory() as tmp:
        runtime = Runtime(Config(data_dir=Path(tmp) / "data", embedder="hashing", extractor="rules"))
        runtime.__dict__["job_runner"] = Queued()  # the benchmark runs the job itself, in this thread
        try:
            _seed(runtime, "timed", items)
            _seed(runtime, "traced", items)
            started = time.perf_counter()
            timed = _optimize(runtime, "timed")
            seconds = time.perf_counter() - started
            tracemalloc.start()
            _optimize(runtime, "traced")
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        finally:
            runtime.close()
    return {
        "memories": memories,
        "embedder": "hashing",
        "status": timed.status.value,
        "seconds": round(seconds, 3),
        "peak_mib": round(peak / 2**20, 1),
        "merged": timed.counts.get("merged", 0),
        "superseded": timed.counts.get("superseded", 0),
        "clusters": timed.counts.get("clusters", 0),
        "topics_added": timed.counts.get("topics_added", 0),
    }


def render(result: dict[str, Any]) -> str:
    return (
        f"optimize on {result['memories']} memories ({result['embedder']} embedder): {result['seconds']} s, "
        f"peak {result['peak_mib']} MiB traced; merged {result['merged']}, superseded {result['superseded']}, "
        f"{result['clusters']} clusters, {result['topics_added']} topics added ({result['status']})"
    )
