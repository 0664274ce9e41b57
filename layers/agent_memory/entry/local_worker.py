"""The local orchestrator: one background thread in the `agent-memory serve` process runs queued jobs, one at a time,
through the same steps the state machines run (implements JobRunner).

Jobs survive a restart: every step saves the operation, and `resume()` (called when the server starts) queues the
operations left queued or running, which continue from their last saved step.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from agent_memory.domain.operations import Operation
from agent_memory.services.jobs.steps import JobSteps, run_to_end

log = logging.getLogger(__name__)


class LocalJobWorker:
    def __init__(
        self,
        steps: Callable[[], JobSteps],
        unfinished: Callable[[], list[Operation]],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._steps = steps
        self._unfinished = unfinished
        self._sleep = sleep
        self._queue: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._guard = threading.Lock()
        self._pending = 0
        self._idle = threading.Condition(self._guard)

    def _enqueue(self, tenant: str, operation_id: str) -> None:
        with self._guard:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="agent-memory-jobs", daemon=True)
                self._thread.start()
            self._pending += 1
        self._queue.put((tenant, operation_id))

    def start(self, operation: Operation) -> None:
        self._enqueue(operation.tenant, operation.id)

    def resume(self) -> list[str]:
        """Queue every operation a previous process left queued or running; returns their ids."""
        left = self._unfinished()
        for operation in left:
            self._enqueue(operation.tenant, operation.id)
        return [operation.id for operation in left]

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            tenant, operation_id = item
            try:
                run_to_end(self._steps(), tenant, operation_id, self._sleep)
            except Exception:
                log.exception("job %s could not be run or marked failed", operation_id)
            finally:
                with self._guard:
                    self._pending -= 1
                    self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Block until every queued job has run (True), or the timeout passes (False)."""
        with self._guard:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def stop(self, timeout: float = 5.0) -> None:
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout)
