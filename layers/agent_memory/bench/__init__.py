"""Benchmark harnesses behind `agent-memory bench`; results are recorded in docs/benchmarks.md."""
