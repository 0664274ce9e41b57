"""Local search index: BM25 over an in-memory keyword index and exact cosine k-NN with numpy.

Both are per-user snapshots read from the store's own file and refreshed from its change log, which every write
appends to inside its own transaction (so the index never disagrees with the records, and sees writes from other
processes too): each user's vectors as one float32 matrix, each user's words as postings (`keyword_scope`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np

from agent_memory.adapters.local import keyword_scope
from agent_memory.adapters.local.keyword_scope import Document, ScopeTerms, TermFolder
from agent_memory.adapters.local.scope_cache import ScopeCache
from agent_memory.adapters.local.sqlite.database import SqliteDatabase
from agent_memory.adapters.local.sqlite.memory_rows import blob_vector, filter_sql
from agent_memory.domain.clock import to_micros
from agent_memory.domain.errors import EmbeddingMismatch
from agent_memory.domain.models import MemoryFilter, Owner
from agent_memory.domain.text import query_terms
from agent_memory.ports import IndexHit

NO_EXPIRY = np.iinfo(np.int64).max


@dataclass
class _ScopeVectors:
    seq: int
    ids: list[str]
    matrix: np.ndarray
    superseded: np.ndarray
    expires: np.ndarray
    models: set[str]
    other_models: int


def _scope_rows(conn: sqlite3.Connection, owner: Owner, columns: str, ids: list[str] | None) -> list[sqlite3.Row]:
    """The user's memories (or those of `ids`), in the order they were first written."""
    sql = f"SELECT {columns} FROM memories WHERE tenant = ? AND user_id = ?"
    params: list[object] = [owner.tenant, owner.user_id]
    if ids is not None:
        sql += f" AND id IN ({', '.join('?' * len(ids))})"
        params.extend(ids)
    return conn.execute(sql + " ORDER BY rid", params).fetchall()


def _few(changed: int, size: int) -> bool:
    """Patching a snapshot pays per changed memory; past a quarter of the scope, loading it afresh is cheaper."""
    return changed <= max(256, size // 4)


class SqliteSearchIndex:
    """Implements SearchIndex over the records' own SQLite file."""

    MAX_CACHED_SCOPES = 64
    KEYWORD_SLACK = 20
    reads_records = True

    def __init__(self, database: SqliteDatabase, model_id: str, dimension: int) -> None:
        self._database = database
        self._model_id = model_id
        self._dimension = dimension
        self._folder = TermFolder()
        self._vector_scopes: ScopeCache[_ScopeVectors] = ScopeCache(
            self._load, self._apply_changes, self.MAX_CACHED_SCOPES
        )
        self._term_scopes: ScopeCache[ScopeTerms] = ScopeCache(
            self._load_terms, self._patch_terms, self.MAX_CACHED_SCOPES
        )

    def keyword(self, owner: Owner, query: str, filters: MemoryFilter, now: datetime, limit: int) -> list[IndexHit]:
        terms = [term for word in query_terms(query) for term in self._folder.terms(word)]
        if not terms:
            return []
        with self._database.read() as conn:
            scope = self._term_scopes.current(conn, owner)
        moment = to_micros(now)
        if filters.is_default:
            return [IndexHit(*hit) for hit in scope.rank(terms, moment, False, limit, None)]
        # The other filters are checked on the best few first; only when they reject so many that the page cannot
        # be filled is every memory they allow read.
        best = scope.rank(terms, moment, filters.include_superseded, limit + self.KEYWORD_SLACK, None)
        if not best:
            return []
        allowed = self._allowed_among(owner, filters, now, [memory_id for memory_id, _ in best])
        kept = [IndexHit(*hit) for hit in best if hit[0] in allowed]
        if len(kept) >= limit or len(best) < limit + self.KEYWORD_SLACK:
            return kept[:limit]
        permitted = self._allowed_ids(owner, filters, now)
        mask = np.fromiter((memory_id in permitted for memory_id in scope.ids), dtype=bool, count=len(scope.ids))
        return [IndexHit(*hit) for hit in scope.rank(terms, moment, filters.include_superseded, limit, mask)]

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

    def _allowed_among(self, owner: Owner, filters: MemoryFilter, now: datetime, ids: list[str]) -> set[str]:
        where, params = filter_sql(owner, filters, now)
        placeholders = ", ".join("?" * len(ids))
        with self._database.read() as conn:
            rows = conn.execute(f"SELECT id FROM memories WHERE id IN ({placeholders}) AND {where}", [*ids, *params])
            return {row[0] for row in rows}

    # -- the per-user keyword index ---------------------------------------------------------------

    def _documents(self, conn: sqlite3.Connection, owner: Owner, ids: list[str] | None) -> list[Document]:
        rows = _scope_rows(conn, owner, "id, content, summary, superseded_by IS NOT NULL, expires_at", ids)
        return [
            Document(memory_id, content, summary, bool(superseded), expires_at)
            for memory_id, content, summary, superseded, expires_at in rows
        ]

    def _load_terms(self, conn: sqlite3.Connection, owner: Owner, seq: int) -> ScopeTerms:
        return keyword_scope.build(self._documents(conn, owner, None), seq, self._folder)

    def _patch_terms(
        self, conn: sqlite3.Connection, owner: Owner, cached: ScopeTerms, changed: list[str], seq: int
    ) -> ScopeTerms | None:
        # Dead positions are dropped only by a fresh load, so they count against patching too.
        if not _few(len(changed) + cached.dead, len(cached.position)):
            return None
        fresh = self._documents(conn, owner, changed) if changed else []
        return keyword_scope.extend(cached, fresh, changed, seq, self._folder)

    # -- the per-user vector cache ----------------------------------------------------------------

    def _vectors(self, owner: Owner) -> _ScopeVectors:
        with self._database.read() as conn:
            return self._vector_scopes.current(conn, owner)

    def _rows(self, conn: sqlite3.Connection, owner: Owner, ids: list[str] | None) -> list[sqlite3.Row]:
        columns = "id, embedding_model, embedding, superseded_by IS NOT NULL, expires_at"
        return _scope_rows(conn, owner, columns, ids)

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

    def _load(self, conn: sqlite3.Connection, owner: Owner, seq: int) -> _ScopeVectors:
        return self._build(self._rows(conn, owner, None), seq)

    def _apply_changes(
        self, conn: sqlite3.Connection, owner: Owner, cached: _ScopeVectors, changed: list[str], seq: int
    ) -> _ScopeVectors | None:
        if cached.other_models or not _few(len(changed), len(cached.ids)):
            return None
        if not changed:
            return replace(cached, seq=seq)
        gone = set(changed)
        keep = np.fromiter((memory_id not in gone for memory_id in cached.ids), dtype=bool, count=len(cached.ids))
        fresh = self._build(self._rows(conn, owner, changed), seq)
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
