"""Versioned SQLite schema. Each migration runs once, in order, inside one write transaction."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: memories, history, settings, API keys, idempotency records.
    """
    CREATE TABLE memories (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        user_id TEXT NOT NULL,
        agent_id TEXT,
        thread_id TEXT,
        content TEXT NOT NULL,
        content_key TEXT NOT NULL,
        summary TEXT,
        source TEXT NOT NULL,
        importance REAL NOT NULL,
        valence REAL NOT NULL,
        topics TEXT NOT NULL,
        entities TEXT NOT NULL,
        metadata TEXT NOT NULL,
        source_refs TEXT NOT NULL,
        access_count INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        expires_at INTEGER,
        supersedes TEXT,
        superseded_by TEXT,
        version INTEGER NOT NULL,
        embedding_model TEXT,
        embedding BLOB
    );
    CREATE UNIQUE INDEX memories_content ON memories (tenant, user_id, content_key);
    CREATE INDEX memories_scope ON memories (tenant, user_id, id);
    CREATE TABLE memory_history (
        tenant TEXT NOT NULL,
        user_id TEXT NOT NULL,
        memory_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        event TEXT NOT NULL,
        at INTEGER NOT NULL,
        content TEXT NOT NULL,
        previous_content TEXT,
        changed_fields TEXT NOT NULL,
        PRIMARY KEY (memory_id, version)
    );
    CREATE TABLE settings (
        tenant TEXT PRIMARY KEY,
        data TEXT NOT NULL
    );
    CREATE TABLE api_keys (
        key_id TEXT PRIMARY KEY,
        key_hash TEXT NOT NULL UNIQUE,
        tenant TEXT NOT NULL,
        scopes TEXT NOT NULL,
        name TEXT,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER,
        last_used_at INTEGER
    );
    CREATE TABLE idempotency (
        tenant TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status INTEGER,
        body BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (tenant, key)
    );
    """,
]
