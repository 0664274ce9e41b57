"""Who a memory is about and the one-value-at-a-time fact it states: what the rules curator compares before the
words (a fact about a sister is not a fact about the user; a second place of residence replaces the first)."""

from __future__ import annotations

import re

from agent_memory.adapters.local.curator_words import SYNONYMS, americanise
from agent_memory.domain.curation import canonical
from agent_memory.domain.text import normalise
from agent_memory.domain.topic_words import FRIENDS, JOBS, RELATIVES

_OWNER = r"their|her|his|my"
# Facts that hold one value at a time: a second value replaces the first. (slot name, pattern with the value last)
EXCLUSIVE_SLOTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "residence",
        re.compile(r"^(?:now |currently )?(?:lives|is living|resides|has moved|moved|relocated) (?:in|to) (.+)$"),
    ),
    ("employer", re.compile(r"^(?:now |currently )?(?:works|is working) (?:at|for) (.+)$")),
    ("role", re.compile(r"^(?:now |currently )?works as (?:an? )?(.+)$")),
    ("role", re.compile(rf"^(?:now |currently )?is (?:now )?an? ((?:[\w-]+ ){{0,2}}(?:{JOBS}))$")),
    ("favourite", re.compile(rf"^(?:(?:{_OWNER}) )?(?:favou?rite \w+) is (.+)$")),
    ("name", re.compile(rf"^(?:(?:{_OWNER}) )?((?:\w+ )?(?:name|\w+'s name)) is (.+)$")),
    ("called", re.compile(rf"^(?:(?:{_OWNER}) )?(\w+(?: \w+)?) is (?:called|named) (.+)$")),
    ("age", re.compile(r"^(?:is|is now|now|turned|just turned|has (?:just )?turned) (\d+)(?: years old)?\b")),
    ("preference", re.compile(r"^(?:now |currently )?prefers (\S+(?: \S+){0,2})$")),
)

_KIN = "|".join(word for word in RELATIVES.split("|") if not word.startswith("marr"))
# "Tom, her brother, …": a name set before its relative in commas is about that relative.
_APPOSED = r"(?:[\w\u00c0-\u024f'-]+,\s+(?=(?:her|his|their|my|our)\s))?"
# How a memory about someone opens: a cue word, then perhaps a name set before its relative in commas.
_OPENING = r"^(?:(?:actually|correction|update|so|also|now|btw)[,:]?\s+)?" + _APPOSED
_ABOUT = re.compile(
    _OPENING + r"(?:(?:her|his|their|my|our)\s+)?"
    rf"(?:(?:older|younger|little|big|elder|best|close)\s+)?({_KIN}|{FRIENDS})\b(?!-)"
)
# People a memory is about only when it says whose they are ("Her boss …": "Manager at Tesco" is the user's job).
_OWNED = re.compile(
    _OPENING + r"(?:her|his|their|my|our)\s+"
    r"(?:(?:old|new|older|younger|little|big|elder|best|close|former)\s+)?"
    r"(colleague|co-?worker|boss|manager|neighbou?r|coach|landlord|landlady|mentor|classmate|teammate|tutor|"
    r"therapist|supervisor)\b(?!-)"
)
_POSSESSED = re.compile(
    rf"^([A-Z][\w\u00c0-\u024f]+)'s\s+(?:(?:older|younger|little|big|elder|best|close)\s+)?({_KIN}|{FRIENDS})\b(?!-)"
)


def slot(text: str) -> tuple[str, str] | None:
    """(slot, value) of a single-valued fact; the slot includes what is named ("favourite colour")."""
    plain = normalise(text).rstrip(".!")
    for name, pattern in EXCLUSIVE_SLOTS:
        match = pattern.match(plain)
        if match is not None:
            groups = match.groups()
            key = name if len(groups) == 1 else f"{name}:{groups[0]}"
            if name == "favourite":
                key = americanise(re.sub(rf"^(?:{_OWNER}) ", "", plain[: plain.index(" is ")]))
            return key, canonical(groups[-1])
    return None


def about(text: str) -> str:
    """Who a memory is about: the relative or friend it opens with ("Her sister has …", "Mum's name is …", "Ana's
    brother …"), else the user."""
    possessed = _POSSESSED.match(text.replace("\u2019", "'"))
    if possessed is not None:
        return f"{possessed.group(1).casefold()}'s {americanise(possessed.group(2).casefold())}"
    plain = normalise(text).replace("\u2019", "'")
    match = _ABOUT.match(plain) or _OWNED.match(plain)
    who = americanise(match.group(1)) if match else "user"
    return SYNONYMS.get(who, who)


def possessor(text: str) -> frozenset[str]:
    """The person a memory names only as the owner of its subject: "Ana" in "Ana's brother moved to Rome"."""
    possessed = _POSSESSED.match(text.replace("\u2019", "'"))
    return frozenset({possessed.group(1).casefold()}) if possessed else frozenset()


def kin(plain: str) -> frozenset[str]:
    """The relatives and friends a memory names ("mum" and "mother" are one)."""
    return frozenset(SYNONYMS.get(w, w) for w in map(americanise, re.findall(rf"\b(?:{_KIN}|{FRIENDS})\b", plain)))
