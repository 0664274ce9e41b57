"""The server's numpy BLAS runs on one thread (checked in a child process: the setting is process-wide)."""

from __future__ import annotations

import json
import subprocess
import sys

# Nothing has imported numpy before the call, as in `agent-memory serve`.
PROBE = """
import json
import sys
from agent_memory.adapters.local.blas import use_one_blas_thread
assert "numpy" not in sys.modules
use_one_blas_thread()
from threadpoolctl import threadpool_info
print(json.dumps([pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]))
"""


def test_given_numpy_not_yet_loaded_when_one_blas_thread_is_asked_for_then_every_blas_pool_has_one_thread() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True)
    pools = json.loads(done.stdout)
    assert pools and set(pools) == {1}
