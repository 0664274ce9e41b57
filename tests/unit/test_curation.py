"""The rules curator's judgements, the optimize plan and clustering, on plain inputs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from agent_memory.adapters.local.rules_curator import RulesCurator
from agent_memory.domain.conversation import Message, Role
from agent_memory.domain.curation import MergeAction, canonical
from agent_memory.domain.models import Memory, Source
from agent_memory.services.jobs.corpus import Corpus
from agent_memory.services.jobs.optimize import candidate_pairs, kmeans, plan

curator = RulesCurator()


@pytest.mark.parametrize(
    ("older", "newer", "action"),
    [
        ("Likes tea.", "likes tea", MergeAction.MERGE),
        ("Likes hiking in the Alps", "Really likes hiking in the Alps", MergeAction.MERGE),
        ("Lives in Berlin", "Lives in Berlin.", MergeAction.MERGE),
        ("Lives in Berlin", "Moved to Munich", MergeAction.SUPERSEDE),
        ("Works at Acme", "Works at Globex", MergeAction.SUPERSEDE),
        ("Their favourite colour is blue", "Their favourite colour is green", MergeAction.SUPERSEDE),
        ("Likes coffee", "Does not like coffee anymore", MergeAction.SUPERSEDE),
        ("Is 34 years old", "Is 35", MergeAction.SUPERSEDE),
        ("Likes tea", "Likes coffee", MergeAction.KEEP_BOTH),
        ("Has a dog named Rex", "Plays tennis on weekends", MergeAction.KEEP_BOTH),
        ("Their favourite colour is blue", "Their favourite food is pasta", MergeAction.KEEP_BOTH),
    ],
)
def test_rules_decide_how_two_memories_relate(older: str, newer: str, action: MergeAction) -> None:
    assert curator.decide_merge(older, newer).action is action


def test_canonical_ignores_case_punctuation_and_spacing_only() -> None:
    assert canonical("  Likes   TEA!! ") == canonical("likes tea") == "likes tea"
    assert canonical("Likes tea") != canonical("Likes teas")


def test_rules_label_a_cluster_by_its_lexicon_topic_else_its_commonest_word() -> None:
    assert curator.label_topic(["Plays tennis", "Goes hiking on Sundays", "Likes running"]) == "hobbies"
    assert curator.label_topic(["Zorblat reviews", "Zorblat sketches are blue"]) == "zorblat"


def test_rules_find_entities_in_third_person_memories() -> None:
    (berlin,), found = curator.entities(["Lives in Berlin", "Their sister Anna works at Google"])
    assert (berlin.name, berlin.type, berlin.id) == ("Berlin", "place", "place:berlin")
    assert {(e.name, e.type) for e in found} == {("Anna", "person"), ("Google", "organization")}


def test_rules_summarise_a_thread_from_what_the_user_said() -> None:
    summary = curator.summarize(
        [Message(Role.USER, "I'm planning a trip to Japan. I love sushi."), Message(Role.ASSISTANT, "I love ramen!")]
    )
    assert summary.startswith("Conversation of 2 messages about")
    assert "Loves sushi" in summary and "ramen" not in summary


def memory(index: int, content: str) -> Memory:
    moment = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=index)
    return Memory(f"M{index:03d}", "t", "u", content, Source.API, moment, moment)


def test_candidate_pairs_are_each_memorys_closest_above_the_threshold() -> None:
    vectors = np.array([[1, 0], [0.8, 0.6], [0, 1], [-1, 0]], dtype=np.float32)
    pairs = candidate_pairs(vectors)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1), (1, 2)]
    assert pairs[0][2] == pytest.approx(0.8)


def test_the_plan_merges_exact_duplicates_and_lets_the_newer_fact_supersede() -> None:
    memories = [
        memory(0, "Lives in Berlin"),
        memory(1, "likes tea"),
        memory(2, "Likes tea!"),
        memory(3, "Lives in Munich"),
    ]
    vectors = np.array([[1, 0], [0, 1], [0, 1], [1, 0]], dtype=np.float32)

    changes, deferred = plan(Corpus(memories, vectors), curator)

    assert deferred == [(1, 2, pytest.approx(1.0))]  # already merged as exact duplicates: judged next round, if left
    assert [(c.action, memories[c.survivor].id, memories[c.retired].id) for c in changes] == [
        (MergeAction.MERGE, "M002", "M001"),  # the longer wording is kept
        (MergeAction.SUPERSEDE, "M003", "M000"),  # the newer fact wins
    ]


def test_a_merge_keeps_the_memory_whose_words_the_curator_chose() -> None:
    memories = [memory(0, "Likes hiking in the Alps"), memory(1, "Really likes hiking in the Alps")]
    vectors = np.array([[1, 0], [1, 0]], dtype=np.float32)

    (change,), _ = plan(Corpus(memories, vectors), curator)

    assert (change.action, memories[change.survivor].id, memories[change.retired].id, change.content) == (
        MergeAction.MERGE,
        "M001",
        "M000",
        None,
    )


def test_a_chain_of_replacements_is_resolved_in_one_optimize_round_by_round() -> None:
    from agent_memory.services.jobs.optimize import judge

    memories = [memory(0, "Lives in Berlin"), memory(1, "Lives in Munich"), memory(2, "Lives in Paris")]
    corpus = Corpus(memories, np.array([[1, 0], [1, 0], [1, 0]], dtype=np.float32))

    first, deferred = plan(corpus, curator)
    second, left = judge(corpus, curator, [p for p in deferred if first[0].retired not in p[:2]], set())

    assert [(memories[c.survivor].content, memories[c.retired].content) for c in first + second] == [
        ("Lives in Munich", "Lives in Berlin"),
        ("Lives in Paris", "Lives in Munich"),
    ]
    assert left == []


def test_kmeans_is_deterministic_and_separates_clear_groups() -> None:
    rng = np.random.default_rng(1)
    group_a = rng.normal([1, 0, 0], 0.05, size=(20, 3))
    group_b = rng.normal([0, 1, 0], 0.05, size=(20, 3))
    vectors = np.vstack([group_a, group_b]).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)

    labels = kmeans(vectors, 2)

    assert len(set(labels[:20])) == 1 and len(set(labels[20:])) == 1 and labels[0] != labels[20]
    assert (kmeans(vectors, 2) == labels).all()
