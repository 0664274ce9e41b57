"""Conversation-log ingestion throughput: synthetic logs (facts, questions, small talk, assistant replies) through
`agent-memory ingest`'s own path (parser, rules extractor, auto-mode dedupe, store), messages per second."""

from __future__ import annotations

import io
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from agent_memory.config import Config
from agent_memory.entry.local_ingest import LocalIngest
from agent_memory.runtime import Runtime

TENANT = "bench"
PLACES = "Lisbon Berlin Oslo Kyoto Lima Austin Porto Turin Quito Hanoi Accra Perth".split()
THINGS = "tea chess jazz sushi kayaks poetry tomatoes violins marathons gardens novels climbing".split()
LANGS = "Python Rust Go Kotlin Swift Ruby Java Elixir".split()


def user_line(rng: random.Random, serial: int) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return f"I live in {rng.choice(PLACES)} near street {serial}."
    if kind == 1:
        return f"I really love {rng.choice(THINGS)} and {rng.choice(THINGS)} number {serial}."
    if kind == 2:
        return f"I prefer {rng.choice(LANGS)} over {rng.choice(LANGS)} for project {serial}."
    if kind == 3:
        return f"What do you think about {rng.choice(THINGS)}?"
    if kind == 4:
        return "Thanks!"
    return f"My sister Ana{serial} is a teacher in {rng.choice(PLACES)}."


def write_logs(root: Path, users: int, threads: int, messages: int, seed: int = 11) -> int:
    rng = random.Random(seed)
    serial = 0
    for u in range(users):
        folder = root / f"user-{u}"
        folder.mkdir(parents=True)
        lines: list[str] = []
        for t in range(threads):
            lines.clear()
            for m in range(messages):
                serial += 1
                role = "user" if m % 2 == 0 else "assistant"
                content = user_line(rng, serial) if role == "user" else "Got it, I will keep that in mind."
                lines.append(json.dumps({"user_id": f"user-{u}", "thread_id": f"t{t}", "role": role,
                                         "content": content, "ts": "2026-11-20T09:00:00Z"}))  # fmt: skip
            (folder / f"t{t}.jsonl").write_text("\n".join(lines) + "\n")
    return serial


def run(embedder: str = "hashing", users: int = 10, threads: int = 5, messages: int = 100) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        logs = Path(tmp) / "logs"
        total = write_logs(logs, users, threads, messages)
        runtime = Runtime(Config(data_dir=Path(tmp) / "data", embedder=embedder, extractor="rules"))
        try:
            runtime.embedder.embed(["warm up"])  # a real model loads once per process; not ingestion time
            started = time.perf_counter()
            report = LocalIngest(runtime.ingestion, runtime.config.data_dir, progress=io.StringIO()).run(logs, TENANT)
            seconds = time.perf_counter() - started
        finally:
            runtime.close()
    return {
        "embedder": embedder,
        "extractor": "rules",
        "files": report.files,
        "messages": total,
        "memories_saved": report.saved,
        "facts_skipped": report.skipped,
        "seconds": round(seconds, 4),
        "messages_per_second": round(total / seconds, 1),
    }


def render(result: dict[str, Any]) -> str:
    return (
        f"{result['messages']} messages in {result['files']} logs ({result['embedder']} embedder, rules extractor): "
        f"{result['seconds']} s, {result['messages_per_second']} messages/s, "
        f"{result['memories_saved']} memories saved, {result['facts_skipped']} facts skipped"
    )
