"""Versioned SQLite schema. Each migration runs once, in order, inside one write transaction.

Never edit a migration that has shipped: append a new one.
"""

from __future__ import annotations

import hashlib
import sqlite3

from agent_memory.adapters.local.sqlite.graph_schema import GRAPH_MIGRATION

SCOPE_KEY_FUNCTION = "agent_memory_scope_key"


def scope_key(tenant: str, user_id: str) -> str:
    """One keyword-index token per (tenant, user), so a keyword match only ever walks that user's documents.
    Used by migration 3 only (migration 9 dropped the column), which a new database still runs.

    Digits after a letter: the tokenizer keeps it whole and the stemmer leaves it alone.
    """
    digest = hashlib.blake2b(f"{tenant}\x1f{user_id}".encode(), digest_size=8).digest()
    return "u" + str(int.from_bytes(digest, "big"))


MIGRATIONS: list[str] = [
    # 1: memories, history, settings, API keys, idempotency records.
    """
    CREATE TABLE memories (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
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
        revoked_at INTEGER
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
    # 2: the search projection, kept in step by triggers inside the same transaction as every write, so a crash
    # can never leave the keyword index or the vector change log disagreeing with the records.
    """
    CREATE VIRTUAL TABLE memories_fts USING fts5(
        content, summary, content='memories', content_rowid='rid',
        tokenize='porter unicode61 remove_diacritics 2'
    );
    INSERT INTO memories_fts (memories_fts) VALUES ('rebuild');
    CREATE TRIGGER memories_fts_insert AFTER INSERT ON memories BEGIN
        INSERT INTO memories_fts (rowid, content, summary) VALUES (new.rid, new.content, new.summary);
    END;
    CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories BEGIN
        INSERT INTO memories_fts (memories_fts, rowid, content, summary)
        VALUES ('delete', old.rid, old.content, old.summary);
    END;
    CREATE TRIGGER memories_fts_update AFTER UPDATE OF content, summary ON memories BEGIN
        INSERT INTO memories_fts (memories_fts, rowid, content, summary)
        VALUES ('delete', old.rid, old.content, old.summary);
        INSERT INTO memories_fts (rowid, content, summary) VALUES (new.rid, new.content, new.summary);
    END;
    CREATE TABLE memory_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant TEXT NOT NULL,
        user_id TEXT NOT NULL,
        memory_id TEXT NOT NULL
    );
    CREATE INDEX memory_changes_scope ON memory_changes (tenant, user_id, seq);
    CREATE TRIGGER memory_changes_insert AFTER INSERT ON memories BEGIN
        INSERT INTO memory_changes (tenant, user_id, memory_id) VALUES (new.tenant, new.user_id, new.id);
    END;
    CREATE TRIGGER memory_changes_delete AFTER DELETE ON memories BEGIN
        INSERT INTO memory_changes (tenant, user_id, memory_id) VALUES (old.tenant, old.user_id, old.id);
    END;
    CREATE TRIGGER memory_changes_update AFTER UPDATE OF
        content, summary, embedding, embedding_model, superseded_by, expires_at ON memories BEGIN
        INSERT INTO memory_changes (tenant, user_id, memory_id) VALUES (new.tenant, new.user_id, new.id);
    END;
    CREATE TRIGGER memory_changes_prune AFTER INSERT ON memory_changes BEGIN
        DELETE FROM memory_changes WHERE seq <= new.seq - 200000;
    END;
    """,
    # 3: the keyword index carries each memory's scope token, so a match is restricted to one user inside FTS5
    # instead of scoring every tenant's matching documents and filtering afterwards.
    f"""
    ALTER TABLE memories ADD COLUMN scope_key TEXT;
    UPDATE memories SET scope_key = {SCOPE_KEY_FUNCTION}(tenant, user_id);
    DROP TRIGGER memories_fts_insert;
    DROP TRIGGER memories_fts_delete;
    DROP TRIGGER memories_fts_update;
    DROP TABLE memories_fts;
    CREATE VIRTUAL TABLE memories_fts USING fts5(
        content, summary, scope_key, content='memories', content_rowid='rid',
        tokenize='porter unicode61 remove_diacritics 2'
    );
    INSERT INTO memories_fts (memories_fts) VALUES ('rebuild');
    CREATE TRIGGER memories_fts_insert AFTER INSERT ON memories BEGIN
        INSERT INTO memories_fts (rowid, content, summary, scope_key)
        VALUES (new.rid, new.content, new.summary, new.scope_key);
    END;
    CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories BEGIN
        INSERT INTO memories_fts (memories_fts, rowid, content, summary, scope_key)
        VALUES ('delete', old.rid, old.content, old.summary, old.scope_key);
    END;
    CREATE TRIGGER memories_fts_update AFTER UPDATE OF content, summary ON memories BEGIN
        INSERT INTO memories_fts (memories_fts, rowid, content, summary, scope_key)
        VALUES ('delete', old.rid, old.content, old.summary, old.scope_key);
        INSERT INTO memories_fts (rowid, content, summary, scope_key)
        VALUES (new.rid, new.content, new.summary, new.scope_key);
    END;
    """,
    # 4: async job operations and the lock that keeps one job per (tenant, user, kind).
    """
    CREATE TABLE operations (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX operations_tenant ON operations (tenant, id);
    CREATE INDEX operations_unfinished ON operations (status) WHERE status IN ('queued', 'running');
    CREATE TABLE job_locks (
        tenant TEXT NOT NULL,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        operation_id TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (tenant, user_id, kind)
    );
    """,
    # 5: data rights. An erasure in progress refuses new memories of its user (checked in each insert's
    # transaction); idempotency records name the users their request was about (`user_id`, each id between U+001F
    # separators), so erasing a user removes them too.
    """
    CREATE TABLE erasures (
        tenant TEXT NOT NULL,
        user_id TEXT NOT NULL,
        operation_id TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        PRIMARY KEY (tenant, user_id)
    );
    ALTER TABLE idempotency ADD COLUMN user_id TEXT;
    CREATE INDEX memory_history_scope ON memory_history (tenant, user_id);
    """,
    # 6: recalls (what a search or a conversation turn returned) and the client's feedback on them.
    """
    CREATE TABLE recalls (
        recall_id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        user_id TEXT NOT NULL,
        memory_ids TEXT NOT NULL,
        at INTEGER NOT NULL,
        used TEXT NOT NULL DEFAULT '[]',
        ignored TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX recalls_scope ON recalls (tenant, user_id);
    """,
    # 7: the knowledge graph (see graph_schema).
    GRAPH_MIGRATION,
    # 8: a key may be bound to one user (and one agent of that user).
    """
    ALTER TABLE api_keys ADD COLUMN user_id TEXT;
    ALTER TABLE api_keys ADD COLUMN agent_id TEXT;
    """,
    # 9: keyword search reads each user's words into memory (adapters/local/keyword_scope.py) and ranks them with
    # numpy; FTS5's per-row ranking was the slow half of every search. Its table and triggers go, and with them
    # the per-user token that scoped its matches.
    """
    DROP TRIGGER memories_fts_insert;
    DROP TRIGGER memories_fts_delete;
    DROP TRIGGER memories_fts_update;
    DROP TABLE memories_fts;
    ALTER TABLE memories DROP COLUMN scope_key;
    """,
]


def statements(script: str) -> list[str]:
    """Split a migration into complete statements (trigger bodies hold semicolons of their own)."""
    result: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            result.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete statement in migration: {pending.strip()[:80]}")
    return result
