"""Checks that locomo_data.py reads LoCoMo as `agent-memory bench locomo` does. Run with the project's virtualenv:

    .venv/bin/python benchmarks/mem0/check_reader.py ../shared/benchmarks/locomo/locomo-dev.json

Same conversations, same turns in the same order with the same dia_ids and memory texts, and the same scorable
questions (categories 1-4 whose evidence resolves to a turn, counted as `evaluate` counts them). Exits non-zero on any
difference.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from agent_memory.bench import locomo as ours

sys.path.insert(0, str(Path(__file__).resolve().parent))
import locomo_data as theirs


def main(path: str) -> int:
    samples = json.loads(Path(path).read_text(encoding="utf-8"))
    turns = questions = 0
    for sample in samples:
        a = [(t.dia_id, ours.memory_text(t)) for t in ours.turns_of(sample["conversation"])]
        b = [(t.dia_id, theirs.memory_text(t)) for t in theirs.turns_of(sample["conversation"])]
        if a != b:
            print(f"{sample['sample_id']}: turns differ")
            return 1
        turns += len(a)
        # The filter of agent_memory.bench.locomo.evaluate, verbatim.
        known = {turn.dia_id for turn in ours.turns_of(sample["conversation"])}
        expected = []
        for qa in sample["qa"]:
            category = int(qa.get("category", 0))
            evidence = {e for e in qa.get("evidence", []) if e in known}
            if category not in ours.CATEGORIES or not evidence:
                continue
            expected.append((str(qa["question"]), category, frozenset(evidence)))
        got = [(q.text, q.category, q.evidence) for q in theirs.questions_of(sample)]
        if got != expected:
            print(f"{sample['sample_id']}: questions differ")
            return 1
        questions += len(got)
    print(f"reader check: {len(samples)} conversations, {turns} turns, {questions} scorable questions, identical")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "../shared/benchmarks/locomo/locomo-dev.json"))
