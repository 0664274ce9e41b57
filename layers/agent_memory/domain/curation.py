"""What a curator decides about two close memories, and the thresholds that make two memories "close"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from agent_memory.domain.text import normalise

RELATED_SIMILARITY = 0.45
"""Cosine at or above which two memories of a user are a candidate pair: the curator then decides whether they say
the same thing (merge), the newer replaces the older (supersede), or they are different facts (keep both)."""

NEIGHBOURS_PER_MEMORY = 3
"""Candidate pairs per memory (its closest others above the threshold): bounds the curator's work at 3 per memory."""


class MergeAction(StrEnum):
    KEEP_BOTH = "keep_both"
    MERGE = "merge"
    SUPERSEDE = "supersede"


@dataclass(frozen=True, slots=True)
class MergeDecision:
    action: MergeAction
    reason: str
    merged_content: str | None = None


_NOT_WORDS = re.compile(r"[\W_]+")


def canonical(text: str) -> str:
    """Content with case, punctuation and spacing ignored: two memories equal here are exact duplicates."""
    return _NOT_WORDS.sub(" ", normalise(text)).strip()


def same_content(a: str, b: str) -> bool:
    """True when a store holds the two texts as one content: uniqueness per user compares normalised text (and a
    superseded memory keeps its content), so two memories of a user can never both hold it."""
    return normalise(a) == normalise(b)
