"""The knowledge graph's tables, kept in step with `memories` by triggers in the same transaction as every write.

`graph_mentions` holds one row per (entity, memory naming it); `graph_statements` one per (relation, memory stating
it). Both are projections of the memory rows' `entities` and `relations` columns: inserting, changing, superseding,
deleting, expiring or erasing a memory rewrites its rows, whatever code path wrote it, so no row outlives its memory.
A superseded memory's statements keep their rows with `valid_to` set: the relation ended, it did not vanish.
"""

from __future__ import annotations


def _rows_of(memory: str) -> str:
    """INSERT statements that add the graph rows of the memory row named `memory` (`new` in a trigger)."""
    m = memory
    mention = (
        "INSERT OR IGNORE INTO graph_mentions (tenant, user_id, entity_id, memory_id, name, type, agent_id,"
        " expires_at) SELECT {m}.tenant, {m}.user_id, json_extract(value, '$.{side}id'), {m}.id,"
        " json_extract(value, '$.{side}name'), json_extract(value, '$.{side}type'), {m}.agent_id, {m}.expires_at"
        " FROM json_each({m}.{column}) WHERE json_extract(value, '$.{side}id') != 'user';"
    )
    return "\n".join(
        [
            mention.format(m=m, side="", column="entities"),
            mention.format(m=m, side="subject.", column="relations"),
            mention.format(m=m, side="object.", column="relations"),
            "INSERT OR IGNORE INTO graph_statements (tenant, user_id, subject_id, predicate, object_id, memory_id,"
            f" agent_id, valid_from, valid_to, expires_at) SELECT {m}.tenant, {m}.user_id,"
            " json_extract(value, '$.subject.id'), json_extract(value, '$.predicate'),"
            f" json_extract(value, '$.object.id'), {m}.id, {m}.agent_id, {m}.created_at,"
            f" CASE WHEN {m}.superseded_by IS NULL THEN NULL ELSE {m}.updated_at END, {m}.expires_at"
            f" FROM json_each({m}.relations);",
        ]
    )


def _forget(memory: str) -> str:
    return "\n".join(
        f"DELETE FROM {table} WHERE tenant = {memory}.tenant AND user_id = {memory}.user_id"
        f" AND memory_id = {memory}.id;"
        for table in ("graph_mentions", "graph_statements")
    )


GRAPH_MIGRATION = f"""
    ALTER TABLE memories ADD COLUMN relations TEXT NOT NULL DEFAULT '[]';
    CREATE TABLE graph_mentions (
        tenant TEXT NOT NULL,
        user_id TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        memory_id TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        agent_id TEXT,
        expires_at INTEGER,
        PRIMARY KEY (tenant, user_id, entity_id, memory_id)
    ) WITHOUT ROWID;
    CREATE INDEX graph_mentions_memory ON graph_mentions (tenant, user_id, memory_id);
    CREATE TABLE graph_statements (
        tenant TEXT NOT NULL,
        user_id TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        predicate TEXT NOT NULL,
        object_id TEXT NOT NULL,
        memory_id TEXT NOT NULL,
        agent_id TEXT,
        valid_from INTEGER NOT NULL,
        valid_to INTEGER,
        expires_at INTEGER,
        PRIMARY KEY (tenant, user_id, subject_id, predicate, object_id, memory_id)
    ) WITHOUT ROWID;
    CREATE INDEX graph_statements_object ON graph_statements (tenant, user_id, object_id);
    CREATE INDEX graph_statements_memory ON graph_statements (tenant, user_id, memory_id);
    CREATE TRIGGER graph_insert AFTER INSERT ON memories BEGIN
    {_rows_of("new")}
    END;
    CREATE TRIGGER graph_delete AFTER DELETE ON memories BEGIN
    {_forget("old")}
    END;
    CREATE TRIGGER graph_update AFTER UPDATE OF entities, relations, superseded_by, agent_id, expires_at, updated_at
    ON memories BEGIN
    {_forget("old")}
    {_rows_of("new")}
    END;
    INSERT OR IGNORE INTO graph_mentions (tenant, user_id, entity_id, memory_id, name, type, agent_id, expires_at)
    SELECT memories.tenant, memories.user_id, json_extract(value, '$.id'), memories.id, json_extract(value, '$.name'),
    json_extract(value, '$.type'), memories.agent_id, memories.expires_at FROM memories, json_each(memories.entities);
"""
"""Migration 7. Memories written before it have entities but no relations: their mentions are filled in here."""
