"""How memories look in the OpenSearch index: the mapping, the document of a memory, the scope and filter clauses
every query carries, and the score conversion of faiss inner products."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np

from agent_memory.domain.clock import to_micros
from agent_memory.domain.models import Memory, MemoryFilter, Owner


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
