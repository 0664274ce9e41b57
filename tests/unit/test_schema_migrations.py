"""Schema migrations upgrade an existing file in place without losing or unindexing anything."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from agent_memory.adapters.local.search_index import SqliteSearchIndex
from agent_memory.adapters.local.sqlite.database import SqliteDatabase
from agent_memory.adapters.local.sqlite.schema import MIGRATIONS, statements
from agent_memory.domain.models import MemoryFilter, Owner


def test_a_version_2_file_is_upgraded_and_its_memories_stay_searchable(tmp_path) -> None:
    # Given a file at schema version 2 holding a memory
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:2]:
        for statement in statements(script):
            conn.execute(statement)
    conn.execute(
        "INSERT INTO memories (id, tenant, user_id, content, content_key, source, importance, valence, topics,"
        " entities, metadata, source_refs, created_at, updated_at, version)"
        " VALUES ('m1', 'acme', 'alice', 'Alice runs marathons', 'alice runs marathons', 'api', 0.5, 0, '[]',"
        " '[]', '{}', '[]', 1, 1, 1)"
    )
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()

    # When the store opens it
    database = SqliteDatabase(path)
    index = SqliteSearchIndex(database, "hashing-256", 256)
    now = datetime(2026, 1, 1, tzinfo=UTC)

    # Then it is at the latest version and the old memory is found by keyword, in its own scope only
    assert database.schema_version == len(MIGRATIONS)
    assert [hit[0] for hit in index.keyword(Owner("acme", "alice"), "marathon", MemoryFilter(), now, 10)] == ["m1"]
    assert index.keyword(Owner("acme", "bob"), "marathon", MemoryFilter(), now, 10) == []
