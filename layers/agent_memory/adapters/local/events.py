"""Change events on one machine: a structured log line plus in-process subscribers."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

logger = logging.getLogger("agent_memory.events")

Subscriber = Callable[[str, str, dict[str, Any]], None]


class InProcessEventPublisher:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            self._subscribers.append(subscriber)

    def publish(self, event_type: str, tenant: str, detail: dict[str, Any]) -> None:
        logger.info(json.dumps({"event": event_type, "tenant": tenant, **detail}, default=str))
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(event_type, tenant, detail)
            except Exception:
                # A listener's failure must never undo or fail the write that already happened.
                logger.exception("event subscriber failed for %s", event_type)
