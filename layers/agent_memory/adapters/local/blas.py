"""numpy's BLAS on one thread in a server process.

Requests already run in parallel threads; a multi-threaded BLAS then waits (spinning) for cores those requests hold.
On a busy 2-core machine one user's 10,000-vector similarity took 1.6 ms with OpenBLAS's threads and 0.5 ms with
one (docs/benchmarks.md). The optimize job's large matrix products lose the second core's help, a fair price in a
process whose first duty is answering requests.
"""

from __future__ import annotations


def use_one_blas_thread() -> None:
    import numpy  # noqa: F401  (loads the BLAS library: a limit applies only to libraries already loaded)
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
