"""How the rules curator reads a memory's words: phrasing evened out (spelling, synonyms, clipped words, agreement),
content words, names written inside a sentence, counts, negation, and which words two memories share."""

from __future__ import annotations

import re
import unicodedata

from agent_memory.adapters.local.curator_words import CLIPPINGS, NUMBERS, PHRASES, SYNONYMS, americanise
from agent_memory.adapters.local.word_likeness import agent_noun, base, derived, near
from agent_memory.domain.curation import canonical
from agent_memory.domain.text import STOPWORDS, normalise
from agent_memory.domain.topics import stem

NEGATION = re.compile(
    r"\b(not|no longer|never|anymore|don't|doesn't|didn't|isn't|aren't|wasn't|won't|can't|cannot)\b|n't\b"
)
FILLERS = frozenset(
    "really also still usually always currently now very just no longer not never anymore does do did don doesn didn "
    "isn aren wasn won can t".split()
)


FILLER_WORDS = FILLERS | frozenset(
    "really quite pretty much plain stuff things thing both either just also too proper lot bit still please "
    "whole mostly fluently came come comes get gets got".split()
)


def negated(text: str) -> bool:
    # "Beth, not Elizabeth" and "rather than" contrast two values; they do not negate the fact.
    plain = re.sub(r",?\s+(?:not|rather than|instead of)\s+[\w'-]+\s*$|\brather than\b", "", phrased(text))
    return bool(NEGATION.search(plain))


def phrased(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", normalise(text)) if not unicodedata.combining(c))
    plain = plain.replace("\u2019", "'")
    for pattern, replacement in PHRASES:
        plain = pattern.sub(replacement, plain)
    return plain


def content_words(text: str) -> list[str]:
    """Content words once spelling, synonyms and agreement are evened out."""
    out: list[str] = []
    for raw in canonical(phrased(text)).split():
        word = americanise(NUMBERS.get(raw, raw))
        word = CLIPPINGS.get(word, word)
        out.extend(
            base(w)
            for w in SYNONYMS.get(word, word).split()
            if (len(w) > 1 or w.isdigit()) and w not in STOPWORDS | FILLER_WORDS
        )
    return out


def core(text: str) -> frozenset[str]:
    return frozenset(content_words(text))


def names_inside(text: str) -> frozenset[str]:
    """Capitalised words inside the text: names, which a typo rule must not bend ("Linda" is not "Lynda")."""
    return frozenset(w.casefold() for w in re.findall(r"(?<=\s)[A-Z][\w']+", text))


def shared_words(old: frozenset[str], new: frozenset[str], names: frozenset[str]) -> set[str]:
    """Words of `new` also in `old`, a typo of a common (not name) word, or an agent noun of a verb, counting as
    the word."""
    stems = {stem(o) for o in old}
    return {
        w
        for w in new
        if w in old
        or stem(w) in stems
        or (w not in names and any(near(w, o) or agent_noun(w, o) or derived(w, o) for o in old if o not in names))
    }


def numbers_in(text: str) -> frozenset[str]:
    """Counts and ordinals a memory states ("14 dogs", "his 29th season" → 14, 29)."""
    return frozenset(
        re.sub(r"(?<=\d)(?:st|nd|rd|th)$", "", w)
        for w in content_words(text)
        if re.fullmatch(r"\d+(?:st|nd|rd|th)?", w)
    )
