"""LoCoMo reading and recall scoring for the mem0 comparison, standard library only.

It runs inside mem0's own virtualenv, where the agent-memory package is not installed, so it repeats what
`agent_memory.bench.locomo` does: the same turns, the same memory text ("Speaker (date): text"), the same
questions (categories 1-4 with at least one evidence id that resolves to a turn) and the same recall@k.
`check_reader.py` compares the two on the data file.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

CATEGORIES = {1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop"}
KS = (1, 5, 10, 25)


@dataclass(frozen=True)
class Turn:
    dia_id: str
    speaker: str
    text: str
    date: str


@dataclass(frozen=True)
class Question:
    user_id: str
    text: str
    category: int
    evidence: frozenset[str]


def _session_date(raw: str) -> str:
    """'1:56 pm on 8 May, 2023' -> '8 May 2023'."""
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


def memory_text(turn: Turn) -> str:
    return f"{turn.speaker} ({turn.date}): {turn.text}"


def questions_of(sample: dict[str, Any]) -> Iterator[Question]:
    """The scorable questions of one conversation: categories 1-4, evidence restricted to known turns."""
    known = {turn.dia_id for turn in turns_of(sample["conversation"])}
    for qa in sample["qa"]:
        category = int(qa.get("category", 0))
        evidence = frozenset(e for e in qa.get("evidence", []) if e in known)
        if category in CATEGORIES and evidence:
            yield Question(str(sample["sample_id"]), str(qa["question"]), category, evidence)


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _mean(values: list[float]) -> float:
    return round(statistics.fmean(values), 4) if values else 0.0


class RecallScore:
    """recall@k = |evidence ∩ turns cited by the top k| / |evidence|, averaged over questions (overall, by category)."""

    def __init__(self, ks: Sequence[int] = KS) -> None:
        self.ks = tuple(ks)
        self.recalls: dict[int, list[float]] = {k: [] for k in self.ks}
        self.by_category: dict[int, dict[int, list[float]]] = defaultdict(lambda: {k: [] for k in self.ks})

    def add(self, question: Question, cited: Sequence[set[str]]) -> None:
        for k in self.ks:
            found = set().union(*cited[:k]) if cited[:k] else set()
            recall = len(question.evidence & found) / len(question.evidence)
            self.recalls[k].append(recall)
            self.by_category[question.category][k].append(recall)

    def result(self) -> dict[str, Any]:
        first = self.ks[0]
        return {
            "questions": len(self.recalls[first]),
            "recall": {str(k): _mean(v) for k, v in self.recalls.items()},
            "by_category": {
                CATEGORIES[c]: {"questions": len(v[first]), **{str(k): _mean(r) for k, r in v.items()}}
                for c, v in sorted(self.by_category.items())
            },
        }
