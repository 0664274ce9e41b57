"""The OpenSearch projection, merged with what DynamoDB holds that the index may not show yet.

A collection makes writes searchable only after its refresh (up to 60 s on Classic collections) and the stream
delivers them a moment later still. So every query also reads the user's memories written within that window from
the table (strongly consistent, through LSI1) and lets them replace or join the index's hits. Deletes need nothing
here: search hydrates every hit from the table, so a deleted memory never comes back.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import numpy as np

from agent_memory.adapters.aws.dynamo.memories import DynamoMemories
from agent_memory.adapters.aws.opensearch_index import OpenSearchIndex
from agent_memory.domain.filtering import admits
from agent_memory.domain.models import Memory, MemoryFilter, Owner
from agent_memory.domain.text import query_terms, stem, tokens
from agent_memory.ports import IndexHit


def _terms(text: str) -> set[str]:
    return {stem(token) for token in tokens(text)}


class FreshIndex:
    """Implements SearchIndex: OpenSearch results with the refresh window filled in from DynamoDB."""

    reads_records = False  # a projection kept by the stream: it can lag the table

    def __init__(self, index: OpenSearchIndex, memories: DynamoMemories, model_id: str, window_seconds: float) -> None:
        self._index = index
        self._memories = memories
        self._model_id = model_id
        self._window = timedelta(seconds=window_seconds)
        self._last = threading.local()

    def _recent(self, owner: Owner, now: datetime) -> list[tuple[Memory, np.ndarray | None]]:
        if not self._window:
            return []
        # A hybrid search asks for keyword and semantic hits with the same owner and instant: read the table once.
        last = getattr(self._last, "value", None)
        if last is not None and last[0] == (owner, now):
            return list(last[1])
        recent = self._memories.changed_since(owner, now - self._window)
        self._last.value = ((owner, now), recent)
        return list(recent)

    @staticmethod
    def _merge(hits: list[IndexHit], fresh: list[IndexHit], recent_ids: set[str], limit: int) -> list[IndexHit]:
        merged = [hit for hit in hits if hit.memory_id not in recent_ids] + fresh
        return sorted(merged, key=lambda hit: -hit.score)[:limit]

    def keyword(self, owner: Owner, query: str, filters: MemoryFilter, now: datetime, limit: int) -> list[IndexHit]:
        hits = self._index.keyword(owner, query, filters, now, limit)
        recent = self._recent(owner, now)
        if not recent:
            return hits
        wanted = {stem(term) for term in query_terms(query)}
        # BM25 needs collection statistics the table does not have: a fresh memory scores the share of query terms
        # it holds, on the scale of the index's best hit, until the index takes over its scoring.
        top = max((hit.score for hit in hits), default=1.0)
        fresh = []
        for memory, _ in recent:
            if wanted and admits(filters, memory, now):
                held = len(wanted & _terms(f"{memory.content} {memory.summary or ''}")) / len(wanted)
                if held:
                    fresh.append(IndexHit(memory.id, top * held, memory.version))
        return self._merge(hits, fresh, {memory.id for memory, _ in recent}, limit)

    def semantic(
        self, owner: Owner, vector: np.ndarray, filters: MemoryFilter, now: datetime, limit: int
    ) -> list[IndexHit]:
        hits = self._index.semantic(owner, vector, filters, now, limit)
        recent = self._recent(owner, now)
        if not recent:
            return hits
        fresh = [
            IndexHit(memory.id, float(stored @ vector), memory.version)
            for memory, stored in recent
            if stored is not None
            and memory.embedding_model == self._model_id
            and stored.shape == vector.shape
            and admits(filters, memory, now)
        ]
        return self._merge(hits, fresh, {memory.id for memory, _ in recent}, limit)

    def vector_of(self, owner: Owner, memory_id: str) -> np.ndarray | None:
        stored = self._memories.vector_of(owner, memory_id)
        if stored is None or stored[0] != self._model_id:
            return None
        return stored[1]
