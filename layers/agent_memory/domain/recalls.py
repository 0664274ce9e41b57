"""Recall feedback: what a search or a conversation turn handed to the client (a recall), and which of those
memories the client then used or ignored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MAX_FEEDBACK_IDS = 100


@dataclass(frozen=True, slots=True)
class Recall:
    id: str
    memory_ids: tuple[str, ...]
    at: datetime
    used: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RecallStats:
    total_recalls: int
    used_count: int
    ignored_count: int

    @property
    def usage_rate(self) -> float | None:
        judged = self.used_count + self.ignored_count
        return None if judged == 0 else round(self.used_count / judged, 4)
