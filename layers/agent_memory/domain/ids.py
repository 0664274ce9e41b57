"""ULIDs: sortable by creation time, so id order is creation order."""

from __future__ import annotations

import os
import threading
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return "".join(reversed(chars))


class UlidGenerator:
    """Monotonic ULIDs: within one millisecond (or if the clock steps back) the random part is incremented."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ms = -1
        self._last_random = 0

    def __call__(self, now_ms: int | None = None) -> str:
        ms = int(time.time() * 1000) if now_ms is None else now_ms
        with self._lock:
            if ms <= self._last_ms:
                ms = self._last_ms
                self._last_random += 1
            else:
                self._last_ms = ms
                self._last_random = int.from_bytes(os.urandom(10), "big") >> 1  # headroom for increments
            rand = self._last_random
        return _encode(ms, 10) + _encode(rand, 16)


new_ulid = UlidGenerator()


def is_ulid(value: str) -> bool:
    return len(value) == 26 and all(ch in _ALPHABET for ch in value)
