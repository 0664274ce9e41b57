"""Deterministic, offline curation: how two close memories relate, topic labels, entities and thread summaries.

The rules read memories in the third-person form extraction writes ("Lives in Berlin", "Their favourite colour is
blue", "Does not like coffee"). A Bedrock model answers the same questions in production.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from agent_memory.adapters.local.rules_extractor import RulesExtractor, entities_in
from agent_memory.domain.conversation import Message, Role
from agent_memory.domain.curation import MergeAction, MergeDecision, canonical
from agent_memory.domain.models import Entity
from agent_memory.domain.text import STOPWORDS, normalise
from agent_memory.domain.topics import topics_of

SAME_WORDING = 0.8
"""Share of content words two memories must have in common (Jaccard) to say the same thing."""

MAX_SUMMARY_FACTS = 3

_NEGATION = re.compile(
    r"\b(not|no longer|never|anymore|don't|doesn't|didn't|isn't|aren't|wasn't|won't|can't|cannot)\b|n't\b"
)
_FILLERS = frozenset(
    "really also still usually always currently now very just no longer not never anymore does do did don doesn didn "
    "isn aren wasn won can t".split()
)
# Facts that hold one value at a time: a second value replaces the first. (slot name, pattern with the value last)
_EXCLUSIVE_SLOTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "residence",
        re.compile(r"^(?:now |currently )?(?:lives|is living|resides|has moved|moved|relocated) (?:in|to) (.+)$"),
    ),
    ("employer", re.compile(r"^(?:now |currently )?(?:works|is working) (?:at|for) (.+)$")),
    ("role", re.compile(r"^(?:now |currently )?works as (?:an? )?(.+)$")),
    ("favourite", re.compile(r"^their (?:favou?rite \w+) is (.+)$")),
    ("name", re.compile(r"^their ((?:\w+ )?(?:name|\w+'s name)) is (.+)$")),
    ("called", re.compile(r"^their (\w+(?: \w+)?) is (?:called|named) (.+)$")),
    ("age", re.compile(r"^is (\d+)(?: years old)?$")),
    ("preference", re.compile(r"^(?:now |currently )?prefers (\S+(?: \S+){0,2})$")),
)


def _negated(text: str) -> bool:
    return bool(_NEGATION.search(normalise(text)))


def _base(word: str) -> str:
    """Third-person and plural -s dropped ("likes" → "like", "watches" → "watch"): agreement is no difference."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _core(text: str) -> frozenset[str]:
    return frozenset(_base(word) for word in canonical(text).split() if word not in _FILLERS)


def _slot(text: str) -> tuple[str, str] | None:
    """(slot, value) of a single-valued fact; the slot includes what is named ("favourite colour")."""
    plain = normalise(text).rstrip(".!")
    for name, pattern in _EXCLUSIVE_SLOTS:
        match = pattern.match(plain)
        if match is not None:
            groups = match.groups()
            slot = name if len(groups) == 1 else f"{name}:{groups[0]}"
            if name == "favourite":
                slot = plain[len("their ") : plain.index(" is ")]
            return slot, canonical(groups[-1])
    return None


class RulesCurator:
    name = "rules"

    def decide_merge(self, older: str, newer: str) -> MergeDecision:
        old_core, new_core = _core(older), _core(newer)
        if canonical(older) == canonical(newer):
            return MergeDecision(MergeAction.MERGE, "same words")
        if old_core == new_core and _negated(older) != _negated(newer):
            return MergeDecision(MergeAction.SUPERSEDE, "the newer memory says the opposite")
        old_slot, new_slot = _slot(older), _slot(newer)
        if old_slot is not None and new_slot is not None and old_slot[0] == new_slot[0]:
            if old_slot[1] == new_slot[1]:
                return MergeDecision(MergeAction.MERGE, f"same {old_slot[0]}")
            return MergeDecision(MergeAction.SUPERSEDE, f"a new {old_slot[0]} replaces the old one")
        union = old_core | new_core
        overlap = len(old_core & new_core) / len(union) if union else 0.0
        if overlap >= SAME_WORDING and _negated(older) == _negated(newer):
            longer = newer if len(newer) > len(older) else older
            return MergeDecision(MergeAction.MERGE, f"{overlap:.0%} of the words are shared", merged_content=longer)
        return MergeDecision(MergeAction.KEEP_BOTH, "different facts")

    def label_topic(self, samples: Sequence[str]) -> str:
        topics = Counter(topic for sample in samples for topic in topics_of(sample))
        if topics:
            return sorted(topics.items(), key=lambda item: (-item[1], item[0]))[0][0]
        words = Counter(
            word
            for sample in samples
            for word in set(canonical(sample).split())
            if len(word) >= 4 and word not in STOPWORDS and word not in _FILLERS
        )
        if not words:
            return "misc"
        return sorted(words.items(), key=lambda item: (-item[1], item[0]))[0][0]

    def entities(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]:
        # Memories start with a verb ("Lives in Berlin") capitalised by grammar, not by being a name.
        return [
            tuple(
                Entity.named(mention.name, mention.type)
                for mention in entities_in(f"note {text[:1].lower()}{text[1:]}")
            )
            for text in texts
        ]

    def summarize(self, messages: Sequence[Message]) -> str:
        said = " ".join(m.content for m in messages if m.role is Role.USER)
        topics = topics_of(said)
        facts = sorted(RulesExtractor().extract(messages), key=lambda fact: -fact.importance)[:MAX_SUMMARY_FACTS]
        about = f" about {', '.join(topics)}" if topics else ""
        head = f"Conversation of {len(messages)} messages{about}"
        if not facts:
            return head + "."
        return head + ": " + "; ".join(fact.content.rstrip(".") for fact in facts) + "."
