"""The SQLite file of the embedded backend: connections, transactions and migrations, shared by every store on it.

WAL journal, one connection per thread, `BEGIN IMMEDIATE` for every write so that concurrent writers (threads or
processes on the same file) queue on SQLite's lock instead of failing when a read transaction tries to upgrade.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from agent_memory.adapters.local.private_files import create_private
from agent_memory.adapters.local.sqlite.schema import MIGRATIONS, SCOPE_KEY_FUNCTION, scope_key, statements
from agent_memory.domain.clock import from_micros
from agent_memory.domain.errors import StoreUnavailable

BUSY_TIMEOUT_SECONDS = 30.0


def dumps(value: Any) -> str:
    """A JSON column's text."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def optional_datetime(value: int | None) -> datetime | None:
    return None if value is None else from_micros(value)


class SqliteDatabase:
    """One SQLite file. Nothing is opened until first use; the schema is migrated by the first connection."""

    def __init__(self, path: Path | str) -> None:
        self._path = str(path)
        self._local = threading.local()
        self._migrated = False
        self._migrate_lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        if self._path != ":memory:":
            # Owner-only; SQLite gives its WAL and shared-memory files the database file's permissions.
            create_private(Path(self._path))
        conn = sqlite3.connect(self._path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.create_function(SCOPE_KEY_FUNCTION, 2, scope_key, deterministic=True)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        self._enable_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    @staticmethod
    def _enable_wal(conn: sqlite3.Connection) -> None:
        # Switching a new file to WAL needs a moment of exclusive access and does not wait on the busy
        # handler, so a second process opening the file at the same time retries here.
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            if not self._migrated:
                self._migrate(conn)
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        with self._migrate_lock:
            if self._migrated:
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                current = conn.execute("PRAGMA user_version").fetchone()[0]
                for version, script in enumerate(MIGRATIONS, start=1):
                    if version > current:
                        for statement in statements(script):
                            conn.execute(statement)
                        conn.execute(f"PRAGMA user_version = {version}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            self._migrated = True

    @property
    def schema_version(self) -> int:
        return int(self._conn().execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(f"The store is busy: {exc}") from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection for read-only queries."""
        try:
            yield self._conn()
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(f"The store is busy: {exc}") from exc

    def close(self) -> None:
        """Close this thread's connection (the next use opens a new one)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
