"""How alike two words are for the rules curator: agreement, typos, agent nouns, adjectives of a noun and compounds
written open or closed. Each is a difference of form, not of meaning."""

from __future__ import annotations

import re

from agent_memory.domain.curation import canonical


def base(word: str) -> str:
    """Third-person and plural -s dropped ("likes" → "like", "watches" → "watch"): agreement is no difference."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def near(a: str, b: str) -> bool:
    """One edit apart (insertion, deletion, substitution or swap of neighbours): a typo of a word of 5+ letters."""
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def closed(text: str) -> str:
    """The text with compounds closed up: "bullet points", "bullet-points" and "bulletpoints" are one spelling."""
    return re.sub(r"[\s-]+", "", canonical(text))


def derived(a: str, b: str) -> bool:
    """A noun and its adjective: diabetes/diabetic, allergy/allergic, asthma/asthmatic, anaemia/anaemic."""
    roots = {re.sub(r"(?:atic|ics|ic|es|is|ia|y|a|e)$", "", word) for word in (a, b)}
    return len(roots) == 1 and len(next(iter(roots))) >= 5 and a != b


def agent_noun(a: str, b: str) -> bool:
    """One word is the other's agent noun: teach/teacher, bake/baker, run/runner, garden/gardener."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return len(short) >= 4 and long in {short + "er", short + "r", short + short[-1] + "er"}
