"""A small topic lexicon: the rules extractor labels facts with it, and recall maps a question onto the same topics
("What language should I use?" → programming) so a question finds facts it shares no word with."""

from __future__ import annotations

import re

TOPIC_WORDS: dict[str, frozenset[str]] = {
    "programming": frozenset(
        "python javascript typescript java rust golang go kotlin swift ruby php c++ c# language languages code "
        "coding backend frontend programming programmer developer framework library compiler".split()
    ),
    "food": frozenset(
        "food eat eating cook cooking vegetarian vegan meat fish dinner lunch breakfast restaurant cuisine dish "
        "pizza pasta sushi coffee tea drink spicy sweet".split()
    ),
    "health": frozenset(
        "allergic allergy allergies doctor medicine medication sick illness diabetes asthma diet health gluten "
        "lactose peanuts injury hospital".split()
    ),
    "travel": frozenset(
        "travel trip flight flights fly flying seat seats airline hotel vacation holiday airport passport "
        "abroad visit visiting".split()
    ),
    "work": frozenset(
        "work job career office boss colleague colleagues manager engineer company employer salary startup "
        "team project meeting".split()
    ),
    "family": frozenset(
        "wife husband partner son daughter child children kids mother mom father dad brother sister family "
        "parents grandmother grandfather".split()
    ),
    "home": frozenset("live lives living moved move moving house apartment flat city town home neighborhood".split()),
    "hobbies": frozenset(
        "hobby hobbies play playing guitar piano music sport sports football soccer tennis running hiking "
        "reading books chess painting photography games gaming".split()
    ),
    "pets": frozenset("dog dogs cat cats pet pets puppy kitten".split()),
    "schedule": frozenset(
        "tomorrow tonight weekend monday tuesday wednesday thursday friday saturday sunday week month "
        "appointment deadline schedule".split()
    ),
}
_WORD = re.compile(r"[a-z][a-z+#]*")


def topics_of(text: str, limit: int = 3) -> tuple[str, ...]:
    """The lexicon topics a text touches, the most-hit first."""
    words = _WORD.findall(text.casefold())
    counts = {topic: sum(word in vocabulary for word in words) for topic, vocabulary in TOPIC_WORDS.items()}
    ranked = sorted((topic for topic, hits in counts.items() if hits), key=lambda topic: (-counts[topic], topic))
    return tuple(ranked[:limit])
