"""Per-user snapshots built from the store and kept fresh from its change log.

Every write appends the memory's id to `memory_changes` inside its own transaction (other processes' writes
included), so a snapshot stamped with the highest sequence it has seen can tell whether it is current, and which
memories changed since, with one indexed query.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from agent_memory.domain.models import Owner


class Snapshot(Protocol):
    @property
    def seq(self) -> int: ...


S = TypeVar("S", bound=Snapshot)

# (connection, owner, sequence) → a snapshot of the user's whole scope
Load = Callable[[sqlite3.Connection, Owner, int], S]
# (connection, owner, snapshot, ids changed since it, sequence) → the snapshot with those memories re-read,
# or None when patching would cost more than loading afresh
Patch = Callable[[sqlite3.Connection, Owner, S, list[str], int], S | None]


class ScopeCache(Generic[S]):
    """The most recently used users' snapshots, bounded in number."""

    def __init__(self, load: Load[S], patch: Patch[S], max_scopes: int = 64) -> None:
        self._load = load
        self._patch = patch
        self._max_scopes = max_scopes
        self._cache: OrderedDict[Owner, S] = OrderedDict()
        self._lock = threading.Lock()

    def current(self, conn: sqlite3.Connection, owner: Owner) -> S:
        latest = conn.execute(
            "SELECT MAX(seq) FROM memory_changes WHERE tenant = ? AND user_id = ?", (owner.tenant, owner.user_id)
        ).fetchone()[0]
        latest = 0 if latest is None else int(latest)
        with self._lock:
            cached = self._cache.get(owner)
            if cached is not None:
                self._cache.move_to_end(owner)
        if cached is not None and cached.seq == latest:
            return cached
        if cached is not None and latest > cached.seq and self._log_holds(conn, owner, cached.seq):
            changed = [
                row[0]
                for row in conn.execute(
                    "SELECT DISTINCT memory_id FROM memory_changes WHERE tenant = ? AND user_id = ? AND seq > ?",
                    (owner.tenant, owner.user_id, cached.seq),
                )
            ]
            patched = self._patch(conn, owner, cached, changed, latest)
            if patched is not None:
                return self._remember(owner, patched)
        return self._remember(owner, self._load(conn, owner, latest))

    @staticmethod
    def _log_holds(conn: sqlite3.Connection, owner: Owner, seq: int) -> bool:
        """Whether every change since `seq` is still in the log: the log is trimmed from its oldest end, and clearing
        or erasing a user deletes the user's entries (their own deletes included), after which only a fresh load
        can tell which memories are gone. The entry a snapshot was stamped with is there exactly when neither
        happened since."""
        oldest = conn.execute("SELECT MIN(seq) FROM memory_changes").fetchone()[0] or 0
        if seq < oldest - 1 or seq == 0:
            return False
        stamped = conn.execute(
            "SELECT 1 FROM memory_changes WHERE tenant = ? AND user_id = ? AND seq = ?",
            (owner.tenant, owner.user_id, seq),
        ).fetchone()
        return stamped is not None

    def _remember(self, owner: Owner, snapshot: S) -> S:
        with self._lock:
            self._cache[owner] = snapshot
            self._cache.move_to_end(owner)
            while len(self._cache) > self._max_scopes:
                self._cache.popitem(last=False)
        return snapshot
