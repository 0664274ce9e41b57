"""The rules curator's second reading: how close two memories are in meaning, from a sentence model's cosine.

Word rules miss what is said in other words: "Uses a ResMed CPAP for sleep apnea" and "Sleeps with a ResMed machine
because of his apnea" share two words, "Has one grandchild" and "Two grandchildren now" none. For a pair the
word rules leave as different facts, the cosine of the two memories' embeddings (the one the optimize job found the
pair by) decides whether they say the same thing, or are about the same thing closely enough that a change cue, a
new count, a correction or a reported event in the newer one replaces the older.

The cut-offs belong to one embedding model: cosines of different models are not on one scale, so a model without a
calibration here gets no second reading (the hashing embedder's cosine counts shared words, which the word rules
already do).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent_memory.domain.curation import MergeAction, MergeDecision


@dataclass(frozen=True, slots=True)
class MeaningScale:
    """Cosine cut-offs of one embedding model, chosen on the knowledge set's development pairs (dev and fresh
    splits), never on its holdout pairs."""

    same: float
    """At or above: the same fact in other words (merge), unless one of the two is negated."""
    related: float
    """At or above: about the same thing, so a change cue, a changed count or a correction in the newer replaces it."""
    event: float
    """At or above: an event the newer one reports in the past tense ends the state the older one describes."""


SCALES = {"all-MiniLM-L6-v2": MeaningScale(same=0.70, related=0.55, event=0.45)}


def scale_for(model_id: str) -> MeaningScale | None:
    """The calibration of an embedding model, or None when its cosines have none."""
    return SCALES.get(model_id)


@dataclass(frozen=True, slots=True)
class PairSignals:
    """What the word rules read of a pair that the second reading weighs."""

    about_different_people: bool
    """The word rules found the two about different people."""
    shares_a_name: bool
    changes: bool
    """The newer has a change cue the older lacks, a different count, or carries out the older's plan."""
    corrects: bool
    """The newer says "not X" of an X the older states."""
    reports_event: bool
    """The newer reports an event in the past tense and the older has none."""
    negation_differs: bool
    tense_differs: bool
    """One memory tells of a past event and the other does not ("Lives in Berlin", "Visited Berlin last week")."""
    names_differ: bool
    """Each names something the other does not ("the Iditarod start in Anchorage", "… finish in Nome")."""
    values_differ: bool
    """The two say the same around one word each that differs ("allergic to cats", "allergic to dogs")."""


# A past form that is an event, not a state: "is called", "was based", "'s married" are states, and after a
# determiner it is an adjective ("her recorded interviews", "a used car").
PAST_FORM = (
    r"\b(?:\w{3,}ed|took|went|got|bought|ran|saw|did|had|made|found|began|flew|won|gave|left|sold|met|became|came|"
    r"drove|rode|swam|wrote|built|paid|spent|sent|brought|caught|taught)\b"
)
"""A verb in the past tense: a regular -ed form or a common irregular one."""
_PAST_EVENT = re.compile(
    r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?<!\bbe )(?<!\bbeen )(?<!'s )"
    r"(?<!\bher )(?<!\bhis )(?<!\bmy )(?<!\bour )(?<!\btheir )(?<!\bthe )(?<!\ba )(?<!\ban )"
    # the object of a liking is an adjective ("likes crowded bars", "prefers detailed answers")
    r"(?<!\blikes )(?<!\bloves )(?<!\bprefers )(?<!\bwants )(?<!\benjoys )(?<!\bhates )(?<!\bneeds )"
    r"(?!named\b|called\b)" + PAST_FORM  # "a dog named Max" names; it tells of no event
)
# What follows these is a hypothesis, not an event ("If she moved, it would be to Portland").
_UNREAL = re.compile(r"\b(?:if|would|whether|unless|could|might)\b")
_NAME = r"[A-Z][\w\u00c0-\u024f']+"
_DENIED = re.compile(r"\bnot ([^,.;:!?]+?)(?= but\b| and\b|[,.;:!?]|$)")


# Events that pass without ending anything: a visit, a trip, a meal, a meeting, an occasion, an achievement, and
# what was said or thought ("Visited Berlin" after "Lives in Berlin" is not a move; "Won a chess tournament" ends no
# chess).
_PASSING = frozenset(
    """visited went flew saw met came ate watched tried attended played stayed toured won scored performed competed
    celebrated hosted organized organised enjoyed cooked baked asked told said mentioned wondered thought""".split()
)


def _events(text: str) -> list[str]:
    """The past-tense events a memory tells, but those its own clause only supposes."""
    events = []
    for match in _PAST_EVENT.finditer(text):
        clause = max(text.rfind(mark, 0, match.start()) for mark in ",;.") + 1
        if not _UNREAL.search(text, clause, match.start()):
            events.append(match.group(0))
    return events


def reports_event(text: str) -> bool:
    return any(event not in _PASSING for event in _events(text))


def tells_of_the_past(text: str) -> bool:
    """Any event in the past tense, passing ones included: a state and a past event are not one fact."""
    return bool(_events(text))


def denied_words(plain: str) -> list[str]:
    """What a memory denies, up to the end of its clause: "Leeds" in "in Springfield, not Leeds", "allergic to
    almonds" in "Is not allergic to almonds"."""
    return [match.group(1) for match in _DENIED.finditer(plain)]


def shared_names(older: str, newer: str) -> set[str]:
    """The names both memories write: capitalised words in both that at least one writes inside the sentence (a
    capital at the start is not a name by itself)."""

    def capitalised(text: str) -> set[str]:
        return {word.casefold().removesuffix("'s") for word in re.findall(rf"\b{_NAME}", text)}

    def inside(text: str) -> set[str]:
        return {word.casefold().removesuffix("'s") for word in re.findall(rf"(?<=[\w,] ){_NAME}", text)}

    return capitalised(older) & capitalised(newer) & (inside(older) | inside(newer))


def reread(
    decision: MergeDecision, signals: PairSignals, similarity: float, scale: MeaningScale, newer: str
) -> MergeDecision:
    """The decision once meaning is weighed: the word rules' own decision unless the cosine says otherwise. A merge
    keeps the newer memory's words: if the two differ after all (an update judged a paraphrase), the newer value
    survives."""
    if signals.about_different_people and not signals.shares_a_name:
        return decision
    if similarity >= scale.related and signals.changes:
        return MergeDecision(MergeAction.SUPERSEDE, "about the same thing, and the newer memory changes it")
    if similarity >= scale.related and signals.corrects:
        return MergeDecision(MergeAction.SUPERSEDE, "about the same thing, and the newer memory corrects it")
    if similarity >= scale.event and signals.reports_event:
        return MergeDecision(MergeAction.SUPERSEDE, "the newer memory reports an event that ends the older state")
    differs = (
        signals.negation_differs
        or signals.names_differ
        or signals.values_differ
        or signals.tense_differs
        or signals.about_different_people
    )
    if similarity >= scale.same and not differs:
        return MergeDecision(MergeAction.MERGE, f"the same meaning (similarity {similarity:.2f})", newer)
    return decision
