"""`agent-memory bench knowledge` runs on the hand-labelled set and reports every metric."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_knowledge_reports_entity_relation_curator_and_cluster_metrics() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "agent_memory.cli", "bench", "knowledge", "--split", "dev", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(completed.stdout)

    assert result["split"] == "dev" and result["memories"] > 0 and result["pairs"] > 0
    assert {"type_accuracy", "recall", "precision"} <= result["entities"].keys()
    assert {"precision", "recall", "f1"} <= result["relations"].keys()
    assert {"accuracy", "confusion"} <= result["curator"].keys()
    assert set(result["curator"]["confusion"]) == {"merge", "supersede", "keep"}
    clusters = result["clusters"]
    assert {"per_user_purity", "per_user_inverse_purity", "per_user_purity_default_n", "embedder"} <= clusters.keys()
    assert clusters["default_n"] == 4 and clusters["clusters_per_user"] >= 1
    for value in (
        result["entities"]["type_accuracy"],
        result["curator"]["accuracy"],
        clusters["per_user_purity"],
        clusters["per_user_inverse_purity"],
        clusters["per_user_purity_default_n"],
    ):
        assert 0.0 <= value <= 1.0
