"""The bench commands on small generated data (the real runs are recorded in docs/benchmarks.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent_memory.bench.locomo import context_of, memory_text, turns_of
from agent_memory.cli import main

CONVERSATION = {
    "sample_id": "conv-test",
    "conversation": {
        "speaker_a": "Ana",
        "speaker_b": "Ben",
        "session_1_date_time": "1:56 pm on 8 May, 2023",
        "session_1": [
            {"speaker": "Ana", "dia_id": "D1:1", "text": "I adopted a grey cat named Pixel yesterday."},
            {"speaker": "Ben", "dia_id": "D1:2", "text": "Congrats! I am training for the Berlin marathon."},
        ],
        "session_2_date_time": "10:00 am on 20 June, 2023",
        "session_2": [
            {"speaker": "Ana", "dia_id": "D2:1", "text": "Pixel knocked over my violin.", "blip_caption": "a cat"},
            {"speaker": "Ben", "dia_id": "D2:2", "text": "Yes, last week!"},
        ],
    },
    "qa": [
        {"question": "What is the name of Ana's cat?", "answer": "Pixel", "evidence": ["D1:1"], "category": 4},
        {"question": "Which marathon is Ben training for?", "answer": "Berlin", "evidence": ["D1:2"], "category": 1},
        {
            "question": "What instrument got knocked over?",
            "answer": "violin",
            "evidence": ["D2:1", "D9:9"],
            "category": 2,
        },
        {"question": "Unanswerable?", "answer": "", "evidence": ["D1:1"], "category": 5},
        {"question": "Dangling evidence", "answer": "", "evidence": ["D7:7"], "category": 4},
    ],
}


def test_turns_carry_speaker_date_photo_and_the_turn_they_answer() -> None:
    turns = list(turns_of(CONVERSATION["conversation"]))
    assert [t.dia_id for t in turns] == ["D1:1", "D1:2", "D2:1", "D2:2"]
    assert memory_text(turns[0]) == "Ana (8 May 2023): I adopted a grey cat named Pixel yesterday."
    assert "[shares a photo: a cat]" in memory_text(turns[2])
    assert context_of(turns[2]) == "Ana: Pixel knocked over my violin. [shares a photo: a cat]"
    assert context_of(None) is None


def test_bench_locomo_prints_the_documented_json(tmp_path: Path, capsys) -> None:
    data = tmp_path / "mini.json"
    data.write_text(json.dumps([CONVERSATION]))
    assert main(["bench", "locomo", "--data", str(data), "--embedder", "hashing", "--k", "1,3", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["questions"] == 3  # category 5 and unresolvable evidence are skipped
    assert set(result["recall"]) == {"1", "3"}
    assert result["recall"]["3"] == pytest.approx(1.0)  # 3 of 4 turns: every evidence turn is found
    assert 0.0 <= result["recall"]["1"] <= result["recall"]["3"]
    assert set(result["by_category"]) == {"multi-hop", "temporal", "single-hop"}
    assert result["latency_ms"]["p50"] > 0 and result["latency_ms"]["p95"] >= result["latency_ms"]["p50"]


def test_bench_locomo_human_output(tmp_path: Path, capsys) -> None:
    data = tmp_path / "mini.json"
    data.write_text(json.dumps([CONVERSATION]))
    assert main(["bench", "locomo", "--data", str(data), "--embedder", "hashing"]) == 0
    out = capsys.readouterr().out
    assert "R@10" in out and "overall" in out


@pytest.mark.parametrize("graph", ["on", "off"])
def test_bench_locomo_scores_only_the_conversations_asked_for_with_graph_recall_on_or_off(
    tmp_path: Path, capsys, graph: str
) -> None:
    data = tmp_path / "mini.json"
    data.write_text(json.dumps([CONVERSATION, {**CONVERSATION, "sample_id": "conv-held-out"}]))
    argv = ["bench", "locomo", "--data", str(data), "--embedder", "hashing", "--conversations", "conv-test"]
    assert main([*argv, "--graph", graph, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["conversations"] == ["conv-test"] and result["turns"] == 4 and result["questions"] == 3
    assert result["graph"] is (graph == "on")


def test_bench_latency_json(capsys) -> None:
    assert main(["bench", "latency", "--memories", "150", "--queries", "5", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    (row,) = result["results"]
    assert row["memories"] == 150 and row["batch_add_per_second"] > 0 and row["single_add_per_second"] > 0
    assert set(row["search"]) == {"hybrid", "keyword", "semantic"}
    assert row["peak_rss_mib"] > 0 and row["small_user_hybrid_p50_ms"] > 0


@pytest.mark.parametrize("k", ["0", "a,b", ""])
def test_bad_k_is_a_usage_error(tmp_path: Path, k: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["bench", "locomo", "--data", str(tmp_path / "x.json"), "--k", k])
    assert exit_.value.code == 2


def test_cli_search(tmp_path: Path, capsys) -> None:
    data_dir = str(tmp_path / "d")
    main(["add", "--user-id", "alice", "Training for the Berlin marathon", "--data-dir", data_dir])
    main(["add", "--user-id", "alice", "Allergic to peanuts", "--data-dir", data_dir])
    capsys.readouterr()
    assert main(["search", "--user-id", "alice", "marathon", "--data-dir", data_dir]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["results"][0]["memory"]["content"] == "Training for the Berlin marathon"
    assert main(["search", "--user-id", "alice", "   ", "--data-dir", data_dir]) == 2


def test_cli_related_and_stats(tmp_path: Path, capsys) -> None:
    data_dir = str(tmp_path / "d")
    main(
        ["add", "--user-id", "alice", "Training for the Berlin marathon", "--data-dir", data_dir, "--importance", "0.9"]
    )
    main(["add", "--user-id", "alice", "Ran the Paris marathon last year", "--data-dir", data_dir])
    main(["add", "--user-id", "bob", "Bob's marathon", "--data-dir", data_dir])
    capsys.readouterr()
    main(["list", "--user-id", "alice", "--data-dir", data_dir])
    first = json.loads(capsys.readouterr().out)["items"][-1]
    assert main(["related", "--user-id", "alice", first["id"], "--data-dir", data_dir]) == 0
    related = json.loads(capsys.readouterr().out)
    assert [r["memory"]["content"] for r in related["results"]] == ["Ran the Paris marathon last year"]
    assert main(["stats", "--user-id", "alice", "--data-dir", data_dir]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["total_memories"] == 2 and stats["importance_histogram"][9] == 1
    assert main(["stats", "--data-dir", data_dir]) == 0
    assert json.loads(capsys.readouterr().out)["total_memories"] == 3
    assert main(["related", "--user-id", "bob", first["id"], "--data-dir", data_dir]) == 2


def test_bench_cold_start_measures_handlers_beside_the_reference(capsys) -> None:
    # Given two handlers, one fresh process each (the benchmark's smallest run)
    args = ["bench", "cold-start", "--repeats", "1", "--json"]
    args += ["--module", "functions.api.health", "--module", "functions.streams.indexer"]
    # When measured from the project folder
    assert main([*args, "--project", str(Path(__file__).resolve().parents[2])]) == 0
    result = json.loads(capsys.readouterr().out)
    # Then each has an init time and a ratio to the reference resolver measured in the same run
    assert result["reference"]["module"] == "benchmarks.cold_start.reference_handler"
    assert result["reference"]["median_ms"] > 0
    assert [f["module"] for f in result["functions"]] == ["functions.api.health", "functions.streams.indexer"]
    for row in result["functions"]:
        assert row["median_ms"] > 0
        assert row["ratio"] == round(row["median_ms"] / result["reference"]["median_ms"], 2)


def test_bench_ingest_reports_throughput(capsys) -> None:
    assert main(["bench", "ingest", "--users", "2", "--threads", "2", "--messages", "20", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    # 2 users x 2 logs x 20 messages, half of them the user's; facts were saved and the rate is derived from the time
    assert result["files"] == 4 and result["messages"] == 80
    assert 0 < result["memories_saved"] <= 40
    assert result["messages_per_second"] == pytest.approx(80 / result["seconds"], rel=0.05)


def test_bench_data_rights_runs_export_import_clear_and_erase_on_a_small_user(capsys) -> None:
    assert main(["bench", "data-rights", "--memories", "250", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["import"]["imported"] == 250
    assert result["erase"]["verified"] is True and result["erase"]["counts"]["memories"] == 250
    assert result["export"]["peak_heap_megabytes"] is not None


def test_given_a_small_user_when_turns_are_benchmarked_then_both_settings_report_latencies(capsys) -> None:
    assert main(["bench", "turns", "--memories", "50", "--threads", "3", "--turns", "4", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["turns"] == 4 and result["earlier_threads"] == 3
    for setting in ("with_transcripts", "without_transcripts"):
        assert 0 < result[setting]["p50_ms"] <= result[setting]["p95_ms"], setting


def test_given_a_hashing_server_when_first_answers_are_benchmarked_then_each_start_reports_ready_write_and_search(
    capsys,
) -> None:
    # Given one real `agent-memory serve` start; When the bench times it; Then every figure is measured and positive
    assert main(["bench", "first-answer", "--embedder", "hashing", "--repeats", "1", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result["samples"]) == 1
    assert result["ready_s"] > 0 and result["first_write_ms"] > 0 and result["first_search_ms"] > 0
