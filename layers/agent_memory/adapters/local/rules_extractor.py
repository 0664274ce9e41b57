"""Deterministic, offline fact extraction from conversations: first-person facts, preferences, plans, relationships
and corrections said by the user, rewritten in the third person. Questions, greetings, requests to the assistant,
and assistant/system/tool text are never facts."""

from __future__ import annotations

import re
from collections.abc import Sequence

from agent_memory.adapters.local.entity_typing import recognise
from agent_memory.domain.conversation import EntityMention, ExtractedFact, FactKind, Message, Role
from agent_memory.domain.topics import topics_of

MAX_FACT_CHARS = 300

_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_QUESTION_START = re.compile(
    r"^(what|how|why|when|where|who|whom|whose|which|can you|could you|would you|will you|do you|did you|"
    r"are you|is it|is there|should i|shall i|may i|can i|could i|do i|am i)\b"
)
_GREETING = re.compile(
    r"^(hi|hello|hey|thanks|thank you|thx|ok|okay|bye|goodbye|good (morning|afternoon|evening|night)|cheers|"
    r"great|cool|sure|yes|no|yeah|nope|sounds good|got it)\b"
)
_LEAD_IN = re.compile(r"^(oh|well|so|btw|by the way|also|and|but|hmm|um|ok|okay)\b[,\s]*", re.IGNORECASE)
_CORRECTION_LEAD = re.compile(r"^(actually|correction|sorry,? i meant|i meant|to be clear)\b[,:\s]*", re.IGNORECASE)
_NOT_FACTS = re.compile(
    r"^i (want|need|would like|'d like) you\b|^i('m| am) (asking|wondering|curious|trying to understand)\b|"
    r"^i (think|guess|wonder|mean|see|know|understand|agree|suppose|bet|hope so|doubt)\b|^please\b|"
    r"^i('m| am) not sure\b"
)
_EPHEMERAL = re.compile(
    r"^i('m| am) (so |very |really |a bit |kind of )?(tired|hungry|thirsty|bored|fine|ok|okay|good|great|busy|here|"
    r"back|sure|sorry|done|ready|confused|lost|excited|happy|sad|stressed|home)\b"
)
_FIRST_PERSON = re.compile(r"^(i|i'm|i've|i'd|i'll|my)\b")
_PREFERENCE_POSITIVE = re.compile(r"\b(prefer|prefers|like|likes|love|loves|enjoy|enjoys|adore|favou?rite)\b")
_PREFERENCE_NEGATIVE = re.compile(
    r"\b(hate|hates|dislike|dislikes|can't stand|cannot stand|don't like|do not like|avoid|detest)\b"
)
_PLAN = re.compile(
    r"\b(going to|planning to|plan to|plans to|will|'ll|intend to|about to|hoping to|want to|would like to|'d like to|"
    r"next (week|month|year|summer|winter|spring|fall))\b"
)
RELATIONS = (
    "wife|husband|partner|girlfriend|boyfriend|son|daughter|child|kid|mother|mom|mum|father|dad|brother|sister|"
    "friend|best friend|boss|manager|colleague|coworker|roommate|neighbor|neighbour|dog|cat|grandmother|grandfather"
)
_RELATIONSHIP = re.compile(rf"\bmy ({RELATIONS})\b")
_ADVERBS = (
    "no longer|really|also|still|usually|always|never|often|sometimes|just|mostly|generally|absolutely|"
    "definitely|currently|recently|now"
)
_MEDICAL = re.compile(r"\b(allerg\w*|diabet\w*|asthma|intoleran\w*|medication|illness|disease|celiac|epilep\w*)")
_PAST_IRREGULAR = frozenset(
    "was were had did went got became grew met left bought took began saw made lost found sold wrote ran "
    "told said thought felt kept gave came heard read spent taught brought built caught chose drove flew "
    "forgot knew paid put quit sent sat slept spoke stood swam understood won born".split()
)
_IRREGULAR = {"have": "has", "do": "does", "go": "goes", "be": "is"}
_LEADING_SUBJECT = [
    (re.compile(r"^i('m| am) not\b", re.IGNORECASE), "Is not"),
    (re.compile(r"^i('m| am)\b", re.IGNORECASE), "Is"),
    (re.compile(r"^i was\b", re.IGNORECASE), "Was"),
    (re.compile(r"^i('ve| have)\b", re.IGNORECASE), "Has"),
    (re.compile(r"^i had\b", re.IGNORECASE), "Had"),
    (re.compile(r"^i('ll| will)\b", re.IGNORECASE), "Will"),
    (re.compile(r"^i('d| would)\b", re.IGNORECASE), "Would"),
    (re.compile(r"^i (can't|cannot|can not)\b", re.IGNORECASE), "Cannot"),
    (re.compile(r"^i can\b", re.IGNORECASE), "Can"),
    (re.compile(r"^i (don't|do not)\b", re.IGNORECASE), "Does not"),
    (re.compile(r"^i (didn't|did not)\b", re.IGNORECASE), "Did not"),
    (re.compile(r"^my\b", re.IGNORECASE), "Their"),
]
_VERB_AFTER_I = re.compile(rf"^i (?:({_ADVERBS}) )?([a-z']+)", re.IGNORECASE)
_PRONOUNS = [
    (re.compile(r"\bmyself\b", re.IGNORECASE), "themselves"),
    (re.compile(r"\bmy\b", re.IGNORECASE), "their"),
    (re.compile(r"\bmine\b", re.IGNORECASE), "theirs"),
    (re.compile(r"\bme\b", re.IGNORECASE), "them"),
    (re.compile(r"\bI'm\b"), "they're"),
    (re.compile(r"\bI\b"), "they"),
]


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCES.split(text) if part.strip()]


def conjugate(verb: str) -> str:
    """Third person singular of a present-tense verb; past forms stay as they are."""
    lower = verb.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if lower.endswith("ed") or lower in _PAST_IRREGULAR:
        return lower
    if re.search(r"(s|sh|ch|x|z|o)$", lower):
        return lower + "es"
    if re.search(r"[^aeiou]y$", lower):
        return lower[:-1] + "ies"
    return lower + "s"


def third_person(sentence: str) -> str:
    text = sentence.strip().rstrip(".!").strip()
    rest: str | None = None
    for pattern, replacement in _LEADING_SUBJECT:
        if match := pattern.match(text):
            rest = replacement + text[match.end() :]
            break
    if rest is None and (match := _VERB_AFTER_I.match(text)):
        adverb, verb = match.group(1), match.group(2)
        head = f"{adverb.capitalize()} {conjugate(verb)}" if adverb else conjugate(verb).capitalize()
        rest = head + text[match.end() :]
    rest = rest if rest is not None else text
    for pattern, replacement in _PRONOUNS:
        rest = pattern.sub(replacement, rest)
    return rest[:1].upper() + rest[1:]


def entities_in(sentence: str) -> tuple[EntityMention, ...]:
    """Named things in a sentence, typed by the gazetteers and context rules of `entity_typing`."""
    return tuple(EntityMention(mention.name, mention.type) for mention in recognise(sentence))


class RulesExtractor:
    name = "rules"
    version = "1"

    def extract(self, messages: Sequence[Message]) -> list[ExtractedFact]:
        facts: dict[str, ExtractedFact] = {}
        for index, message in enumerate(messages):
            if message.role is not Role.USER:
                continue  # what the assistant, the system or a tool says is not a fact about the user
            for sentence in sentences(message.content):
                fact = self._fact(sentence, index)
                if fact is not None:
                    facts.setdefault(fact.content.casefold(), fact)
        return list(facts.values())

    def _fact(self, sentence: str, index: int) -> ExtractedFact | None:
        text = sentence.strip()
        if not text or text.endswith("?"):
            return None
        text = _LEAD_IN.sub("", text)
        correction = bool(_CORRECTION_LEAD.match(text))
        text = _CORRECTION_LEAD.sub("", text).strip()
        lower = text.lower()
        if not text or _QUESTION_START.match(lower) or _NOT_FACTS.match(lower):
            return None
        if _GREETING.match(lower) and len(lower.split()) <= 4:
            return None
        if not _FIRST_PERSON.match(lower):
            return None
        content = third_person(text)
        if len(content) > MAX_FACT_CHARS or len(content.split()) < 2:
            return None
        topics = topics_of(text)
        if _EPHEMERAL.match(lower):
            return ExtractedFact(content, FactKind.FACT, 0.2, 0.0, topics, (), (index,))
        correction = correction or bool(re.search(r"\b(no longer|not .+ anymore|anymore)\b", lower))
        negative = bool(_PREFERENCE_NEGATIVE.search(lower))
        if correction:
            kind, importance = FactKind.CORRECTION, 0.8
        elif negative or _PREFERENCE_POSITIVE.search(lower):
            kind, importance = FactKind.PREFERENCE, 0.65
        elif _RELATIONSHIP.search(lower):
            kind, importance = FactKind.RELATIONSHIP, 0.7
        elif _PLAN.search(lower):
            kind, importance = FactKind.PLAN, 0.55
        else:
            kind, importance = FactKind.FACT, 0.6
        medical = bool(_MEDICAL.search(lower))
        if medical:
            importance = min(1.0, importance + 0.2)  # what could harm the user if forgotten
        valence = -0.6 if negative else 0.6 if kind is FactKind.PREFERENCE else -0.3 if medical else 0.0
        return ExtractedFact(content, kind, importance, valence, topics, entities_in(text), (index,))
