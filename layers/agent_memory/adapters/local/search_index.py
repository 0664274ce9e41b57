"""Local search index: SQLite FTS5 (BM25, Porter stemming) and exact cosine k-NN with numpy.

Both read the store's own file. The FTS table and a change log are maintained by triggers inside every write
transaction, so the index can never disagree with the records, even after a crash. Each user's vectors are cached
in memory as one float32 matrix and refreshed from the change log, which also sees writes from other processes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from agent_memory.adapters.local.sqlite.database import SqliteDatabase
from agent_memory.adapters.local.sqlite.memory_rows import blob_vector, filter_sql
from agent_memory.adapters.local.sqlite.schema import scope_key
from agent_memory.domain.clock import to_micros
from agent_memory.domain.errors import EmbeddingMismatch
from agent_memory.domain.models import MemoryFilter, Owner
from agent_memory.domain.text import query_terms
from agent_memory.ports import IndexHit

NO_EXPIRY = np.iinfo(np.int64).max
# Column weights for content, summary (the context a memory was said in) and the scope token (never scored).
BM25_WEIGHTS = "1.0, 0.5, 0.0"


@dataclass
class _ScopeVectors:
    seq: int
    ids: list[str]
    matrix: np.ndarray
    superseded: np.ndarray
    expires: np.ndarray
    models: set[str]
    other_models: int


def fts_query(owner: Owner, query: str) -> str | None:
    """The FTS5 expression: the user's scope token AND any of the query's terms in content or summary."""
    terms = query_terms(query)
    if not terms:
        return None
    alternatives = " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)
    return f"scope_key : {scope_key(owner.tenant, owner.user_id)} AND {{content summary}} : ({alternatives})"


class SqliteSearchIndex:
    """Implements SearchIndex over the records' own SQLite file."""

    MAX_CACHED_SCOPES = 64
    KEYWORD_SLACK = 20

    def __init__(self, database: SqliteDatabase, model_id: str, dimension: int) -> None:
        self._database = database
        self._model_id = model_id
        self._dimension = dimension
        self._cache: OrderedDict[Owner, _ScopeVectors] = OrderedDict()
        self._lock = threading.Lock()

    def keyword(self, owner: Owner, query: str, filters: MemoryFilter, now: datetime, limit: int) -> list[IndexHit]:
        match = fts_query(owner, query)
        if match is None:
            return []
        where, params = filter_sql(owner, filters, now)
        # Rank inside FTS5 alone first (joining every match to its record costs as much as the ranking), then
        # apply the filters to the few best. Only when filters reject so many that the page cannot be filled is
        # the joined query needed.
        wanted = limit + self.KEYWORD_SLACK
        with self._database.read() as conn:
            ranked = conn.execute(
                f"SELECT rowid, bm25(memories_fts, {BM25_WEIGHTS}) AS rank FROM memories_fts"
                " WHERE memories_fts MATCH ? ORDER BY rank LIMIT ?",
                [match, wanted],
            ).fetchall()
            if not ranked:
                return []
            placeholders = ", ".join("?" * len(ranked))
            kept = dict(
                conn.execute(
                    f"SELECT rid, id FROM memories WHERE rid IN ({placeholders}) AND {where}",
                    [row[0] for row in ranked] + params,
                ).fetchall()
            )
            hits = [IndexHit(kept[row[0]], -float(row[1])) for row in ranked if row[0] in kept]
            if len(hits) >= limit or len(ranked) < wanted:
                return hits[:limit]
            rows = conn.execute(
                f"SELECT memories.id, bm25(memories_fts, {BM25_WEIGHTS}) AS rank FROM memories_fts"
                " JOIN memories ON memories.rid = memories_fts.rowid"
                f" WHERE memories_fts MATCH ? AND {where} ORDER BY rank LIMIT ?",
                [match, *params, limit],
            ).fetchall()
        return [IndexHit(row[0], -float(row[1])) for row in rows]

    def semantic(
        self, owner: Owner, vector: np.ndarray, filters: MemoryFilter, now: datetime, limit: int
    ) -> list[IndexHit]:
        scope = self._vectors(owner)
        if scope.other_models:
            raise EmbeddingMismatch(
                f"{scope.other_models} memories of this user were embedded with a model other than "
                f"{self._model_id}; rebuild the index (agent-memory reindex) before semantic search.",
                models=sorted(scope.models),
            )
        if vector.shape != (self._dimension,):
            raise EmbeddingMismatch(
                f"The query vector has {vector.shape[-1]} dimensions; the index holds {self._dimension}."
            )
        if not scope.ids:
            return []
        mask = scope.expires > to_micros(now)
        if not filters.include_superseded:
            mask &= ~scope.superseded
        if not filters.is_default:
            allowed = self._allowed_ids(owner, filters, now)
            mask &= np.fromiter((memory_id in allowed for memory_id in scope.ids), dtype=bool, count=len(scope.ids))
        candidates = np.flatnonzero(mask)
        if candidates.size == 0:
            return []
        scores = scope.matrix[candidates] @ vector if candidates.size < len(scope.ids) else scope.matrix @ vector
        k = min(limit, candidates.size)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [IndexHit(scope.ids[candidates[i]], float(scores[i])) for i in top]

    def vector_of(self, owner: Owner, memory_id: str) -> np.ndarray | None:
        with self._database.read() as conn:
            row = conn.execute(
                "SELECT embedding_model, embedding FROM memories WHERE tenant = ? AND user_id = ? AND id = ?",
                (owner.tenant, owner.user_id, memory_id),
            ).fetchone()
        vector = None if row is None or row["embedding_model"] != self._model_id else blob_vector(row["embedding"])
        return vector if vector is not None and vector.shape == (self._dimension,) else None

    def _allowed_ids(self, owner: Owner, filters: MemoryFilter, now: datetime) -> set[str]:
        where, params = filter_sql(owner, filters, now)
        with self._database.read() as conn:
            return {row[0] for row in conn.execute(f"SELECT id FROM memories WHERE {where}", params)}

    # -- the per-user vector cache ----------------------------------------------------------------

    def _vectors(self, owner: Owner) -> _ScopeVectors:
        with self._database.read() as conn:
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
            oldest = conn.execute("SELECT MIN(seq) FROM memory_changes").fetchone()[0] or 0
            if cached is not None and not cached.other_models and latest > cached.seq >= oldest - 1:
                changed = [
                    row[0]
                    for row in conn.execute(
                        "SELECT DISTINCT memory_id FROM memory_changes WHERE tenant = ? AND user_id = ? AND seq > ?",
                        (owner.tenant, owner.user_id, cached.seq),
                    )
                ]
                if len(changed) <= max(256, len(cached.ids) // 4):
                    refreshed = self._apply_changes(conn, owner, cached, changed, latest)
                    return self._remember(owner, refreshed)
            return self._remember(owner, self._load(conn, owner, latest))

    def _remember(self, owner: Owner, scope: _ScopeVectors) -> _ScopeVectors:
        with self._lock:
            self._cache[owner] = scope
            self._cache.move_to_end(owner)
            while len(self._cache) > self.MAX_CACHED_SCOPES:
                self._cache.popitem(last=False)
        return scope

    def _rows(self, conn, owner: Owner, ids: list[str] | None):  # type: ignore[no-untyped-def]
        sql = (
            "SELECT id, embedding_model, embedding, superseded_by IS NOT NULL, expires_at FROM memories"
            " WHERE tenant = ? AND user_id = ?"
        )
        params: list[object] = [owner.tenant, owner.user_id]
        if ids is not None:
            sql += f" AND id IN ({', '.join('?' * len(ids))})"
            params.extend(ids)
        return conn.execute(sql + " ORDER BY rid", params).fetchall()

    def _build(self, rows: list, seq: int) -> _ScopeVectors:  # type: ignore[type-arg]
        ids: list[str] = []
        blobs: list[bytes] = []
        superseded: list[bool] = []
        expires: list[int] = []
        models: set[str] = set()
        other = 0
        for memory_id, model, blob, is_superseded, expires_at in rows:
            if blob is None or model != self._model_id or len(blob) != 4 * self._dimension:
                other += 1
                models.add(str(model))
                continue
            ids.append(memory_id)
            blobs.append(blob)
            superseded.append(bool(is_superseded))
            expires.append(NO_EXPIRY if expires_at is None else int(expires_at))
        matrix = (
            np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(ids), self._dimension)
            if ids
            else np.zeros((0, self._dimension), dtype=np.float32)
        )
        return _ScopeVectors(
            seq=seq,
            ids=ids,
            matrix=matrix,
            superseded=np.array(superseded, dtype=bool),
            expires=np.array(expires, dtype=np.int64),
            models=models | ({self._model_id} if ids else set()),
            other_models=other,
        )

    def _load(self, conn, owner: Owner, seq: int) -> _ScopeVectors:  # type: ignore[no-untyped-def]
        return self._build(self._rows(conn, owner, None), seq)

    def _apply_changes(self, conn, owner: Owner, cached: _ScopeVectors, changed: list[str], seq: int) -> _ScopeVectors:  # type: ignore[no-untyped-def]
        gone = set(changed)
        keep = np.fromiter((memory_id not in gone for memory_id in cached.ids), dtype=bool, count=len(cached.ids))
        fresh = self._build(self._rows(conn, owner, changed), seq) if changed else None
        if fresh is None:
            return cached
        kept_ids = [memory_id for memory_id, k in zip(cached.ids, keep, strict=True) if k]
        return _ScopeVectors(
            seq=seq,
            ids=kept_ids + fresh.ids,
            matrix=np.vstack([cached.matrix[keep], fresh.matrix]),
            superseded=np.concatenate([cached.superseded[keep], fresh.superseded]),
            expires=np.concatenate([cached.expires[keep], fresh.expires]),
            models=cached.models | fresh.models,
            other_models=cached.other_models + fresh.other_models,
        )
