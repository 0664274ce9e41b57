"""OpenSearch adapter details beyond the contract: the emitted DSL, signing, idempotent index creation, live runs."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import numpy as np
import pytest

from agent_memory.adapters.aws.opensearch_documents import cosine_of, index_body
from agent_memory.adapters.aws.opensearch_index import OpenSearchIndex, client_for
from agent_memory.domain.errors import SearchUnavailable
from agent_memory.domain.models import Memory, MemoryFilter, Owner, Source
from tests.aws_support import REGION, fake_credentials
from tests.opensearch_server import LoopbackOpenSearch

NOW = datetime(2026, 1, 1, tzinfo=UTC)
ALICE = Owner("acme", "alice")


def _index(url: str, name: str = "memories", custom_ids: bool = False) -> OpenSearchIndex:
    fake_credentials()
    return OpenSearchIndex(lambda: client_for(url, REGION), name, "hashing-4", 4, custom_ids=custom_ids)


def _memory(memory_id: str, content: str) -> Memory:
    return Memory(memory_id, "acme", "alice", content, Source.API, NOW, NOW, embedding_model="hashing-4")


def test_the_server_rejects_dsl_the_adapter_does_not_use() -> None:
    # Given the stand-in server, a query outside the adapter's DSL is refused, so the adapter cannot drift
    with LoopbackOpenSearch() as server:
        index = _index(server.url)
        index.ensure_index()
        client = client_for(server.url, REGION)
        from opensearchpy.exceptions import RequestError

        with pytest.raises(RequestError):
            client.search(index="memories", body={"query": {"match_all": {}}})
        with pytest.raises(RequestError):  # k-NN with the filter outside the knn clause (post-filtering)
            client.search(
                index="memories",
                body={"query": {"knn": {"vector": {"vector": [1, 0, 0, 0], "k": 3}}}, "post_filter": {}},
            )


def test_unsigned_requests_are_refused() -> None:
    import urllib.error
    import urllib.request

    with LoopbackOpenSearch() as server:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{server.url}/memories")
        assert refused.value.code == 403


def test_creating_the_index_is_idempotent_and_uses_an_inner_product_hnsw_mapping() -> None:
    with LoopbackOpenSearch() as server:
        index = _index(server.url)
        assert index.ensure_index() is True
        assert index.ensure_index() is False
        mapping = server.collection.indexes["memories"]["mappings"]["properties"]
        assert mapping["vector"]["method"]["space_type"] == "innerproduct"
        assert mapping["memory_id"] == {"type": "keyword"}
        assert index_body(4)["settings"]["index"]["knn"] is True


def test_a_refused_document_is_reported_per_item_and_the_rest_applied() -> None:
    with LoopbackOpenSearch() as server:
        index = _index(server.url, custom_ids=True)
        index.ensure_index()
        server.collection.custom_ids = False  # the collection turns out to refuse custom ids
        outcome = index.upsert([(_memory("m1", "tea"), np.array([1, 0, 0, 0], dtype=np.float32))])
        assert outcome.applied == [] and "Document ID is not supported" in outcome.failed["m1"]


def test_inner_product_scores_map_back_to_cosine() -> None:
    assert cosine_of(1.75) == pytest.approx(0.75)
    assert cosine_of(1 / (1 - -0.5)) == pytest.approx(-0.5)


def test_a_collection_that_is_down_is_search_unavailable() -> None:
    with LoopbackOpenSearch() as server:
        index = _index(server.url)
        index.ensure_index()
        server.collection.down = True
        with pytest.raises(SearchUnavailable):
            index.keyword(ALICE, "tea", MemoryFilter(), NOW, 10)


@pytest.mark.skipif(
    not os.environ.get("AGENT_MEMORY_TEST_OPENSEARCH_URL"),
    reason="live test: set AGENT_MEMORY_TEST_OPENSEARCH_URL (and AWS credentials) to run against a real collection",
)
def test_live_collection_round_trip() -> None:
    url = os.environ["AGENT_MEMORY_TEST_OPENSEARCH_URL"]
    region = os.environ.get("AWS_REGION", REGION)
    name = f"agent-memory-live-{os.getpid()}"
    index = OpenSearchIndex(lambda: client_for(url, region), name, "hashing-4", 4)
    index.ensure_index()
    memory = _memory("live-1", "Alice collects vintage maps")
    assert not index.upsert([(memory, np.array([0.5, 0.5, 0.5, 0.5], dtype=np.float32))]).failed
    # Serverless collections refresh on their own schedule: poll for up to two minutes
    import time

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not index.keyword(ALICE, "maps", MemoryFilter(), NOW, 5):
        time.sleep(5)
    assert index.keyword(ALICE, "maps", MemoryFilter(), NOW, 5)[0][0] == "live-1"
    vector = np.array([0.5, 0.5, 0.5, 0.5], dtype=np.float32)
    assert index.semantic(ALICE, vector, MemoryFilter(), NOW, 5)[0][0] == "live-1"
    # The reconcile pass's paging (sort on a keyword + search_after) is accepted by the collection
    assert [doc.memory_id for doc in index.documents(ALICE, None, 10)] == ["live-1"]
    assert index.documents(ALICE, "live-1", 10) == []
    assert not index.delete(ALICE, ["live-1"]).failed


def test_a_missing_index_finds_nothing_and_the_first_write_creates_it_with_the_mapping() -> None:
    # Given a collection without the index
    with LoopbackOpenSearch() as server:
        index = _index(server.url)
        # Then queries find nothing instead of failing
        assert index.keyword(ALICE, "tea", MemoryFilter(), NOW, 10) == []
        assert "memories" not in server.collection.indexes
        # And the first write creates it, with the k-NN mapping rather than a dynamic one
        assert not index.upsert([(_memory("m1", "tea"), np.array([1, 0, 0, 0], dtype=np.float32))]).failed
        assert server.collection.indexes["memories"]["mappings"] == index_body(4)["mappings"]
        assert index.keyword(ALICE, "tea", MemoryFilter(), NOW, 10)[0][0] == "m1"


def test_a_users_documents_are_paged_in_memory_id_order_without_splitting_a_memory() -> None:
    # Given a collection without custom ids, where m2 has three documents (writes the term query could not see yet)
    with LoopbackOpenSearch(refresh_on_write=False) as server:
        index = _index(server.url)
        index.ensure_index()
        vector = np.array([1, 0, 0, 0], dtype=np.float32)
        for memory_id in ("m1", "m2", "m2", "m2", "m3"):
            assert not index.upsert([(_memory(memory_id, "tea"), vector)]).failed
        index.upsert([(Memory("x1", "acme", "bob", "tea", Source.API, NOW, NOW), None)])  # another user's
        server.collection.refresh()
        # When paging two documents at a time
        first = index.documents(ALICE, None, 2)
        second = index.documents(ALICE, first[-1].memory_id, 2)
        # Then a page ends with every document of its last memory, and the next starts after it
        assert [doc.memory_id for doc in first] == ["m1", "m2", "m2", "m2"]
        assert [doc.memory_id for doc in second] == ["m3"]
        assert index.documents(ALICE, "m3", 2) == []
        # And removing documents by their ids counts only those deleted now
        assert index.remove(first[1:3]) == 2
        assert index.remove(first[1:3]) == 0


def test_the_server_refuses_sorting_and_paging_the_adapter_does_not_use() -> None:
    with LoopbackOpenSearch() as server:
        _index(server.url).ensure_index()
        client = client_for(server.url, REGION)
        from opensearchpy.exceptions import RequestError

        scope = {"bool": {"filter": [{"term": {"user_id": "alice"}}]}}
        for body in (
            {"query": scope, "search_after": ["m1"]},  # search_after without a sort
            {"query": scope, "sort": [{"content": "asc"}]},  # sorting on a text field
            {"query": scope, "sort": [{"memory_id": "desc"}, {"version": "asc"}]},
        ):
            with pytest.raises(RequestError):
                client.search(index="memories", body=body)
