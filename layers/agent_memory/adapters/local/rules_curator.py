"""Deterministic, offline curation: how two close memories relate, topic labels, entities and thread summaries.

The rules read memories in the third-person form extraction writes ("Lives in Berlin", "Their favourite colour is
blue", "Does not like coffee"). A Bedrock model answers the same questions in production.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from agent_memory.adapters.local.curator_text import (
    FILLERS,
    content_words,
    core,
    names_inside,
    negated,
    numbers_in,
    phrased,
    shared_words,
)
from agent_memory.adapters.local.curator_words import (
    EXCLUSIVE_PAIRS,
    NOW_NOT_CHANGE,
    OUTCOME,
    PENDING,
    UPDATE,
)
from agent_memory.adapters.local.entity_typing import Mention, recognise_all
from agent_memory.adapters.local.meaning_rules import (
    PAST_FORM,
    MeaningScale,
    PairSignals,
    denied_words,
    reports_event,
    reread,
    shared_names,
    tells_of_the_past,
)
from agent_memory.adapters.local.memory_subject import about, kin, possessor, slot
from agent_memory.adapters.local.relation_rules import relations_in
from agent_memory.adapters.local.rules_extractor import RulesExtractor
from agent_memory.adapters.local.word_likeness import closed
from agent_memory.domain.conversation import Message, Role
from agent_memory.domain.curation import MergeAction, MergeDecision, canonical
from agent_memory.domain.gazetteers import DIETS
from agent_memory.domain.knowledge import Knowledge, link
from agent_memory.domain.models import Entity
from agent_memory.domain.text import STOPWORDS
from agent_memory.domain.topics import LIFE_TOPICS, life_topics, stem, topics_of

SAME_WORDING = 0.8
"""Share of content words two memories must have in common (Jaccard) to say the same thing."""
PARAPHRASE_WORDING = 0.6
"""A lower share that still says the same thing once spelling, synonyms and typos are evened out."""
_SINGLE_VALUED = frozenset({"lives_in", "works_at", "works_as", "born_in"})
_DIETS = frozenset(DIETS.split("|")) - {"halal", "kosher", "jain", "sattvic"} | {"omnivore"}

MAX_SUMMARY_FACTS = 3

_PLAN = re.compile(
    r"\b(thinking about|thinking of|planning|plans to|plan to|going to|getting|training for|saving for|hoping to|"
    r"wants to|will|considering|about to|looking for)\b"
)
# A plan is reported carried out in the past tense ("adopted", "took", "went").
_PAST = re.compile(PAST_FORM)
_ADDITION = re.compile(r"\b(also|too|as well)\b")
_CONTRAST = re.compile(r"([\w' -]+?),?\s+not\s+(?:in |at |on |the |an? )?([\w'-]+(?: [\w'-]+)?)\s*[.!]?$")
_SINCE = re.compile(r"\bsince\b|\bin (?:\w+ ){0,2}(?:years|months|weeks|ages|a while|a long time)\b")


def _plan_done(older: str, newer: str, old_plain: str, new_plain: str) -> bool:
    """The newer memory tells in the past tense of doing what the older planned, and names nothing else in its
    place ("Wants to learn Italian", "Learned French at school" is another language)."""
    if not _PLAN.search(old_plain) or _PLAN.search(new_plain) or not _PAST.search(new_plain):
        return False
    return not _names_differ(older, newer)


def _names_differ(older: str, newer: str) -> bool:
    """Each memory names something the other does not ("Italian" and "French", "Leo" and "Sam")."""
    old_names, new_names = _proper_names(older), _proper_names(newer)
    return bool(old_names - new_names) and bool(new_names - old_names)


_SPANS = frozenset("second minute hour day night week month year decade".split())


def _denies_narrower(old_core: frozenset[str], new_plain: str) -> bool:
    """The denial carries a qualifier the older fact lacks, so it denies a narrower fact ("Lives in London", "Does
    not live in central London"); "Does not live in Leeds, but in York" and "Does not like coffee or tea" deny the
    older fact itself."""
    clauses = denied_words(new_plain)
    alternatives = [part for clause in clauses for part in re.split(r"\b(?:or|nor)\b", clause)]
    return bool(alternatives) and not any(
        set(content_words(part)) <= old_core | {"like", "dislike"} for part in alternatives
    )


def _counted(text: str) -> frozenset[str]:
    """What a memory counts: the word after each number ("cups" in "3 cups of coffee"); spans of time are one kind
    ("six months" sober, then "a year")."""
    words = content_words(text)
    after = (word for number, word in itertools.pairwise(words) if number.isdigit())
    return frozenset("span" if stem(word) in _SPANS or word in _SPANS else word for word in after)


def _same_count(older: str, newer: str) -> bool:
    """Two counts that may be one count changed: they count the same thing and name no one else ("Her son Leo is
    8" and "Her son Sam is 12" are two sons; "3 cups of coffee" and "2 litres of water" two drinks)."""
    counted = _counted(older), _counted(newer)
    if all(counted) and not counted[0] & counted[1]:
        return False
    return not _names_differ(older, newer)


@lru_cache(maxsize=4096)  # a pair's texts are read for people, names and entities, and each text is in many pairs
def _mentions(text: str) -> tuple[Mention, ...]:
    return tuple(recognise_all([text])[0])


def _entity_names(text: str) -> frozenset[str]:
    return frozenset(" ".join(content_words(m.name)) for m in _mentions(text) if m.type != "date")


def _updates(plain: str) -> set[str]:
    """The update cues of a memory, without a "now" that marks an ongoing activity or an added fact."""
    return {m.group() for m in UPDATE.finditer(NOW_NOT_CHANGE.sub("", plain))}


def _corrects(old_core: frozenset[str], shared: set[str], old_plain: str, new_plain: str) -> bool:
    """The newer memory sets a value right against the older one: "… in Leeds, not Manchester", where the older
    said Manchester (and did not already deny it: "Beth rather than Elizabeth") and the two share more than the wrong
    value (so "Wants a cat, not a dog" does not correct "Has a dog")."""
    match = _CONTRAST.search(new_plain)
    if match is None:
        return False
    right, wrong = content_words(match.group(1)), content_words(match.group(2))
    cues = {"actually", "correction"}
    right = [w for w in right if w not in cues]
    denied = {
        w
        for phrase in re.findall(r"\b(?:not|rather than|instead of|over)\s+([\w' -]+)", old_plain)
        for w in content_words(phrase)
    }
    return (
        bool(right and wrong and shared - set(wrong)) and set(wrong) <= old_core - denied and not set(right) <= old_core
    )


def _stopped(new_plain: str) -> bool:
    """A negated perfect with a starting point or a span ("hasn't played since …", "hasn't smoked in two years"):
    the habit of the older memory ended."""
    return bool(_SINCE.search(new_plain))


def _people(text: str) -> frozenset[str]:
    return frozenset(m.name.casefold() for m in _mentions(text) if m.type == "person")


def _named_in_both(older: str, newer: str) -> frozenset[str]:
    """The people (or pets) both memories name: names both write that are not a place, an employer or another
    thing in both ("IBM" in "Works at IBM" and "Her father worked at IBM" is no one)."""

    def things(text: str) -> set[str]:
        """The words of what a memory names that is no person ("new" and "york" of "New York")."""
        return {
            word.removesuffix("'s")
            for m in _mentions(text)
            if m.type not in {"person", "animal"}
            for word in m.name.casefold().split()
        }

    named = shared_names(older, newer) - (things(older) & things(newer))
    return frozenset(named) | (_people(older) & _people(newer))


def _proper_names(text: str) -> frozenset[str]:
    """Capitalised names of places, people and things a memory names (not dates, not common nouns)."""
    return frozenset(m.name.casefold() for m in _mentions(text) if m.type != "date" and m.name[:1].isupper())


def _diets(plain: str) -> frozenset[str]:
    """The diets a memory names (vegan, keto …): one diet at a time, so a new one replaces the old."""
    return frozenset(diet for diet in _DIETS if re.search(rf"\b{re.escape(diet)}\b", plain))


# A fact held beside the other, once held, or only imagined: no new value of a one-value fact.
_NOT_INSTEAD = re.compile(
    r"\b(?:also|as well|on the side|used to|would|could|might|if|someday|one day)\b|^(?:lived|worked)\b"
)


def _changed_fact(older: str, newer: str) -> str | None:
    """A single-valued fact (where someone lives or works, their job) with a new value."""
    if _NOT_INSTEAD.search(phrased(newer)) or _NOT_INSTEAD.search(phrased(older)):
        return None
    old = {(s, p): o for s, p, o in relations_in(older) if p in _SINGLE_VALUED}
    new: dict[tuple[str, str], set[str]] = {}
    for s, p, o in relations_in(newer):
        new.setdefault((s.casefold(), p), set()).add(" ".join(content_words(o)))
    for (subject, predicate), value in old.items():
        values = new.get((subject.casefold(), predicate))
        if values and not any(set(content_words(value)) & set(v.split()) for v in values):
            return f"a new value of {predicate} replaces the old one"
    return None


def _values_differ(older: str, newer: str) -> bool:
    """The same words around one word that differs on each side: another value in the same frame."""
    old_core, new_core = core(older), core(newer)
    names = names_inside(older) | names_inside(newer)
    only_new = new_core - shared_words(old_core, new_core, names)
    only_old = old_core - shared_words(new_core, old_core, names)
    return bool(old_core & new_core) and len(only_old) == len(only_new) == 1


def _signals(older: str, newer: str, about_different_people: bool) -> PairSignals:
    old_plain, new_plain = phrased(older), phrased(newer)
    old_numbers, new_numbers = numbers_in(older), numbers_in(newer)
    plan_done = _plan_done(older, newer, old_plain, new_plain)
    # A correction denies something the older memory says, and nothing it does not ("Is not allergic to almonds"
    # does not correct "Is allergic to peanuts").
    old_core = core(older)
    denied = [set(content_words(phrase)) for phrase in denied_words(new_plain)]
    # A new count changes the old one only when it counts the same thing ("2 dogs" is not replaced by "3 cats").
    old_rest, new_rest = old_core - old_numbers, core(newer) - new_numbers
    recounted = (
        old_numbers != new_numbers
        and bool(shared_words(old_rest, new_rest, names_inside(older) | names_inside(newer)))
        and _same_count(older, newer)
    )
    return PairSignals(
        about_different_people=about_different_people,
        shares_a_name=bool(_named_in_both(older, newer)),
        changes=bool(_updates(new_plain) - _updates(old_plain))
        or bool(old_numbers and new_numbers and recounted)
        or plan_done,
        corrects=any(words and words <= old_core for words in denied) and not denied_words(old_plain),
        reports_event=reports_event(new_plain) and not reports_event(old_plain),
        negation_differs=negated(older) != negated(newer),
        tense_differs=tells_of_the_past(old_plain) != tells_of_the_past(new_plain),
        names_differ=_names_differ(older, newer),
        values_differ=_values_differ(older, newer),
    )


_DIFFERENT_FACTS = "different facts"
_DIFFERENT_PEOPLE = "facts about different people"


class RulesCurator:
    """Word rules, and with a calibrated sentence model's cosine (`meaning`), a second reading of the pairs the
    word rules leave as different facts (meaning_rules)."""

    name = "rules"

    def __init__(self, meaning: MeaningScale | None = None) -> None:
        self._meaning = meaning

    def decide_merge(self, older: str, newer: str, similarity: float | None = None) -> MergeDecision:
        decision = self._by_words(older, newer)
        if similarity is None or self._meaning is None or decision.reason not in {_DIFFERENT_FACTS, _DIFFERENT_PEOPLE}:
            return decision
        signals = _signals(older, newer, about_different_people=decision.reason == _DIFFERENT_PEOPLE)
        return reread(decision, signals, similarity, self._meaning, newer)

    def _by_words(self, older: str, newer: str) -> MergeDecision:
        if canonical(older) == canonical(newer):
            return MergeDecision(MergeAction.MERGE, "same words")
        if closed(older) == closed(newer):
            return MergeDecision(MergeAction.MERGE, "same words, a compound written open or closed")
        together = _named_in_both(older, newer) - possessor(older) - possessor(newer)
        if about(older) != about(newer) and not together:
            return MergeDecision(MergeAction.KEEP_BOTH, _DIFFERENT_PEOPLE)
        old_core, new_core = core(older), core(newer)
        names = names_inside(older) | names_inside(newer)
        shared = shared_words(old_core, new_core, names)
        old_plain, new_plain = phrased(older), phrased(newer)
        changed = _changed_fact(older, newer)
        if changed is not None:
            return MergeDecision(MergeAction.SUPERSEDE, changed)
        diets = _diets(old_plain), _diets(new_plain)
        if all(diets) and diets[0] != diets[1] and not negated(older) and not negated(newer):
            return MergeDecision(MergeAction.SUPERSEDE, "a new diet replaces the old one")
        if shared and _updates(new_plain) - _updates(old_plain):
            return MergeDecision(MergeAction.SUPERSEDE, "the newer memory updates or corrects the older one")
        if shared and _plan_done(older, newer, old_plain, new_plain):
            return MergeDecision(MergeAction.SUPERSEDE, "a plan the newer memory says was carried out")
        if shared and _corrects(old_core, shared, old_plain, new_plain):
            return MergeDecision(MergeAction.SUPERSEDE, "the newer memory corrects a value of the older one")
        if shared and PENDING.search(old_plain) and not PENDING.search(new_plain) and OUTCOME.search(new_plain):
            return MergeDecision(MergeAction.SUPERSEDE, "the newer memory reports the outcome the older one awaited")
        for one, other in EXCLUSIVE_PAIRS:
            was, now = {one, other} & set(old_plain.split()), {one, other} & set(new_plain.split())
            if was and now and was != now:
                return MergeDecision(MergeAction.SUPERSEDE, f"{one} or {other}: the newer value replaces the older")
        old_numbers, new_numbers = numbers_in(older), numbers_in(newer)
        rest_old, rest_new = old_core - old_numbers, new_core - new_numbers
        recount = bool(old_numbers and new_numbers) and old_numbers != new_numbers and _same_count(older, newer)
        if recount and rest_old and rest_new:  # noqa: SIM102
            if len(shared_words(rest_old, rest_new, names)) / min(len(rest_old), len(rest_new)) >= 0.5:
                return MergeDecision(MergeAction.SUPERSEDE, "a count or value changed")
        opposite = negated(older) != negated(newer) or (("dislike" in old_core) != ("dislike" in new_core))
        if opposite:
            stripped = {w for w in old_core ^ new_core if w not in {"dislike", "like", "likes"}}
            narrower = _denies_narrower(old_core, new_plain)
            if len(shared - {"dislike", "like"}) >= 1 and len(stripped) <= 1 and not narrower:
                return MergeDecision(MergeAction.SUPERSEDE, "the newer memory says the opposite")
            if shared - {"dislike", "like"} and negated(newer) and not negated(older) and _stopped(new_plain):
                return MergeDecision(MergeAction.SUPERSEDE, "the newer memory says the older habit stopped")
            return MergeDecision(MergeAction.KEEP_BOTH, _DIFFERENT_FACTS)
        relatives = kin(old_plain), kin(new_plain)
        if all(relatives) and relatives[0] != relatives[1]:
            return MergeDecision(MergeAction.KEEP_BOTH, _DIFFERENT_PEOPLE)  # "… to her mother", "… to her brother"
        old_slot, new_slot = slot(older), slot(newer)
        if old_slot is not None and new_slot is not None and old_slot[0] == new_slot[0]:
            old_value, new_value = core(old_slot[1]), core(new_slot[1])
            if old_value == new_value or len(old_value & new_value) / len(old_value | new_value) >= SAME_WORDING:
                return MergeDecision(MergeAction.MERGE, f"same {old_slot[0]}")
            return MergeDecision(MergeAction.SUPERSEDE, f"a new {old_slot[0]} replaces the old one")
        longer = newer if len(newer) > len(older) else older
        same_names = _entity_names(older)
        if len(same_names) >= 2 and same_names == _entity_names(newer):
            return MergeDecision(MergeAction.MERGE, "the same things named", merged_content=longer)
        stated = set(relations_in(older))
        if same_names and same_names == _entity_names(newer) and stated and stated == set(relations_in(newer)):
            return MergeDecision(MergeAction.MERGE, "the same fact about the same things", merged_content=longer)
        union = old_core | new_core
        overlap = len(shared) / (len(union) - (len(shared) - len(old_core & new_core))) if union else 0.0
        contained = len(shared) / min(len(old_core), len(new_core)) if old_core and new_core else 0.0
        addition = bool(_ADDITION.search(new_plain)) and not _ADDITION.search(old_plain)
        if not addition and (overlap >= SAME_WORDING or (contained == 1.0 and min(len(old_core), len(new_core)) >= 2)):
            return MergeDecision(MergeAction.MERGE, f"{overlap:.0%} of the words are shared", merged_content=longer)
        if not addition and overlap >= PARAPHRASE_WORDING:
            return MergeDecision(MergeAction.MERGE, f"{overlap:.0%} of the words are shared", merged_content=longer)
        return MergeDecision(MergeAction.KEEP_BOTH, _DIFFERENT_FACTS)

    def label_topic(self, samples: Sequence[str]) -> str:
        # The life topic most of the samples are about, else the lexicon topic they touch most, else a common word.
        life = Counter(topic for topic in life_topics(list(samples)) if topic is not None)
        if life:
            return sorted(life.items(), key=lambda item: (-item[1], LIFE_TOPICS.index(item[0])))[0][0]
        topics = Counter(topic for sample in samples for topic in topics_of(sample))
        if topics:
            return sorted(topics.items(), key=lambda item: (-item[1], item[0]))[0][0]
        words = Counter(
            word
            for sample in samples
            for word in set(canonical(sample).split())
            if len(word) >= 4 and word not in STOPWORDS and word not in FILLERS
        )
        if not words:
            return "misc"
        return sorted(words.items(), key=lambda item: (-item[1], item[0]))[0][0]

    def entities(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]:
        # One user's memories together: a name typed by a clear cue in one memory keeps its type in the others.
        return [
            tuple(Entity.named(mention.name, mention.type) for mention in mentions) for mentions in recognise_all(texts)
        ]

    def relations(self, texts: Sequence[str]) -> list[tuple[tuple[str, str, str], ...]]:
        """(subject, predicate, object) facts each memory states; the subject is "user" or a named person."""
        return [tuple(relations_in(text)) for text in texts]

    def knowledge(self, texts: Sequence[str]) -> list[Knowledge]:
        """Entities and the (subject, predicate, object) facts each memory states; the subject is the user or a
        named person."""
        return [
            (entities, link(relations_in(text), entities))
            for text, entities in zip(texts, self.entities(texts), strict=True)
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
