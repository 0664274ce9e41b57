"""A user's memories as a whole, in the SQLite file: erasing them page by page, what is left, restoring an export,
and the erasure marker that refuses new memories of a user while they are being erased."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

import numpy as np

from agent_memory.adapters.local.sqlite.database import dumps
from agent_memory.adapters.local.sqlite.memory_rows import memory_values, vector_blob
from agent_memory.domain.clock import to_micros, utcnow
from agent_memory.domain.errors import DuplicateMemory, MemoryIdTaken, VersionConflict, being_erased
from agent_memory.domain.models import HistoryEntry, Memory, Owner


def erasure_of(conn: sqlite3.Connection, owner: Owner) -> str | None:
    row = conn.execute(
        "SELECT operation_id FROM erasures WHERE tenant = ? AND user_id = ?", (owner.tenant, owner.user_id)
    ).fetchone()
    return None if row is None else str(row["operation_id"])


def refuse_if_erasing(conn: sqlite3.Connection, owner: Owner) -> None:
    """Inside a write transaction: no new memory of a user whose erasure is running (or failed and must rerun)."""
    operation_id = erasure_of(conn, owner)
    if operation_id is not None:
        raise being_erased(owner, operation_id)


def begin_erasure(conn: sqlite3.Connection, owner: Owner, operation_id: str, now: datetime) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO erasures (tenant, user_id, operation_id, started_at) VALUES (?, ?, ?, ?)",
        (owner.tenant, owner.user_id, operation_id, to_micros(now)),
    )


def end_erasure(conn: sqlite3.Connection, owner: Owner) -> None:
    conn.execute("DELETE FROM erasures WHERE tenant = ? AND user_id = ?", (owner.tenant, owner.user_id))


def erase_page(conn: sqlite3.Connection, owner: Owner, limit: int) -> dict[str, int]:
    """Delete up to `limit` memories of the user with their history (the index follows through its triggers); once
    no memory is left, any history without its memory and the user's recalls. Counts by kind; empty when nothing was
    left."""
    ids = [
        row["id"]
        for row in conn.execute(
            "SELECT id FROM memories WHERE tenant = ? AND user_id = ? ORDER BY id LIMIT ?",
            (owner.tenant, owner.user_id, limit),
        )
    ]
    counts: dict[str, int] = {}
    if ids:
        placeholders = ", ".join("?" * len(ids))
        scope = [owner.tenant, owner.user_id, *ids]
        history = conn.execute(
            f"DELETE FROM memory_history WHERE tenant = ? AND user_id = ? AND memory_id IN ({placeholders})", scope
        ).rowcount
        counts["memories"] = conn.execute(
            f"DELETE FROM memories WHERE tenant = ? AND user_id = ? AND id IN ({placeholders})", scope
        ).rowcount
        if history:
            counts["history"] = history
        return counts
    # Once no memory is left: history without its memory, and the user's recalls (they name the memories).
    left = {
        "history": conn.execute(
            "DELETE FROM memory_history WHERE tenant = ? AND user_id = ?", (owner.tenant, owner.user_id)
        ).rowcount,
        "recalls": conn.execute(
            "DELETE FROM recalls WHERE tenant = ? AND user_id = ?", (owner.tenant, owner.user_id)
        ).rowcount,
        # the index's change log names the user and their memory ids; a vector cache that notices its rows gone
        # reloads (to nothing)
        "change_log": conn.execute(
            "DELETE FROM memory_changes WHERE tenant = ? AND user_id = ?", (owner.tenant, owner.user_id)
        ).rowcount,
    }
    return {kind: count for kind, count in left.items() if count}


def residue(conn: sqlite3.Connection, owner: Owner) -> dict[str, int]:
    scope = (owner.tenant, owner.user_id)
    memories = conn.execute("SELECT COUNT(*) FROM memories WHERE tenant = ? AND user_id = ?", scope).fetchone()[0]
    history = conn.execute("SELECT COUNT(*) FROM memory_history WHERE tenant = ? AND user_id = ?", scope).fetchone()[0]
    recalls = conn.execute("SELECT COUNT(*) FROM recalls WHERE tenant = ? AND user_id = ?", scope).fetchone()[0]
    changes = conn.execute("SELECT COUNT(*) FROM memory_changes WHERE tenant = ? AND user_id = ?", scope).fetchone()[0]
    graph = sum(
        conn.execute(f"SELECT COUNT(*) FROM {table} WHERE tenant = ? AND user_id = ?", scope).fetchone()[0]
        for table in ("graph_mentions", "graph_statements")
    )
    found = {"memories": memories, "history": history, "recalls": recalls, "change_log": changes, "graph": graph}
    return {kind: count for kind, count in found.items() if count}


def user_ids(conn: sqlite3.Connection, tenant: str) -> list[str]:
    return [
        row[0] for row in conn.execute("SELECT DISTINCT user_id FROM memories WHERE tenant = ? ORDER BY 1", (tenant,))
    ]


def delete_rows(conn: sqlite3.Connection, owner: Owner, memory_ids: Sequence[str]) -> list[str]:
    """Deletes these memories of the owner with their history; answers the ids that were there."""
    deleted: list[str] = []
    for memory_id in memory_ids:
        cursor = conn.execute(
            "DELETE FROM memories WHERE id = ? AND tenant = ? AND user_id = ?", (memory_id, owner.tenant, owner.user_id)
        )
        if cursor.rowcount:
            deleted.append(memory_id)
            conn.execute(
                "DELETE FROM memory_history WHERE memory_id = ? AND tenant = ? AND user_id = ?",
                (memory_id, owner.tenant, owner.user_id),
            )
    return deleted


def restore_one(
    conn: sqlite3.Connection, memory: Memory, history: Sequence[HistoryEntry], vector: np.ndarray | None
) -> Memory:
    """Write an exported memory back as it was (id, timestamps, version, recalls, history). Raises
    VersionConflict when the user has it already, MemoryIdTaken when another owner holds its id, and DuplicateMemory
    when a live memory of the user holds its content."""
    refuse_if_erasing(conn, memory.owner)
    values = memory_values(memory)
    values["embedding"] = vector_blob(vector)
    holder = conn.execute("SELECT tenant, user_id FROM memories WHERE id = ?", (memory.id,)).fetchone()
    if holder is not None and (holder["tenant"], holder["user_id"]) == (memory.tenant, memory.user_id):
        raise VersionConflict(f"Memory {memory.id} already exists.")
    if holder is not None:  # ids are the table's key here, unique across owners; nothing about the holder is told
        raise MemoryIdTaken(f"Memory id {memory.id} is in use by another user; import it under another id.")
    holder = conn.execute(
        "SELECT id, expires_at FROM memories WHERE tenant = ? AND user_id = ? AND content_key = ?",
        (memory.tenant, memory.user_id, values["content_key"]),
    ).fetchone()
    if holder is not None:
        if holder["expires_at"] is None or holder["expires_at"] > to_micros(utcnow()):
            raise DuplicateMemory(holder["id"])
        delete_rows(conn, memory.owner, [holder["id"]])  # as on insert: an expired memory no longer holds its content
    columns = ", ".join(values)
    conn.execute(f"INSERT INTO memories ({columns}) VALUES ({', '.join(':' + name for name in values)})", values)
    conn.executemany(
        "INSERT OR REPLACE INTO memory_history (tenant, user_id, memory_id, version, event, at, content,"
        " previous_content, changed_fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                memory.tenant,
                memory.user_id,
                memory.id,
                entry.version,
                entry.event.value,
                to_micros(entry.at),
                entry.content,
                entry.previous_content,
                dumps(list(entry.changed_fields)),
            )
            for entry in history
        ],
    )
    return memory
