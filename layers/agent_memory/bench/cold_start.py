"""Cold start of every Lambda entry point: a fresh interpreter per sample, timing the import of the handler module
(imports + app construction = what Lambda's init phase runs), beside a bare Powertools resolver measured alike."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REFERENCE = "benchmarks.cold_start.reference_handler"
PROBE = (
    "import sys, time, importlib\n"
    "started = time.perf_counter()\n"
    "module = importlib.import_module(sys.argv[1])\n"
    "assert callable(module.handler)\n"
    "print((time.perf_counter() - started) * 1000)\n"
)
# What Lambda sets, so libraries take their Lambda paths; tracing off: no X-Ray daemon here (same for all).
LAMBDA_ENVIRONMENT = {
    "AWS_LAMBDA_FUNCTION_NAME": "cold-start-bench",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_NAMESPACE": "AgentMemory",
    "AGENT_MEMORY_BACKEND": "aws",
    "AGENT_MEMORY_CURSOR_SECRET": "bench",
    "PYTHONDONTWRITEBYTECODE": "1",
}


@dataclass(frozen=True)
class InitTime:
    module: str
    median_ms: float
    p90_ms: float

    def ratio(self, reference: InitTime) -> float:
        return self.median_ms / reference.median_ms


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


def entry_modules(root: Path) -> list[str]:
    functions = root / "functions"
    return sorted(
        ".".join(path.relative_to(root).with_suffix("").parts)
        for path in functions.rglob("*.py")
        if path.name != "__init__.py"
    )


def _sample(module: str, root: Path) -> float:
    environment = {**os.environ, **LAMBDA_ENVIRONMENT, "PYTHONPATH": os.pathsep.join([str(root), *sys.path])}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, module], cwd=root, env=environment, capture_output=True, text=True, check=True
    )
    return float(result.stdout.strip().splitlines()[-1])


def measure(root: Path, repeats: int = 9, modules: list[str] | None = None) -> tuple[InitTime, list[InitTime]]:
    """Interleaved rounds (every module once per round) so drift in machine load hits all of them alike."""
    names = [REFERENCE, *(modules or entry_modules(root))]
    for name in names:  # warm the OS file cache and .pyc files once, unmeasured
        _sample(name, root)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(repeats):
        for name in names:
            samples[name].append(_sample(name, root))
    times = [InitTime(name, statistics.median(values), _p90(values)) for name, values in samples.items()]
    return times[0], times[1:]


def as_json(reference: InitTime, rows: list[InitTime]) -> dict[str, object]:
    return {
        "reference": {"module": reference.module, "median_ms": reference.median_ms, "p90_ms": reference.p90_ms},
        "functions": [
            {"module": r.module, "median_ms": r.median_ms, "p90_ms": r.p90_ms, "ratio": round(r.ratio(reference), 2)}
            for r in rows
        ],
    }


def render(reference: InitTime, rows: list[InitTime]) -> str:
    lines = [
        "| handler | init median (ms) | p90 (ms) | ratio to reference |",
        "|---|---:|---:|---:|",
        "| Powertools `APIGatewayRestResolver` (reference) "
        f"| {reference.median_ms:.0f} | {reference.p90_ms:.0f} | 1.00 |",
    ]
    lines += [
        f"| `{r.module}` | {r.median_ms:.0f} | {r.p90_ms:.0f} | {r.ratio(reference):.2f} |"
        for r in sorted(rows, key=lambda row: row.module)
    ]
    return "\n".join(lines)
