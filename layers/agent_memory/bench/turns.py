"""Conversation turn latency with transcripts and previous runs on: `agent-memory bench turns`.

One user with `memories` stored memories and `threads` earlier threads (each a user question and an assistant answer
kept as transcripts) takes `turns` new turns (auto mode, two messages each) in a fresh thread; each turn extracts,
dedupes, saves, recalls, appends its transcript and searches the earlier assistant outputs. Reported: p50/p95 of the
whole turn with transcripts and previous runs on, and with both off, local backend.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path
from typing import Any

from agent_memory.bench.latency import WORDS, _ms, sentence
from agent_memory.config import Config
from agent_memory.domain.conversation import MemoryMode, Message, Role, Turn
from agent_memory.domain.models import NewMemory
from agent_memory.runtime import Runtime

TENANT, USER = "bench", "turn-user"


def _seed(runtime: Runtime, rng: random.Random, memories: int, threads: int) -> None:
    for start in range(0, memories, 100):
        batch = [NewMemory(user_id=USER, content=sentence(rng, n)) for n in range(start, min(memories, start + 100))]
        runtime.memories.create_batch(TENANT, batch)
    for n in range(threads):
        said = (
            Message(Role.USER, f"Write a short note about {' '.join(rng.sample(WORDS, 3))}"),
            Message(Role.ASSISTANT, f"Here is the note: {sentence(rng, memories + n)}"),
        )
        runtime.transcripts.keep(TENANT, Turn(USER, f"earlier-{n}", said))


def _time_turns(runtime: Runtime, rng: random.Random, turns: int, with_transcripts: bool) -> list[float]:
    elapsed = []
    for _ in range(turns):
        said = (
            Message(Role.USER, f"I really like {' '.join(rng.sample(WORDS, 2))}, what did you write about it?"),
            Message(Role.ASSISTANT, "Let me look."),
        )
        tick = time.perf_counter()
        turn = Turn(USER, "now", said, mode=MemoryMode.AUTO, previous_runs=with_transcripts)
        runtime.conversations.turn(TENANT, turn, keep_transcript=with_transcripts)
        elapsed.append(time.perf_counter() - tick)
    return elapsed


def run(embedder: str = "hashing", memories: int = 1_000, threads: int = 50, turns: int = 100) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for with_transcripts in (True, False):
        with tempfile.TemporaryDirectory(prefix="turns-") as scratch:
            runtime = Runtime(Config(data_dir=Path(scratch), embedder=embedder))
            rng = random.Random(11)
            _seed(runtime, rng, memories, threads)
            runtime.conversations.turn(TENANT, Turn(USER, "warm", (Message(Role.USER, "hello"),)))  # load models
            elapsed = _time_turns(runtime, rng, turns, with_transcripts)
            results["with_transcripts" if with_transcripts else "without_transcripts"] = {
                "p50_ms": _ms(elapsed, 0.5),
                "p95_ms": _ms(elapsed, 0.95),
            }
            model = runtime.embedder.model_id
            runtime.close()
    return {"embedder": model, "memories": memories, "earlier_threads": threads, "turns": turns, **results}


def render(result: dict[str, Any]) -> str:
    on, off = result["with_transcripts"], result["without_transcripts"]
    return (
        f"Conversation turns, embedder {result['embedder']}, {result['memories']} memories, "
        f"{result['earlier_threads']} earlier threads, {result['turns']} turns\n"
        f"    transcripts and previous runs on:  p50 {on['p50_ms']} ms, p95 {on['p95_ms']} ms\n"
        f"    transcripts off:                   p50 {off['p50_ms']} ms, p95 {off['p95_ms']} ms"
    )
