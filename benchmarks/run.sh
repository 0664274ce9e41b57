#!/usr/bin/env bash
# Runs every benchmark as docs/benchmarks.md records it. Usage: bash benchmarks/run.sh [path/to/locomo.json]
set -euo pipefail
cd "$(dirname "$0")/.."
make install >/dev/null
data=${1:-../shared/benchmarks/locomo/locomo-dev.json}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(python3 --version)"
.venv/bin/agent-memory bench locomo --data "$data"
.venv/bin/agent-memory bench latency --memories 1000,10000,100000
.venv/bin/agent-memory bench latency --embedder minilm --memories 1000,10000 --queries 50
.venv/bin/agent-memory bench ingest
.venv/bin/agent-memory bench ingest --embedder minilm
.venv/bin/agent-memory bench optimize --memories 10000
.venv/bin/agent-memory bench cold-start --repeats 9
.venv/bin/agent-memory bench durability
.venv/bin/agent-memory bench first-answer --embedder minilm
