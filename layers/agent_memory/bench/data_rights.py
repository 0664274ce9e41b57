"""Data-rights throughput on the local backend: one user with N memories (each with a history entry) exported to a
file, imported into an empty store, cleared there, and erased (the full erase-user job with its verification) in
the original one; memories per second for each, and the Python heap's peak while exporting (flat in N)."""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from agent_memory.config import Config
from agent_memory.domain.models import NewMemory, Owner
from agent_memory.runtime import Runtime
from agent_memory.services.jobs.steps import run_to_end
from agent_memory.services.portability import ExportFormat

TENANT = "bench"
USER = "alice"
NEIGHBOUR = "bob"
BATCH = 100
TOPICS = ("travel", "food", "work", "family", "health", "hobbies")


class _NoRunner:
    def start(self, operation: Any) -> None:  # the benchmark runs the job's steps itself, timed
        return None


def _fill(runtime: Runtime, user: str, count: int) -> None:
    for start in range(0, count, BATCH):
        batch = [
            NewMemory(
                user_id=user,
                content=f"Fact number {i}: visited place {i % 977} with friend {i % 331} in {TOPICS[i % 6]} week {i}",
                topics=(TOPICS[i % 6],),
                metadata={"serial": i},
            )
            for i in range(start, min(start + BATCH, count))
        ]
        runtime.memories.create_batch(TENANT, batch)


def _export(runtime: Runtime, path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    size = 0
    with path.open("wb") as out:
        for chunk in runtime.portability.export(TENANT, USER, ExportFormat.NDJSON):
            size += out.write(chunk)
    return time.perf_counter() - started, size


def _export_peak(runtime: Runtime) -> int:
    """Peak bytes the Python heap grew by while exporting (the chunks are dropped as a download would send them)."""
    tracemalloc.start()
    try:
        for _ in runtime.portability.export(TENANT, USER, ExportFormat.NDJSON):
            pass
        return int(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()


def run(memories: int = 100_000, embedder: str = "hashing", measure_memory: bool = True) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        source = Runtime(Config(data_dir=Path(tmp) / "source", embedder=embedder))
        target = Runtime(Config(data_dir=Path(tmp) / "target", embedder=embedder))
        try:
            started = time.perf_counter()
            _fill(source, USER, memories)
            _fill(source, NEIGHBOUR, min(memories, 1_000))
            fill_seconds = time.perf_counter() - started

            export_file = Path(tmp) / "export.ndjson"
            export_seconds, export_bytes = _export(source, export_file)
            peak = _export_peak(source) if measure_memory else None

            started = time.perf_counter()
            with export_file.open("rb") as lines:
                report = target.portability.import_lines(TENANT, lines)
            import_seconds = time.perf_counter() - started

            started = time.perf_counter()
            cleared = target.data_rights.clear_user(Owner(TENANT, USER), USER)
            clear_seconds = time.perf_counter() - started

            source.__dict__["job_runner"] = _NoRunner()
            started = time.perf_counter()
            operation, _ = source.data_rights.erase_user(TENANT, USER)
            receipt = run_to_end(source.job_steps, TENANT, operation.id)
            erase_seconds = time.perf_counter() - started
            assert receipt is not None and receipt.result.get("verified") is True, receipt
            assert source.store.residue(Owner(TENANT, NEIGHBOUR)), "the neighbour must be untouched"
        finally:
            source.close()
            target.close()
    return {
        "memories": memories,
        "embedder": embedder,
        "fill_seconds": round(fill_seconds, 2),
        "export": {
            "seconds": round(export_seconds, 2),
            "memories_per_second": round(memories / export_seconds),
            "megabytes": round(export_bytes / 1e6, 1),
            "peak_heap_megabytes": None if peak is None else round(peak / 1e6, 1),
        },
        "import": {
            "seconds": round(import_seconds, 2),
            "memories_per_second": round(report.imported / import_seconds),
            "imported": report.imported,
        },
        "clear": {"seconds": round(clear_seconds, 2), "memories_per_second": round(cleared / clear_seconds)},
        "erase": {
            "seconds": round(erase_seconds, 2),
            "memories_per_second": round(memories / erase_seconds),
            "counts": receipt.counts,
            "verified": receipt.result["verified"],
        },
    }


def render(result: dict[str, Any]) -> str:
    export, imported, clear, erase = result["export"], result["import"], result["clear"], result["erase"]
    return "\n".join(
        [
            f"{result['memories']} memories of one user ({result['embedder']} embedder); filled in "
            f"{result['fill_seconds']} s",
            f"export  {export['seconds']} s  {export['memories_per_second']} memories/s  {export['megabytes']} MB  "
            f"peak heap {export['peak_heap_megabytes']} MB",
            f"import  {imported['seconds']} s  {imported['memories_per_second']} memories/s (re-embedded)",
            f"clear   {clear['seconds']} s  {clear['memories_per_second']} memories/s",
            f"erase   {erase['seconds']} s  {erase['memories_per_second']} memories/s  verified={erase['verified']}",
        ]
    )
