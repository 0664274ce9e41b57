"""A small topic lexicon: the rules extractor labels facts with it, and recall maps a question onto the same topics
("What language should I use?" → programming) so a question finds facts it shares no word with."""

from __future__ import annotations

import re
from functools import lru_cache

from agent_memory.domain.topic_words import FRIENDS, LIFE_TOPICS, PHRASES, RELATIVES, WORDS

__all__ = ["LIFE_TOPICS", "TOPIC_WORDS", "life_topic", "life_topics", "stem", "topic_scores", "topics_of"]

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


# -- life topics: what a memory is about, for grouping a user's memories ------------------------------------------

_SUBTYPE_TOPICS: dict[tuple[str, str], tuple[str, float]] = {
    ("language", "programming"): ("technology", 2.0),
    ("language", "natural"): ("education", 1.5),
    ("framework", "framework"): ("technology", 2.0),
    ("tool", "tool"): ("technology", 2.0),
    ("product", "device"): ("technology", 1.0),
    ("product", "vehicle"): ("finance", 0.5),
    ("product", "medicine"): ("health", 3.0),
    ("product", "financial"): ("finance", 3.0),
    ("food", "food"): ("food", 1.5),
    ("concept", "diet"): ("food", 2.0),
    ("concept", "activity"): ("hobbies", 2.0),
    ("concept", "condition"): ("health", 3.0),
    ("concept", "field"): ("education", 1.0),
    ("animal", "animal"): ("pets", 2.0),
    ("event", "holiday"): ("family", 1.0),
    ("event", "gathering"): ("hobbies", 1.5),
    ("event", "conference"): ("work", 3.0),
}
_TOKEN = re.compile(r"[\w][\w+#&.'\u2019/-]*[\w+#]|[\w]")
_COMMON = frozenset({"food", "concept", "animal"})


def stem(word: str) -> str:
    """A light stem, enough to meet a cue word in its inflections: moved, moving, moves → mov."""
    word = word.casefold().replace("\u2019", "'").removesuffix("'s")
    if len(word) > 4 and word.endswith(("ies", "ied")):
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) - len(suffix) >= 3 and word.endswith(suffix) and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


@lru_cache(maxsize=1)
def _cues() -> tuple[dict[str, tuple[str, ...]], dict[tuple[str, ...], tuple[str, float]], dict[str, str], int]:
    from agent_memory.domain.gazetteers import ONLY_CAPITALISED, SUBTYPES

    words: dict[str, tuple[str, ...]] = {}
    for topic, vocabulary in WORDS.items():
        for word in vocabulary.split():
            words[stem(word)] = tuple(dict.fromkeys((*words.get(stem(word), ()), topic)))
    names: dict[tuple[str, ...], tuple[str, float]] = {}
    lowercase: dict[str, str] = {}
    readings: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for kind, lists in SUBTYPES.items():
        for subtype, entries in lists.items():
            for entry in entries.split("|"):
                readings.setdefault(tuple(entry.split()), []).append((kind, subtype))
    for key, found in readings.items():
        proper = found[0]
        if len(key) == 1 and key[0] in ONLY_CAPITALISED:
            proper = next((r for r in found if r[0] not in _COMMON), found[0])
            common = [r for r in found if r[0] in _COMMON and r != proper]
            if common and common[0] in _SUBTYPE_TOPICS:
                lowercase[key[0]] = _SUBTYPE_TOPICS[common[0]][0]
        if proper in _SUBTYPE_TOPICS:
            names[key] = _SUBTYPE_TOPICS[proper]
        if proper == ("concept", "activity") and len(key) == 1:
            # An activity named by another topic's cue word belongs to that topic: cooking is food, backpacking travel.
            other = [t for t in words.get(stem(key[0]), ()) if t != "work"]
            if other and "hobbies" not in other:
                names[key] = ("|".join(other), names[key][1])
        if ("language", "natural") in found and ("food", "food") in found:
            names[key] = ("education|food", 1.5)  # "Thai": the language or the cuisine, half each
    return words, names, lowercase, max(len(key) for key in names)


def topic_scores(
    text: str, family: frozenset[str] = frozenset(), pets: frozenset[str] = frozenset()
) -> dict[str, float]:
    """How strongly a memory speaks of each life topic: its cue words, the gazetteer names in it (a tool is
    technology, a medicine health, a dish food; a second name of the same topic adds half as much), phrases
    ("prefers answers with …", "moved to …"), and who it is about: a memory whose subject is a relative or friend
    ("Her sister Chloe lives in Leeds"), or one of the user's `family` or `pets` names, is about family or pets."""
    from agent_memory.domain.gazetteers import ONLY_CAPITALISED

    words, names, lowercase, longest = _cues()
    scores: dict[str, float] = dict.fromkeys(LIFE_TOPICS, 0.0)
    named: dict[str, int] = dict.fromkeys(LIFE_TOPICS, 0)
    tokens = [t.rstrip(".") for t in _TOKEN.findall(text)]
    folded = [t.casefold().replace("\u2019", "'").removesuffix("'s") for t in tokens]
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            key = tuple(folded[i : i + size])
            hit = names.get(key) or (names.get((*key[:-1], key[-1][:-1])) if key[-1].endswith("s") else None)
            if size == 1 and key[0] in ONLY_CAPITALISED and not tokens[i][:1].isupper():
                hit = (lowercase[key[0]], 1.5) if key[0] in lowercase else None
            if hit is not None:
                for topic in hit[0].split("|"):
                    scores[topic] += hit[1] / (2 if named[topic] else 1) / len(hit[0].split("|"))
                    named[topic] += 1
                i += size
                break
        else:
            # A compound without a cue of its own is read by its head, its last part: "one-bedroom" is a bedroom.
            head = tokens[i] if stem(tokens[i]) in words else tokens[i].rsplit("-", 1)[-1]
            for topic in words.get(stem(head), ()):
                # A relative after "with", "for" or "to" is company or a recipient, not what the memory is about.
                aside = topic == "family" and not _ASIDE.isdisjoint(folded[max(0, i - 3) : i])
                scores[topic] += 0.5 if aside else 1.0
            i += 1
    lowered = text.casefold()
    for pattern, topic, weight in _PHRASES:
        if pattern.search(lowered):
            scores[topic] += weight
    if _DESTINATION.search(text):
        scores["travel"] += DESTINATION_WEIGHT
    for kind in _FAVOURITE.findall(lowered):  # "favourite dish": the kind of thing liked names the topic
        for topic in words.get(stem(kind), ()):
            scores[topic] += FAVOURITE_WEIGHT
    subject = folded[0] if folded else ""
    if subject in family or _ABOUT_SOMEONE.match(lowered):
        # Where a relative or friend works or lives is a fact about them, so about the user's family.
        scores["work"] = scores["home"] = 0.0
        scores["family"] += SUBJECT_WEIGHT
    if subject in pets:
        scores["pets"] += SUBJECT_WEIGHT
    return scores


def life_topic(text: str, family: frozenset[str] = frozenset(), pets: frozenset[str] = frozenset()) -> str | None:
    """The life topic a memory is most about, or None when no cue reaches LEAST_SCORE. Ties go to the topic first
    in the order of precedence (the more specific topic)."""
    scores = topic_scores(text, family, pets)
    best = max(_PRECEDENCE, key=lambda topic: (scores[topic], -_PRECEDENCE.index(topic)))
    return best if scores[best] >= LEAST_SCORE else None


def life_topics(texts: list[str]) -> list[str | None]:
    """The life topic of each of one user's memories. A name that one memory introduces as a relative, friend or
    pet ("his wife Sarah", "her cat Miso") makes another memory whose subject it is about family or pets."""
    family: set[str] = set()
    pets: set[str] = set()
    for text in texts:
        family.update(name.casefold() for name in _RELATIVE_NAME.findall(text))
        pets.update(name.casefold() for name in _PET_NAME.findall(text))
    return [life_topic(text, frozenset(family - pets), frozenset(pets)) for text in texts]


LEAST_SCORE = 1.0
SUBJECT_WEIGHT = 4.0
FAVOURITE_WEIGHT = 2.0
DESTINATION_WEIGHT = 2.0
_PRECEDENCE = (
    "preferences",
    "health",
    "pets",
    "finance",
    "technology",
    "education",
    "work",
    "food",
    "family",
    "travel",
    "hobbies",
    "home",
)
_PHRASES = [(re.compile(pattern), topic, weight) for pattern, topic, weight in PHRASES]
# Taking someone or something to a named place ("took the kids to Cornwall"), not to school or practice.
_DESTINATION = re.compile(
    r"\b(?i:take|takes|taking|took)\s+(?:\w+\s+){1,5}(?i:to)\s+"
    r"(?:(?:the\s+)?[A-Z]|(?i:see|visit)\s+(?:\w+\s+){0,3}(?i:in)\s+[A-Z])"
)
_FAVOURITE = re.compile(r"\bfavou?rites? (\w+)")
_ABOUT_SOMEONE = re.compile(
    rf"^(?:(?:her|his|their|my|our)\s+)?(?:\w+\s+)?(?:{RELATIVES}|{FRIENDS})\b(?!-)|"
    r"^(?:her|his|their|my|our)\s+(?:eldest|oldest|youngest|firstborn|middle one|little one)\b"
)
_ASIDE = frozenset({"with", "for", "to"})
_RELATIVE_NAME = re.compile(rf"\b(?:{RELATIVES}|{FRIENDS})\b,?\s+(?:(?:is|named|called)\s+)?([A-Z][a-z\u00c0-\u024f]+)")
_PET_NAME = re.compile(
    r"\b(?:dog|cat|puppy|kitten|pup|parrot|rabbit|hamster|tortoise|horse|pet|beagle|spaniel|terrier|retriever|"
    r"collie|kelpie|greyhound|poodle|labrador|coon|tabby)\s+(?:(?:is\s+)?(?:named|called)\s+)?([A-Z][a-z]+)"
)
