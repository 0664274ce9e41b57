"""OpenSearch Serverless (VECTORSEARCH collection) as the search projection: BM25 and filtered k-NN.

Every query is filtered by tenant and user inside the query itself (for k-NN inside the `knn` clause, so the engine
filters while it searches instead of after). Documents carry the memory id as a keyword field, so upserts and deletes
work whether or not the collection accepts custom document ids (Classic vector collections do not).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any
from urllib.parse import urlparse

import numpy as np

from agent_memory.domain.clock import to_micros
from agent_memory.domain.errors import EmbeddingMismatch, SearchUnavailable
from agent_memory.domain.models import Memory, MemoryFilter, Owner

MAX_RESULT_WINDOW = 1_000


@dataclass(frozen=True, slots=True)
class BulkOutcome:
    """Per-memory result of a bulk write: the ids applied and, for the rest, why not."""

    applied: list[str]
    failed: dict[str, str]


def index_body(dimension: int) -> dict[str, Any]:
    """Settings and mapping. Vectors are L2-normalised, so inner product ranks exactly as cosine does."""
    keyword = {"type": "keyword"}
    return {
        "settings": {"index": {"knn": True}},
        "mappings": {
            "properties": {
                "memory_id": keyword,
                "tenant": keyword,
                "user_id": keyword,
                "agent_id": keyword,
                "source": keyword,
                "topics": keyword,
                "embedding_model": keyword,
                "content": {"type": "text", "analyzer": "english"},
                "summary": {"type": "text", "analyzer": "english"},
                "created_at": {"type": "date", "format": "epoch_millis"},
                "expires_at": {"type": "date", "format": "epoch_millis"},
                "importance": {"type": "float"},
                "superseded": {"type": "boolean"},
                "version": {"type": "long"},
                "vector": {
                    "type": "knn_vector",
                    "dimension": dimension,
                    "method": {
                        "name": "hnsw",
                        "engine": "faiss",
                        "space_type": "innerproduct",
                        "parameters": {"m": 16, "ef_construction": 128},
                    },
                },
            }
        },
    }


def _millis(moment: datetime) -> int:
    return to_micros(moment) // 1000


def document(memory: Memory, vector: np.ndarray | None) -> dict[str, Any]:
    """The indexed form of a memory; without a vector of the index's dimension it is found by keyword only."""
    doc: dict[str, Any] = {
        "memory_id": memory.id,
        "tenant": memory.tenant,
        "user_id": memory.user_id,
        "source": memory.source.value,
        "topics": list(memory.topics),
        "embedding_model": memory.embedding_model,
        "content": memory.content,
        "summary": memory.summary or "",
        "created_at": _millis(memory.created_at),
        "importance": memory.importance,
        "superseded": memory.superseded_by is not None,
        "version": memory.version,
    }
    if vector is not None:
        doc["vector"] = [float(x) for x in np.asarray(vector, dtype=np.float32)]
    if memory.agent_id is not None:
        doc["agent_id"] = memory.agent_id
    if memory.expires_at is not None:
        doc["expires_at"] = _millis(memory.expires_at)
    return doc


def scope_filters(owner: Owner, filters: MemoryFilter, now: datetime) -> list[dict[str, Any]]:
    clauses: list[dict[str, Any]] = [
        {"term": {"tenant": owner.tenant}},
        {"term": {"user_id": owner.user_id}},
        {
            "bool": {
                "should": [
                    {"bool": {"must_not": [{"exists": {"field": "expires_at"}}]}},
                    {"range": {"expires_at": {"gt": _millis(now)}}},
                ],
                "minimum_should_match": 1,
            }
        },
    ]
    if not filters.include_superseded:
        clauses.append({"term": {"superseded": False}})
    if filters.agent_id is not None:
        clauses.append({"term": {"agent_id": filters.agent_id}})
    if filters.source is not None:
        clauses.append({"term": {"source": filters.source.value}})
    if filters.topic is not None:
        clauses.append({"term": {"topics": filters.topic}})
    created: dict[str, int] = {}
    if filters.created_after is not None:
        created["gt"] = _millis(filters.created_after)
    if filters.created_before is not None:
        created["lt"] = _millis(filters.created_before)
    if created:
        clauses.append({"range": {"created_at": created}})
    if filters.min_importance is not None:
        clauses.append({"range": {"importance": {"gte": filters.min_importance}}})
    return clauses


def cosine_of(score: float) -> float:
    """faiss inner-product scores are 1 + ip for ip ≥ 0 and 1 / (1 - ip) below: map back to the cosine."""
    return score - 1.0 if score >= 1.0 else 1.0 - 1.0 / score


def client_for(endpoint: str, region: str, timeout: float = 10.0) -> Any:
    """An opensearch-py client signing every request with SigV4 for the `aoss` service."""
    import boto3
    from opensearchpy import OpenSearch, Urllib3AWSV4SignerAuth, Urllib3HttpConnection

    parsed = urlparse(endpoint)
    https = parsed.scheme == "https"
    credentials = boto3.Session().get_credentials()
    return OpenSearch(
        hosts=[{"host": parsed.hostname, "port": parsed.port or (443 if https else 80)}],
        http_auth=Urllib3AWSV4SignerAuth(credentials, region, "aoss"),
        use_ssl=https,
        verify_certs=https,
        connection_class=Urllib3HttpConnection,
        timeout=timeout,
        max_retries=2,
        retry_on_timeout=True,
    )


class OpenSearchIndex:
    """Implements SearchIndex (queries) plus the writes the stream indexer and reindex job need."""

    def __init__(
        self,
        client_factory: Callable[[], Any],
        index_name: str,
        model_id: str,
        dimension: int,
        custom_ids: bool = False,
    ) -> None:
        self._client_factory = client_factory
        self._index = index_name
        self._model_id = model_id
        self._dimension = dimension
        self._custom_ids = custom_ids
        self._ensured = False

    @cached_property
    def _client(self) -> Any:
        return self._client_factory()

    def _request(self, action: Callable[[], Any]) -> Any:
        from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
        from opensearchpy.exceptions import TransportError

        try:
            return action()
        except OpenSearchConnectionError as exc:
            raise SearchUnavailable(f"The search index could not be reached: {type(exc).__name__}.") from None
        except TransportError as exc:
            status = exc.status_code if isinstance(exc.status_code, int) else 0
            if status in (429, 500, 502, 503, 504) or status == 0:
                raise SearchUnavailable(f"The search index is unavailable ({status}); retry shortly.") from None
            raise

    # -- the index itself -----------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._index

    def ensure_index(self) -> bool:
        """Create the index with its mapping if it is missing; True when this call created it."""
        from opensearchpy.exceptions import RequestError

        if self._request(lambda: self._client.indices.exists(index=self._index)):
            return False
        try:
            self._request(lambda: self._client.indices.create(index=self._index, body=index_body(self._dimension)))
        except RequestError as exc:
            if "resource_already_exists" in str(exc.error):
                return False  # created concurrently by another caller
            raise
        return True

    def _ensure_once(self) -> None:
        # The deployment creates the index; a collection without it (a new stack, a new index name) gets it on the
        # first write of this process instead of failing every write until someone creates it by hand.
        if not self._ensured:
            self.ensure_index()
            self._ensured = True

    # -- queries --------------------------------------------------------------------------------

    def _search(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        from opensearchpy.exceptions import NotFoundError

        try:
            answer = self._request(lambda: self._client.search(index=self._index, body=body))
        except NotFoundError:
            return []  # no index yet: nothing has been indexed, and search merges fresh writes from the table
        hits: list[dict[str, Any]] = answer.get("hits", {}).get("hits", [])
        return hits

    @staticmethod
    def _best_per_memory(hits: list[dict[str, Any]], score: Callable[[float], float]) -> list[tuple[str, float]]:
        # Without custom ids a retried write can briefly leave two documents for one memory: keep the best.
        seen: dict[str, float] = {}
        for hit in hits:
            memory_id = hit.get("_source", {}).get("memory_id")
            if isinstance(memory_id, str) and memory_id not in seen:
                seen[memory_id] = score(float(hit.get("_score") or 0.0))
        return list(seen.items())

    def keyword(
        self, owner: Owner, query: str, filters: MemoryFilter, now: datetime, limit: int
    ) -> list[tuple[str, float]]:
        if not query.strip():
            return []
        body = {
            "size": min(limit, MAX_RESULT_WINDOW),
            "_source": ["memory_id"],
            "query": {
                "bool": {
                    "must": [{"multi_match": {"query": query, "fields": ["content", "summary^0.5"]}}],
                    "filter": scope_filters(owner, filters, now),
                }
            },
        }
        return self._best_per_memory(self._search(body), lambda score: score)

    def semantic(
        self, owner: Owner, vector: np.ndarray, filters: MemoryFilter, now: datetime, limit: int
    ) -> list[tuple[str, float]]:
        if vector.shape != (self._dimension,):
            raise EmbeddingMismatch(
                f"The query vector has {vector.shape[-1]} dimensions; the index holds {self._dimension}."
            )
        self._refuse_mixed_models(owner)
        k = min(limit, MAX_RESULT_WINDOW)
        clauses = [*scope_filters(owner, filters, now), {"term": {"embedding_model": self._model_id}}]
        body = {
            "size": k,
            "_source": ["memory_id"],
            "query": {
                "knn": {
                    "vector": {"vector": [float(x) for x in vector], "k": k, "filter": {"bool": {"filter": clauses}}}
                }
            },
        }
        return self._best_per_memory(self._search(body), cosine_of)

    def _refuse_mixed_models(self, owner: Owner) -> None:
        body = {
            "size": 1,
            "_source": ["embedding_model"],
            "query": {
                "bool": {
                    "filter": [{"term": {"tenant": owner.tenant}}, {"term": {"user_id": owner.user_id}}],
                    "must_not": [{"term": {"embedding_model": self._model_id}}],
                }
            },
        }
        stray = self._search(body)
        if stray:
            other = stray[0].get("_source", {}).get("embedding_model")
            raise EmbeddingMismatch(
                f"Some memories of this user were embedded with {other!r}, not {self._model_id}; "
                "run the reindex job before semantic search.",
                models=sorted({str(other), self._model_id}),
            )

    def vector_of(self, owner: Owner, memory_id: str) -> np.ndarray | None:
        body = {
            "size": 1,
            "_source": ["vector", "embedding_model"],
            "query": {
                "bool": {
                    "filter": [
                        {"term": {"tenant": owner.tenant}},
                        {"term": {"user_id": owner.user_id}},
                        {"term": {"memory_id": memory_id}},
                    ]
                }
            },
        }
        hits = self._search(body)
        if not hits or hits[0]["_source"].get("embedding_model") != self._model_id:
            return None
        vector = np.asarray(hits[0]["_source"]["vector"], dtype=np.float32)
        return vector if vector.shape == (self._dimension,) else None

    # -- writes ---------------------------------------------------------------------------------

    def _document_ids(self, memory_ids: Sequence[str]) -> dict[str, list[str]]:
        body = {
            "size": MAX_RESULT_WINDOW,
            "_source": ["memory_id"],
            "query": {"bool": {"filter": [{"terms": {"memory_id": list(memory_ids)}}]}},
        }
        found: dict[str, list[str]] = {}
        for hit in self._search(body):
            found.setdefault(hit["_source"]["memory_id"], []).append(hit["_id"])
        return found

    def _bulk(self, lines: list[dict[str, Any]], owners: list[str]) -> BulkOutcome:
        """Send bulk actions; `owners` names the memory id of each action, for per-item error reporting."""
        if not lines:
            return BulkOutcome([], {})
        self._ensure_once()
        answer = self._request(lambda: self._client.bulk(body=lines))
        failed: dict[str, str] = {}
        for memory_id, result in zip(owners, answer.get("items", []), strict=False):
            outcome = next(iter(result.values()))
            status = int(outcome.get("status", 500))
            gone = "delete" in result and status == 404
            if status >= 300 and not gone:
                failed[memory_id] = str(outcome.get("error", {}).get("reason", f"status {status}"))
        applied = [memory_id for memory_id in dict.fromkeys(owners) if memory_id not in failed]
        return BulkOutcome(applied, failed)

    def upsert(self, entries: Sequence[tuple[Memory, np.ndarray | None]]) -> BulkOutcome:
        lines: list[dict[str, Any]] = []
        owners: list[str] = []
        # A vector of another model or size is left out: keyword search still finds the memory, and semantic
        # search reports the model mismatch until a reindex.
        accepted = [
            (memory, vector if vector is not None and vector.shape == (self._dimension,) else None)
            for memory, vector in entries
        ]
        if not self._custom_ids and accepted:
            for memory_id, doc_ids in self._document_ids([m.id for m, _ in accepted]).items():
                for doc_id in doc_ids:
                    lines.append({"delete": {"_index": self._index, "_id": doc_id}})
                    owners.append(memory_id)
        for memory, vector in accepted:
            action: dict[str, Any] = {"_index": self._index}
            if self._custom_ids:
                action["_id"] = memory.id
            lines.extend([{"index": action}, document(memory, vector)])
            owners.append(memory.id)
        return self._bulk(lines, owners)

    def delete(self, memory_ids: Sequence[str]) -> BulkOutcome:
        lines: list[dict[str, Any]] = []
        owners: list[str] = []
        if self._custom_ids:
            for memory_id in memory_ids:
                lines.append({"delete": {"_index": self._index, "_id": memory_id}})
                owners.append(memory_id)
        else:
            for memory_id, doc_ids in self._document_ids(memory_ids).items():
                for doc_id in doc_ids:
                    lines.append({"delete": {"_index": self._index, "_id": doc_id}})
                    owners.append(memory_id)
        outcome = self._bulk(lines, owners)
        untouched = [memory_id for memory_id in memory_ids if memory_id not in owners]
        return BulkOutcome(outcome.applied + untouched, outcome.failed)
