"""Joins the five result files of run.sh into results.json and a Markdown table (results.md). Standard library only.

python report.py RESULTS_DIR
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

LOAD = re.compile(r"load average:\s*([\d.]+),\s*([\d.]+),\s*([\d.]+)")


def _read(folder: Path, name: str) -> dict[str, Any] | None:
    path = folder / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _loads(folder: Path) -> list[dict[str, Any]]:
    rows = []
    path = folder / "load.txt"
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        label, _, uptime = line.partition("\t")
        if m := LOAD.search(uptime):
            rows.append({"when": label, "load_1m": float(m[1]), "load_5m": float(m[2]), "load_15m": float(m[3])})
    return rows


def _our_size(latency: dict[str, Any], size: int) -> dict[str, Any]:
    return next(row for row in latency["results"] if row["memories"] == size)


def collect(folder: Path) -> dict[str, Any]:
    machine = _read(folder, "machine.json") or {}
    mem0_locomo = _read(folder, "mem0_locomo.json")
    mem0_latency = _read(folder, "mem0_latency.json")
    our_locomo = _read(folder, "agent_memory_locomo.json")
    our_semantic = _read(folder, "agent_memory_locomo_semantic.json")
    our_latency = _read(folder, "agent_memory_latency.json")
    if not (mem0_locomo and mem0_latency and our_locomo and our_latency):
        raise SystemExit(f"missing result files in {folder}")
    size = mem0_latency["memories"]
    ours = _our_size(our_latency, size)
    rows = [
        {
            "system": f"mem0 {mem0_latency['setup']['mem0ai']} (faiss, semantic only)",
            "recall": mem0_locomo["recall"],
            "questions": mem0_locomo["questions"],
            "locomo_query_ms": mem0_locomo["latency_ms"],
            "locomo_ingest_per_second": mem0_locomo["ingest_per_second"],
            "search_p50_ms": mem0_latency["search"]["p50_ms"],
            "search_p95_ms": mem0_latency["search"]["p95_ms"],
            "search_p50_ms_without_query_embedding": mem0_latency["search"]["vector_store_search_p50_ms"],
            "search_p95_ms_without_query_embedding": mem0_latency["search"]["vector_store_search_p95_ms"],
            "without_query_embedding_is": "the vector store's search call (faiss + mem0's user filter), timed alone",
            "search_p50_ms_minus_embedding_time": mem0_latency["search"]["p50_ms_excluding_query_embedding"],
            "batch_add_per_second": mem0_latency["batch_add_per_second"],
            "single_add_per_second": mem0_latency["single_add_per_second"],
            "peak_rss_mib": mem0_latency["peak_rss_mib"],
        }
    ]
    for mode, locomo in (("hybrid", our_locomo), ("semantic", our_semantic)):
        if locomo is None:
            continue
        search = ours["search"][mode]
        rows.append(
            {
                "system": f"agent-memory, {mode}" + (" (default)" if mode == "hybrid" else ""),
                "recall": locomo["recall"],
                "questions": locomo["questions"],
                "locomo_query_ms": locomo["latency_ms"],
                "locomo_ingest_per_second": round(locomo["turns"] / locomo["ingest_seconds"], 1),
                "search_p50_ms": search["p50_ms"],
                "search_p95_ms": search["p95_ms"],
                "search_p50_ms_without_query_embedding": search["p50_ms_excluding_query_embedding"],
                "search_p95_ms_without_query_embedding": None,
                "without_query_embedding_is": "the search service's time minus the query's embedding time",
                "search_p50_ms_minus_embedding_time": search["p50_ms_excluding_query_embedding"],
                "batch_add_per_second": ours["batch_add_per_second"],
                "single_add_per_second": ours["single_add_per_second"],
                "peak_rss_mib": ours["peak_rss_mib"],
            }
        )
    return {
        "machine": machine,
        "load_average": _loads(folder),
        "latency_memories": size,
        "latency_queries": mem0_latency["queries"],
        "mem0_setup": mem0_latency["setup"],
        "mem0_searches_with_fewer_than_25_hits": mem0_locomo["searches_with_fewer_than_k_hits"],
        "rows": rows,
        "by_category": {
            "mem0": mem0_locomo["by_category"],
            "agent-memory hybrid": our_locomo["by_category"],
            **({"agent-memory semantic": our_semantic["by_category"]} if our_semantic else {}),
        },
    }


def _f(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def markdown(report: dict[str, Any]) -> str:
    size = report["latency_memories"]
    lines = [
        f"LoCoMo development half, {report['rows'][0]['questions']} questions (categories 1-4):",
        "",
        "| system | R@1 | R@5 | R@10 | R@25 | query p50 (p95) | ingest turns/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in report["rows"]:
        recall = row["recall"]
        query = row["locomo_query_ms"]
        lines.append(
            f"| {row['system']} | {recall['1']:.3f} | {recall['5']:.3f} | {recall['10']:.3f} | {recall['25']:.3f} "
            f"| {_f(query['p50'])} ms ({_f(query['p95'])}) | {_f(row['locomo_ingest_per_second'])} |"
        )
    lines += [
        "",
        f"One user with {size:,} memories, {report['latency_queries']} queries of three words, top 10:",
        "",
        "| system | search p50 (p95) | p50 without query embedding | batch add/s | single add/s | peak RSS |",
        "|---|---|---|---|---|---|",
    ]
    for row in report["rows"]:
        lines.append(
            f"| {row['system']} | {_f(row['search_p50_ms'])} ms ({_f(row['search_p95_ms'])}) "
            f"| {_f(row['search_p50_ms_without_query_embedding'], 2)} ms "
            f"| {_f(row['batch_add_per_second'])} | {_f(row['single_add_per_second'])} "
            f"| {_f(row['peak_rss_mib'], 0)} MiB |"
        )
    minus = report["rows"][0]["search_p50_ms_minus_embedding_time"]
    short = report["mem0_searches_with_fewer_than_25_hits"]
    lines += [
        "",
        'mem0 "without query embedding" is its vector store\'s search call timed alone (Memory.search takes no '
        f"vector); Memory.search's time minus the query's embedding time is {minus} ms p50. "
        f"mem0 searches returning fewer than 25 hits on LoCoMo: {short}.",
    ]
    loads = report["load_average"]
    if loads:
        lines += [
            "",
            "Load average (1, 5, 15 min): "
            + "; ".join(f"{row['when']} {row['load_1m']}, {row['load_5m']}, {row['load_15m']}" for row in loads)
            + ".",
        ]
    machine = report["machine"]
    if machine:
        lines += ["", "Machine: " + ", ".join(f"{k} {v}" for k, v in machine.items()) + "."]
    return "\n".join(lines) + "\n"


def main(folder: str) -> int:
    path = Path(folder)
    report = collect(path)
    (path / "results.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    text = markdown(report)
    (path / "results.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parent / "results")))
