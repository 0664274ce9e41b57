"""The rules curator's second reading: a sentence model's cosine weighed for the pairs the word rules leave open.

The cosines are given, not computed, so these tests hold the rule, not a model's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_memory.adapters.local.meaning_rules import SCALES, denied_words, reports_event, scale_for, shared_names
from agent_memory.adapters.local.rules_curator import RulesCurator
from agent_memory.config import Config
from agent_memory.domain.curation import MergeAction
from agent_memory.runtime import Runtime

MINILM = scale_for("all-MiniLM-L6-v2")
reading = RulesCurator(MINILM)
words_only = RulesCurator()


@pytest.mark.parametrize(
    ("older", "newer", "similarity", "action"),
    [
        # Same meaning in other words: merged, keeping the newer text.
        (
            "Uses a ResMed CPAP for sleep apnea",
            "Sleeps with a ResMed machine on every night because of his apnea",
            0.78,
            MergeAction.MERGE,
        ),
        # A changed count with no word in common.
        ("Has one grandchild", "Two grandchildren now", 0.60, MergeAction.SUPERSEDE),
        # A correction in the middle of the newer memory ("not Joplin, …"), which the word rules read only at the end.
        (
            "Her mom lives near Joplin",
            "Mom is in Springfield, not Joplin, he mixed the two up",
            0.66,
            MergeAction.SUPERSEDE,
        ),
        # An event that ends a state.
        ("Lives in Maarif with her parents", "Got her own place in Gauthier last spring", 0.51, MergeAction.SUPERSEDE),
        # About one named person in both, though the word rules saw two people.
        (
            "Her boyfriend Bagus plays keys in a jazz trio",
            "She and Bagus got married in December",
            0.50,
            MergeAction.SUPERSEDE,
        ),
    ],
)
def test_given_a_pair_the_word_rules_leave_open_when_the_cosine_is_weighed_then_meaning_decides(
    older: str, newer: str, similarity: float, action: MergeAction
) -> None:
    # Given a pair the word rules alone keep as two facts
    assert words_only.decide_merge(older, newer, similarity).action is MergeAction.KEEP_BOTH
    # When the calibrated cosine is weighed, then the pair is merged or superseded
    decision = reading.decide_merge(older, newer, similarity)
    assert decision.action is action, decision.reason
    if action is MergeAction.MERGE:
        assert decision.merged_content == newer  # if it was an update after all, the newer value survives


@pytest.mark.parametrize(
    ("older", "newer", "similarity"),
    [
        # Close in meaning but one denies what the other says: never merged.
        ("Likes spicy food", "Doesn't eat anything hot at all", 0.80),
        # Two different people with nothing named in common: the word rules' answer stands.
        ("Married to Lucía", "Her sister got married in June", 0.83),
        # Below the cut-offs: a change cue about something else.
        ("Plays the cello in a community orchestra", "Switched banks to Monzo", 0.20),
        # A state and a state: nothing reported as an event.
        ("Likes sushi", "Likes ramen", 0.60),
        # A new count of another thing, a visit to where one lives, are no changes of the older fact.
        ("Has 2 dogs", "Has 3 cats", 0.66),
        ("Lives in Berlin", "Visited Berlin last week", 0.70),
        # Close in meaning but each names a place the other does not.
        ("Wants to see the regatta start in Tallinn", "Wants to see the regatta finish in Helsinki", 0.72),
        # A shared employer is not a shared person: the father's job is not the user's.
        ("Works at IBM", "Her father worked at IBM for 30 years", 0.68),
        # The same frame around another value.
        ("Is allergic to cats", "Is allergic to dogs", 0.73),
        ("Loves dogs", "Loves cats", 0.75),
        # Events that end nothing: an achievement, and words that only look like events (an adjective, a name).
        ("Plays chess online", "Won a local chess tournament in May", 0.51),
        ("Likes quiet restaurants", "Likes crowded bars", 0.55),
        ("Prefers short answers", "Prefers detailed answers for coding questions", 0.59),
        ("Her son is named Max", "Has a dog named Max", 0.61),
        # A hypothesis is no event.
        ("Lives in Seattle", "If she moved, it would be to Portland", 0.47),
        # Denying a neighbouring fact corrects nothing.
        ("Is allergic to peanuts", "Is not allergic to almonds", 0.71),
        ("Works on weekdays", "Does not work on Sundays", 0.79),
    ],
)
def test_given_pairs_that_differ_when_the_cosine_is_weighed_then_both_are_kept(
    older: str, newer: str, similarity: float
) -> None:
    assert reading.decide_merge(older, newer, similarity).action is MergeAction.KEEP_BOTH


def test_given_no_similarity_or_no_calibration_when_deciding_then_only_the_word_rules_answer() -> None:
    older, newer = "Has one grandchild", "Two grandchildren now"
    # Given no cosine, or a curator without a calibrated model
    assert reading.decide_merge(older, newer).action is MergeAction.KEEP_BOTH
    assert words_only.decide_merge(older, newer, 0.99).action is MergeAction.KEEP_BOTH
    # Then a model without a calibration (the hashing embedder) gets none
    assert scale_for("hashing-256") is None and set(SCALES) == {"all-MiniLM-L6-v2"}


def test_given_a_decision_the_word_rules_are_sure_of_when_the_cosine_disagrees_then_the_word_rules_stand() -> None:
    # Given a new value of where someone lives (a sure supersession), a low cosine does not keep both
    assert reading.decide_merge("Lives in Lisbon", "Lives in Berlin", 0.05).action is MergeAction.SUPERSEDE
    # And an exact duplicate stays a merge whatever the cosine
    assert reading.decide_merge("Likes tea.", "likes tea", 0.0).action is MergeAction.MERGE


def test_signals_read_events_denials_and_shared_names() -> None:
    assert reports_event("got her own place in gauthier") and reports_event("the doctor raised his dose")
    assert not reports_event("her boat is called havblikk") and not reports_event("lives in oslo")
    assert not reports_event("otter turns her recorded interviews into text") and not reports_event("drives a used car")
    assert denied_words("her mom is in springfield, not joplin, he mixed them up") == ["joplin"]
    assert shared_names("his daughter Kaylee is 14", "Kaylee's 15 now") == {"kaylee"}
    assert not shared_names("Lives in Oslo", "Lives with her parents")  # a capital at the start is no name
    # A supposition is no event, in its own clause only
    assert not reports_event("if she moved, it would be to portland")
    assert reports_event("her wife could finally retire, so they moved to spain")


@pytest.mark.parametrize(
    ("embedder", "action"), [("minilm", MergeAction.SUPERSEDE), ("hashing", MergeAction.KEEP_BOTH)]
)
def test_given_the_configured_embedder_when_the_runtime_builds_the_curator_then_it_weighs_only_calibrated_cosines(
    tmp_path: Path, embedder: str, action: MergeAction
) -> None:
    # Given a local runtime (building it loads no model)
    curator = Runtime(Config(data_dir=tmp_path / "data", embedder=embedder, extractor="rules")).curator
    # When a pair the word rules leave open comes with a cosine, then only the MiniLM curator weighs it
    assert curator.decide_merge("Has one grandchild", "Two grandchildren now", 0.60).action is action
