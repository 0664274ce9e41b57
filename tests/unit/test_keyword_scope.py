"""The in-memory keyword index: tokens and BM25 as SQLite FTS5 computes them, snapshots patched from changes."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from agent_memory.adapters.local.keyword_scope import Document, TermFolder, build, extend

NOW = 1_000_000
CORPUS = [
    ("m1", "Lives in Berlin with her partner and two cats", "moving boxes everywhere"),
    ("m2", "Her partner works at a café in Kreuzberg", None),
    ("m3", "Runs every Sunday; running keeps her calm", "asked about hobbies"),
    ("m4", "Allergic to cats, so the partner's cats stay at his mother's", None),
    ("m5", "Prefers Python over Rust for data work", "talking about programming languages"),
    ("m6", "Visited Berlin in 2019 for PyCon and ran a 10k race", None),
    ("m7", "Naïve about gardening but grows tomatoes on the balcony", None),
    ("m8", "Cafe au lait every morning, never espresso", None),
]
QUERIES = ["berlin partner", "cats", "running Sunday", "cafe", "python programming", "naive tomatoes", "ran race"]


def documents() -> list[Document]:
    return [Document(memory_id, content, summary, False, None) for memory_id, content, summary in CORPUS]


def fts5_ranking(query_terms: list[str]) -> list[tuple[str, float]]:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, content, summary,"
        " tokenize='porter unicode61 remove_diacritics 2')"
    )
    conn.executemany("INSERT INTO t (id, content, summary) VALUES (?, ?, ?)", CORPUS)
    match = " OR ".join(f'"{term}"' for term in query_terms)
    rows = conn.execute(
        "SELECT id, bm25(t, 0.0, 1.0, 0.5) FROM t WHERE t MATCH ? ORDER BY bm25(t, 0.0, 1.0, 0.5), rowid", [match]
    ).fetchall()
    return [(memory_id, -score) for memory_id, score in rows]


@pytest.mark.parametrize("query", QUERIES)
def test_given_one_scope_when_ranked_then_order_and_scores_match_sqlite_fts5_bm25(query: str) -> None:
    # Given the same documents in an FTS5 table with the tokenizer the store used to have
    folder = TermFolder()
    scope = build(documents(), seq=1, folder=folder)
    words = query.split()
    # When both rank the query's words
    ours = scope.rank([term for word in words for term in folder.terms(word)], NOW, False, 10, None)
    theirs = fts5_ranking(words)
    assert theirs
    # Then they agree on which memories match, their order and their scores
    assert [memory_id for memory_id, _ in ours] == [memory_id for memory_id, _ in theirs]
    assert np.allclose([score for _, score in ours], [score for _, score in theirs], rtol=1e-4, atol=1e-6)


def test_given_accents_and_case_when_folded_then_they_match_plain_lowercase_words() -> None:
    folder = TermFolder()
    assert folder.terms("Café NAÏVE Runs running") == ["cafe", "naiv", "run", "run"]
    assert folder.terms("snake_case, e-mail") == ["snake", "case", "e", "mail"]


def test_given_a_changed_and_a_new_memory_when_extended_then_only_their_current_words_match() -> None:
    # Given a built scope
    folder = TermFolder()
    scope = build(documents(), seq=1, folder=folder)
    # When m1 moves to Lisbon, m2 is deleted and m9 is written
    moved = Document("m1", "Lives in Lisbon with her partner", None, False, None)
    new = Document("m9", "Her sister also lives in Berlin", None, False, None)
    patched = extend(scope, [moved, new], ["m1", "m2"], seq=2, folder=folder)
    # Then Berlin finds m9 and m6 but not the old m1; Lisbon finds m1; the deleted m2 matches nothing
    berlin = [memory_id for memory_id, _ in patched.rank(folder.terms("berlin"), NOW, False, 10, None)]
    assert sorted(berlin) == ["m6", "m9"]
    assert [memory_id for memory_id, _ in patched.rank(folder.terms("lisbon"), NOW, False, 10, None)] == ["m1"]
    assert patched.rank(folder.terms("kreuzberg"), NOW, False, 10, None) == []
    assert patched.dead == 2
    # And the earlier snapshot still answers as it did (a search reading it is never disturbed)
    assert "m1" in [memory_id for memory_id, _ in scope.rank(folder.terms("berlin"), NOW, False, 10, None)]


def test_given_expired_and_superseded_memories_when_ranked_then_they_are_left_out_unless_asked_for() -> None:
    folder = TermFolder()
    scope = build(
        [
            Document("old", "Lives in Berlin", None, True, None),
            Document("gone", "Berlin trip next week", None, False, NOW - 1),
            Document("now", "Berlin is home", None, False, NOW + 1),
        ],
        seq=1,
        folder=folder,
    )
    terms = folder.terms("berlin")
    assert [memory_id for memory_id, _ in scope.rank(terms, NOW, False, 10, None)] == ["now"]
    assert sorted(memory_id for memory_id, _ in scope.rank(terms, NOW, True, 10, None)) == ["now", "old"]


def test_given_an_allowed_subset_when_ranked_then_scores_still_count_every_current_memory() -> None:
    # Given a filter that allows only m6
    folder = TermFolder()
    scope = build(documents(), seq=1, folder=folder)
    terms = folder.terms("berlin")
    everyone = dict(scope.rank(terms, NOW, False, 10, None))
    allowed = np.array([memory_id == "m6" for memory_id in scope.ids])
    # When ranked within it
    only = scope.rank(terms, NOW, False, 10, allowed)
    # Then m6 alone comes back, scored as it is among all (document frequency is not the subset's)
    assert only == [("m6", everyone["m6"])]


def test_given_more_matches_than_the_limit_when_ranked_then_the_best_come_first_ties_in_writing_order() -> None:
    folder = TermFolder()
    scope = build([Document(f"m{n}", "tea and biscuits", None, False, None) for n in range(30)], 1, folder)
    best = scope.rank(folder.terms("tea"), NOW, False, 5, None)
    assert [memory_id for memory_id, _ in best] == ["m0", "m1", "m2", "m3", "m4"]


def test_given_an_empty_scope_when_ranked_then_nothing_matches() -> None:
    folder = TermFolder()
    assert build([], 1, folder).rank(folder.terms("anything"), NOW, False, 10, None) == []
