"""Write and search throughput and latency through the services for one user holding N memories."""

from __future__ import annotations

import random
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from agent_memory.config import Config
from agent_memory.domain.models import NewMemory, Owner
from agent_memory.runtime import Runtime
from agent_memory.services.search import SearchMode

TENANT = "bench"
USER = "heavy-user"
WORDS = (
    "coffee tea hiking paris berlin python rust guitar piano dog cat sister brother marathon cycling yoga sushi"
    " pasta vegan allergy peanuts meeting project deadline birthday wedding flight hotel museum novel poetry garden"
    " tomatoes kayak climbing chess budget salary doctor dentist school teacher painting photography jazz violin"
).split()


SMALL_USER_LABEL = "user with a few hundred memories"


def sentence(rng: random.Random, serial: int) -> str:
    words = rng.sample(WORDS, 8)
    return f"Note {serial}: the user mentioned {' '.join(words[:4])} while talking about {' '.join(words[4:])}."


def _ms(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000, 3)


def run_size(runtime: Runtime, size: int, queries: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    owner = Owner(TENANT, USER)
    existing = runtime.search.stats(TENANT, USER).stats.total
    started = time.perf_counter()
    serial = existing
    while serial < size:
        batch = [NewMemory(user_id=USER, content=sentence(rng, n)) for n in range(serial, min(size, serial + 100))]
        runtime.memories.create_batch(TENANT, batch)
        serial += len(batch)
    batch_seconds = time.perf_counter() - started
    batch_rate = (size - existing) / batch_seconds if size > existing else None

    singles = []
    for n in range(200):
        tick = time.perf_counter()
        runtime.memories.create(TENANT, NewMemory(user_id=f"{USER}-single", content=sentence(rng, size + n)))
        singles.append(time.perf_counter() - tick)

    texts = [" ".join(rng.sample(WORDS, 3)) for _ in range(queries)]
    by_mode: dict[str, Any] = {}
    for mode in SearchMode:
        runtime.search.search(owner, texts[0], mode=mode, record_access=False)  # warm caches
        total, engine = [], []
        for text in texts:
            embed_tick = time.perf_counter()
            runtime.embedder.embed([text]) if mode is not SearchMode.KEYWORD else None
            embed_seconds = time.perf_counter() - embed_tick
            tick = time.perf_counter()
            runtime.search.search(owner, text, mode=mode, limit=10, record_access=False)
            elapsed = time.perf_counter() - tick
            total.append(elapsed)
            engine.append(max(0.0, elapsed - embed_seconds))
        by_mode[mode.value] = {
            "p50_ms": _ms(total, 0.5),
            "p95_ms": _ms(total, 0.95),
            "p50_ms_excluding_query_embedding": _ms(engine, 0.5),
            "queries_per_second": round(len(total) / sum(total), 1),
        }
    # A small user sharing the file with the heavy one: their searches should not pay for the neighbour's size.
    small_owner = Owner(TENANT, f"{USER}-single")
    small = []
    for text in texts:
        tick = time.perf_counter()
        runtime.search.search(small_owner, text, mode=SearchMode.HYBRID, limit=10, record_access=False)
        small.append(time.perf_counter() - tick)
    return {
        "memories": size,
        "small_user_hybrid_p50_ms": _ms(small, 0.5),
        "batch_add_per_second": None if batch_rate is None else round(batch_rate, 1),
        "single_add_per_second": round(len(singles) / sum(singles), 1),
        "single_add_p50_ms": _ms(singles, 0.5),
        "search": by_mode,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run(
    sizes: list[int], embedder: str = "hashing", queries: int = 100, data_dir: Path | None = None
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="latency-") as scratch:
        runtime = Runtime(Config(data_dir=data_dir or Path(scratch), embedder=embedder))
        results = [run_size(runtime, size, queries) for size in sorted(sizes)]
        runtime.close()
    return {"embedder": runtime.embedder.model_id, "queries_per_mode": queries, "results": results}


def render(result: dict[str, Any]) -> str:
    lines = [f"Latency and throughput, embedder {result['embedder']}, {result['queries_per_mode']} queries per mode"]
    for row in result["results"]:
        lines.append(
            f"{row['memories']:>7} memories: batch add {row['batch_add_per_second']}/s, single add "
            f"{row['single_add_per_second']}/s (p50 {row['single_add_p50_ms']} ms), peak RSS {row['peak_rss_mib']} MiB"
        )
        lines.append(f"    a {SMALL_USER_LABEL} beside them: hybrid p50 {row['small_user_hybrid_p50_ms']} ms")
        for mode, stats in row["search"].items():
            lines.append(
                f"    {mode:<9} p50 {stats['p50_ms']} ms, p95 {stats['p95_ms']} ms, "
                f"p50 without query embedding {stats['p50_ms_excluding_query_embedding']} ms"
            )
    return "\n".join(lines)
