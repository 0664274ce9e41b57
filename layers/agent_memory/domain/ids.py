"""ULIDs: sortable by creation time, so id order is creation order."""

from __future__ import annotations

import os
import threading
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_lock = threading.Lock()
_last_ms = -1
_last_random = 0


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return "".join(reversed(chars))


def new_ulid(now_ms: int | None = None) -> str:
    """A monotonic ULID: within one millisecond the random part is incremented, keeping order strict."""
    global _last_ms, _last_random
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    with _lock:
        if ms <= _last_ms:
            ms = _last_ms
            _last_random += 1
        else:
            _last_ms = ms
            _last_random = int.from_bytes(os.urandom(10), "big") >> 1  # headroom for increments
        rand = _last_random
    return _encode(ms, 10) + _encode(rand, 16)


def is_ulid(value: str) -> bool:
    return len(value) == 26 and all(ch in _ALPHABET for ch in value)
