"""The local server's retention sweep: a daemon thread that runs `RetentionService.sweep` every
`retention_sweep_seconds` (the first run at startup). A failing sweep is logged and tried again next time."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class RetentionSweeper:
    def __init__(self, sweep: Callable[[], dict[str, int]], interval_seconds: float) -> None:
        self._sweep = sweep
        self._interval = interval_seconds
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._interval <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="agent-memory-retention", daemon=True)
        self._thread.start()

    def run_once(self) -> dict[str, int] | None:
        try:
            counts = self._sweep()
        except Exception:  # the server keeps serving; the next run tries again
            log.exception("retention sweep failed")
            return None
        if any(counts.values()):
            log.info("retention sweep removed %s", counts)
        return counts

    def _run(self) -> None:
        while not self._stopped.is_set():
            self.run_once()
            self._stopped.wait(self._interval)

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
