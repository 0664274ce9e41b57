"""LoCoMo retrieval benchmark: recall@k of evidence turns, through the real write and search services.

Protocol (see the data folder's README): each conversation is one memory scope; every turn is stored as a memory
whose source_refs holds its dia_id; for each question of categories 1-4 the scope is searched and
recall@k = |evidence ∩ turns cited by the top k| / |evidence|, averaged over questions.
"""

from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent_memory.config import Config
from agent_memory.domain.models import NewMemory, Owner, Source
from agent_memory.runtime import Runtime
from agent_memory.services.search import GRAPH_RECALL, SearchMode

CATEGORIES = {1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop"}
TENANT = "locomo"
MAX_CONTENT_CHARS = 1_000
BATCH = 100


@dataclass(frozen=True)
class Turn:
    dia_id: str
    speaker: str
    text: str
    date: str


def _session_date(raw: str) -> str:
    """'1:56 pm on 8 May, 2023' -> '8 May 2023': the day is context, the minute is noise."""
    day = raw.split(" on ", 1)[-1]
    return day.replace(",", "").strip()


def turns_of(conversation: dict[str, Any]) -> Iterator[Turn]:
    sessions = sorted(
        (int(m.group(1)), key)
        for key in conversation
        if (m := re.fullmatch(r"session_(\d+)", key)) and isinstance(conversation[key], list)
    )
    for number, key in sessions:
        date = _session_date(str(conversation.get(f"session_{number}_date_time", "")))
        for turn in conversation[key]:
            text = str(turn["text"])
            if turn.get("blip_caption"):
                text += f" [shares a photo: {turn['blip_caption']}]"
            yield Turn(dia_id=str(turn["dia_id"]), speaker=str(turn["speaker"]), text=text, date=date)


CONTEXT_CHARS = 300


def memory_text(turn: Turn) -> str:
    """Each turn carries who said it and when, so a question naming a person or a day can find it."""
    return f"{turn.speaker} ({turn.date}): {turn.text}"


def context_of(previous: Turn | None) -> str | None:
    """The turn a memory answers, kept as its summary: replies like "Yes, last week!" mean little alone."""
    if previous is None:
        return None
    return f"{previous.speaker}: {previous.text}"[:CONTEXT_CHARS]


def _percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def ingest(runtime: Runtime, conversations: Sequence[dict[str, Any]]) -> int:
    """Every turn of each conversation as a memory of that conversation's user; returns how many turns."""
    runtime.settings.update(TENANT, {"max_content_chars": MAX_CONTENT_CHARS})
    turns_total = 0
    for conversation in conversations:
        user_id = str(conversation["sample_id"])
        turns = list(turns_of(conversation["conversation"]))
        turns_total += len(turns)
        for start in range(0, len(turns), BATCH):
            items = [
                NewMemory(
                    user_id=user_id,
                    content=memory_text(turn),
                    summary=context_of(turns[position - 1] if position else None),
                    source=Source.CONVERSATION,
                    thread_id=user_id,
                    source_refs=(turn.dia_id,),
                )
                for position, turn in enumerate(turns[start : start + BATCH], start=start)
            ]
            runtime.memories.create_batch(TENANT, items)
    return turns_total


def _mean(values: list[float]) -> float:
    return round(statistics.fmean(values), 4) if values else 0.0


def evaluate(
    runtime: Runtime,
    conversations: Sequence[dict[str, Any]],
    ks: Sequence[int] = (1, 5, 10, 25),
    mode: SearchMode = SearchMode.HYBRID,
    graph: bool | None = None,
) -> dict[str, Any]:
    """Recall@k of the questions of categories 1-4 over what `ingest` stored (`graph`: graph-aware recall on/off,
    None for the service's default)."""
    depth = max(ks)
    recalls: dict[int, list[float]] = {k: [] for k in ks}
    by_category: dict[int, dict[int, list[float]]] = defaultdict(lambda: {k: [] for k in ks})
    latencies: list[float] = []
    for conversation in conversations:
        owner = Owner(TENANT, str(conversation["sample_id"]))
        known = {turn.dia_id for turn in turns_of(conversation["conversation"])}
        for qa in conversation["qa"]:
            category = int(qa.get("category", 0))
            evidence = {e for e in qa.get("evidence", []) if e in known}
            if category not in CATEGORIES or not evidence:
                continue
            tick = time.perf_counter()
            result = runtime.search.search(owner, str(qa["question"]), mode=mode, limit=depth, graph=graph)
            latencies.append((time.perf_counter() - tick) * 1000)
            cited: list[set[str]] = [set(hit.memory.source_refs) for hit in result.hits]
            for k in ks:
                found = set().union(*cited[:k]) if cited[:k] else set()
                recall = len(evidence & found) / len(evidence)
                recalls[k].append(recall)
                by_category[category][k].append(recall)
    return {
        "questions": len(recalls[ks[0]]),
        "recall": {str(k): _mean(v) for k, v in recalls.items()},
        "by_category": {
            CATEGORIES[c]: {"questions": len(v[ks[0]]), **{str(k): _mean(r) for k, r in v.items()}}
            for c, v in sorted(by_category.items())
        },
        "latency_ms": {"p50": round(_percentile(latencies, 0.5), 2), "p95": round(_percentile(latencies, 0.95), 2)},
    }


def run(
    data: Path,
    embedder: str = "minilm",
    ks: Sequence[int] = (1, 5, 10, 25),
    mode: SearchMode = SearchMode.HYBRID,
    data_dir: Path | None = None,
    conversations: Sequence[str] | None = None,
    graph: bool | None = None,
) -> dict[str, Any]:
    """`conversations`: only these sample ids (a part held out from tuning is scored alone)."""
    chosen = json.loads(Path(data).read_text(encoding="utf-8"))
    if conversations is not None:
        unknown = set(conversations) - {str(c["sample_id"]) for c in chosen}
        if unknown:
            raise ValueError(f"No conversation {sorted(unknown)[0]!r} in {data}.")
        chosen = [c for c in chosen if str(c["sample_id"]) in conversations]
    with tempfile.TemporaryDirectory(prefix="locomo-") as scratch:
        runtime = Runtime(Config(data_dir=data_dir or Path(scratch), embedder=embedder))
        started = time.perf_counter()
        turns_total = ingest(runtime, chosen)
        ingest_seconds = time.perf_counter() - started
        scored = evaluate(runtime, chosen, ks, mode, graph)
        runtime.close()
    return {
        **scored,
        "embedder": runtime.embedder.model_id,
        "mode": mode.value,
        "graph": GRAPH_RECALL if graph is None else graph,
        "conversations": [str(c["sample_id"]) for c in chosen],
        "turns": turns_total,
        "ingest_seconds": round(ingest_seconds, 2),
    }


def render(result: dict[str, Any]) -> str:
    ks = list(result["recall"])
    lines = [
        f"LoCoMo retrieval: {result['questions']} questions, {result['turns']} turns, "
        f"embedder {result['embedder']}, mode {result['mode']}, graph recall {'on' if result['graph'] else 'off'}",
        "category      n    " + "  ".join(f"R@{k:<4}" for k in ks),
    ]
    for name, row in result["by_category"].items():
        lines.append(f"{name:<12} {row['questions']:>4}   " + "  ".join(f"{row[k]:.3f} " for k in ks))
    lines.append(f"{'overall':<12} {result['questions']:>4}   " + "  ".join(f"{result['recall'][k]:.3f} " for k in ks))
    lines.append(
        f"query latency p50 {result['latency_ms']['p50']} ms, p95 {result['latency_ms']['p95']} ms; "
        f"ingest {result['ingest_seconds']} s"
    )
    return "\n".join(lines)
