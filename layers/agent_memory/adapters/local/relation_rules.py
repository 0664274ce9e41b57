"""Deterministic relation extraction from memory text: (subject, predicate, object) triples.

The subject is "user" for facts about the user, written in the first person ("I live in Lisbon") or in the third
person memories use ("Lives in Lisbon", "She's learning Portuguese"), or a named person ("Her sister Chloe lives in
Leeds" → Chloe lives_in Leeds). Objects are the entities `entity_typing` finds after a trigger phrase, of the types
the predicate takes; a few predicates take a short noun phrase when no entity fits ("prefers dark mode").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent_memory.adapters.local.entity_typing import Mention, recognise
from agent_memory.domain.gazetteers import DIETS, MEDICINES, NATURAL_LANGUAGES
from agent_memory.domain.topic_words import FRIENDS, JOBS, RELATIVES

Triple = tuple[str, str, str]

_TECH = frozenset({"tool", "framework", "language"})
_NATURAL_LANGUAGES = frozenset(NATURAL_LANGUAGES.split("|"))
_DIETS = frozenset(DIETS.split("|"))
_MEDICINE_NAMES = frozenset(MEDICINES.split("|"))
_JOBS, _FAMILY, _FRIENDS = JOBS, RELATIVES, FRIENDS
_KNOWN = r"supervisor|supervised by|boss|manager|colleague|coworker|co-founder|cofounder|mentor|advisor|prof\.?"
_UNNAMED_SUBJECT = re.compile(
    rf"\b(?:{_FAMILY}|{_FRIENDS}|{_KNOWN}|people|everyone|team)\s+(?:is\s+|are\s+|was\s+|were\s+)?(still\s+|also\s+)?$"
)

# (predicate, trigger, object types or "np" for a noun phrase, objects: "first" or "all")
_TRIGGERS: tuple[tuple[str, str, frozenset[str] | str, str], ...] = (
    (
        "born_in",
        r"\bborn (?:and raised )?in|\boriginally from|^from|\bgrew up in(?= \w+, where)",
        frozenset({"place"}),
        "first",
    ),
    (
        "lives_in",
        r"\b(?:lives?|living|lived|based|resides?|moved|moving|relocated)(?: alone| back)? (?:in|to)\b|"
        r"\b(?:came|emigrated|immigrated) to\b|"
        r"\b(?:room|flat|apartment|studio|house) in\b|\bhome is in\b",
        frozenset({"place"}),
        "first",
    ),
    (
        "works_at",
        rf"\b(?:works?|working|worked)(?: part-time| full-time| remotely)? (?:at|for)\b|"
        rf"\b(?:{_JOBS})s? at\b|\bjoined\b|\bemployed by\b|\b(?:freelances?|freelancing|contracts?|consults?) for\b|"
        r"\b(?:interns?|interning|teaches|lectures) at\b",
        frozenset({"organization", "tool"}),
        "first",
    ),
    (
        "learning",
        r"\blearning\b|\btaking (?:\w+ )?classes in\b|\bpicking up\b|\bteaching (?:him|her|my|them)sel(?:f|ves)\b|"
        r"\bbrushing up on\b|\b(?:taking|takes|started|having) (?=\w+ (?:lessons|classes)\b)",
        frozenset({"language", "tool", "framework", "concept"}),
        "all",
    ),
    (
        "studies",
        r"\b(?:studies|studying|studied|student|degree|msc|bsc|ba|phd|master's|masters|thesis on|course in|"
        r"major(?:ed)? in|graduated from|trained at|went to|starts? school at|started at|enrolled at)\b",
        frozenset({"concept", "organization"}),
        "all",
    ),
    (
        "speaks",
        r"\b(?:speaks?|speaking|fluent in|native|bilingual in|(?:first|mother) (?:language|tongue) is)\b",
        frozenset({"language"}),
        "all",
    ),
    (
        "allergic_to",
        r"\ballergic to\b|\bintolerant to\b|\ballerg(?:y|ies) to\b|\breacts? badly to\b|\bgets hives from\b|"
        r"\bcan(?:'t|not) (?:eat|have|tolerate|digest)\b",
        frozenset({"food", "animal", "product", "concept"}),
        "all",
    ),
    (
        "dislikes",
        r"\b(?:does(?:n't| not)|do(?:n't| not)|never) (?:really )?(?:like|enjoy|trust)s?\b|\bhates?\b|"
        r"\bdislikes?\b|\bcan(?:'t|not) stand\b|\bnot (?:really )?a fan of\b|\bavoids?\b",
        "np",
        "first",
    ),
    (
        "prefers",
        r"\blikes? (?=\S+(?: \S+)? (?:a lot |much |far )?(?:more|better) than)|\bprefers?\b|"
        r"\b(?:'d|would) rather(?: use)?\b|\bwants? (?:answers|replies|responses) in\b|"
        r"\bwants? to move (?:\w+ ){0,2}to\b|\bwants\b(?= (?:\w+ )?(?:answers|replies|responses))",
        "np",
        "first",
    ),
    ("likes", r"\bfavou?rite (?:\w+ )?is\b|\breads\b", "np", "all"),
    (
        "likes",
        r"\b(?:likes?|loves?|enjoys?|adores?|addicted to|misses|supports?|barracks for|fan of|follows|"
        r"drinks|into|obsessed with|can't get enough of|passionate about|keen on|hooked on|crazy about|"
        r"mad about|watches)\b",
        frozenset({"food", "concept", "organization", "event"}),
        "all",
    ),
    ("likes", r"\b(?:plays?|playing|goes|does|practi[cs]es|took up)\b", frozenset({"concept"}), "all"),
    (
        "uses",
        r"\b(?:uses?|using|runs?|writes?|wrote|built|builds|deploys?|codes? in|works? (?:in|with)|"
        r"relies on|takes|switched to|editor|driver)\b",
        frozenset({"tool", "framework", "language", "product"}),
        "all",
    ),
    (
        "knows",
        r"\bknows\b|\bsupervised by\b|\b(?:supervisor|co-?founder|mentor|advisor)(?: is)?\b",
        frozenset({"tool", "framework", "language", "person", "concept"}),
        "all",
    ),
    (
        "owns",
        r"\b(?:bought|owns?|drives?|purchased|contributes to|maxes out|puts .{0,30} into|leases?)\b",
        frozenset({"product", "organization"}),
        "all",
    ),
    (
        "visited",
        r"\b(?:visited|went|been to|was in|travell?ed (?:to|around|through)|took (?:\w+ ){0,3}to|attended|"
        r"spent (?:\w+ ){0,3}in|backpacked (?:around|through|across|in)|(?:honeymooned|holidayed|vacationed) in|"
        r"toured|explored)\b",
        frozenset({"place"}),
        "all",
    ),
    (
        "plans_to_visit",
        r"\b(?:going(?: back)? to|planning (?:a trip )?to|plans? to visit|trip to|plan:|"
        r"wants? to (?:visit|go|see)|would love to (?:visit|go|see)|hoping to (?:visit|go)|flying (?:home |back )?to|"
        r"heading to|headed to|off to|dreams? of|go back|hop(?:e|es|ing) to (?:see|visit|go to)|"
        r"would like to (?:visit|go to|see)|wants? to see|bucket list)\b|\bplan:",
        frozenset({"place"}),
        "all",
    ),
)
_COMPILED = [(p, re.compile(t, re.IGNORECASE), kinds, how) for p, t, kinds, how in _TRIGGERS]
_HARD_STOP = re.compile(
    r"[;:!?()]|(?<!prof)(?<!dr)(?<!mr)(?<!mrs)(?<!ms)(?<!st)\.|\s[-\u2013\u2014]\s(?!mostly|especially|mainly|probably|maybe)|"
    r"\band\s+(?:still\s+|also\s+|then\s+)?[a-z]+s\s+(?=[a-z])|\b(?:but|though|although|so|because|since|which|where|when|while|even|after|before|"
    r"until|instead|rather than|over|than|then)\b|,\s+(?:she|he|they|her|his|their|i|my|who|and|says|reckons)\b",
    re.IGNORECASE,
)
_LIKED = frozenset({"food", "concept", "organization", "event"})
_NP_STOP = re.compile(
    r"\s+(?:over|than|rather|without|with|in|for|to|when|because|even|instead|at|on|from|much|anymore|any more)\b|"
    r"[;:.!?(]|,\s+(?:she|he|they|says|reckons|still|so)\b|\s[-\u2013\u2014]\s",
    re.IGNORECASE,
)


@dataclass(slots=True)
class _Hit:
    predicate: str
    start: int
    end: int
    kinds: frozenset[str] | str
    how: str
    subject: str = "user"
    scope_end: int = 0


def _subject(text: str, start: int, people: list[Mention], previous: _Hit | None) -> str | None:
    """Who a trigger at `start` is about: a named person just before it, the person a "she"/"who" refers to, the
    subject of the clause it continues ("… lives in Denver and works for …"), else the user; None when an unnamed
    person is the subject ("her parents still live there")."""
    before = text[:start]
    for person in reversed(people):
        if person.end <= start:
            gap = text[person.end : start].lower()
            if re.fullmatch(r"\W*(?:who\s+)?(?:(?:is|was|has been|also|still|now|just)\s+)*(?:(?:an?|the)\s+)?", gap):
                return person.name
            if re.fullmatch(r",\s+(?:who|she|he)(?:'s|\s+is)?\s+(?:an?\s+)?.*", gap) and "," not in gap[1:]:
                return person.name
            break
    if _UNNAMED_SUBJECT.search(before.lower()):
        return None
    if previous is not None:
        between = text[previous.start : start]
        if re.search(r"\band\s+$", between) and not re.search(r"[;:.!?]|\s[-\u2013\u2014]\s|,", between):
            return previous.subject
    return "user"


def _noun_phrase(text: str) -> str | None:
    stop = _NP_STOP.search(text)
    phrase = text[: stop.start() if stop else len(text)].strip(" ,")
    phrase = re.sub(r"^(?:(?:the|a|an|her|his|their|my|being|to|use|it|much|really)\s+)+", "", phrase, flags=re.I)
    if (
        detail := re.match(r"^(?:answers|replies|responses|explanations)\s+with\s+(.+)$", text.strip(), re.I)
    ) is not None:
        return _noun_phrase(re.sub(r"\s+(?:more than|rather than|over|instead of)\b.*$", "", detail.group(1)))
    words = phrase.split()
    return phrase if 0 < len(words) <= 4 and phrase.lower() not in {"it", "them", "that", "this"} else None


def _triggers(text: str) -> list[_Hit]:
    hits = [
        _Hit(p, m.start(), m.end(), kinds, how) for p, pattern, kinds, how in _COMPILED for m in pattern.finditer(text)
    ]
    hits.sort(key=lambda h: (h.start, -h.end))
    kept: list[_Hit] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end:
            continue  # the longer or earlier trigger wins ("going to" a place is a plan, not "went")
        kept.append(hit)
    for index, hit in enumerate(kept):
        stop = _HARD_STOP.search(text, hit.end)
        following = kept[index + 1].start if index + 1 < len(kept) else len(text)
        hit.scope_end = min(stop.start() if stop else len(text), following)
    return kept


def relations_in(text: str) -> list[Triple]:
    """(subject, predicate, object) triples a memory states, in order, without repeats."""
    mentions = recognise(text)
    people = [m for m in mentions if m.type == "person"]
    found: list[Triple] = []
    claimed: set[str] = set()
    previous: _Hit | None = None
    for hit in _triggers(text):
        subject = _subject(text, hit.start, people, previous)
        previous = hit
        if subject is None:
            continue
        hit.subject = subject
        scope = [m for m in mentions if hit.end <= m.start < hit.scope_end and m.name != subject]
        if hit.kinds == "np":
            objects = [m for m in scope if m.type in _LIKED] if hit.how == "all" else scope[:1]
            for mention in objects:
                found.append((subject, hit.predicate, mention.name))
                claimed.add(mention.name)
            if not objects and (phrase := _noun_phrase(text[hit.end :])) is not None:
                found.append((subject, hit.predicate, phrase))
            continue
        trigger = text[hit.start : hit.end].lower()
        if hit.predicate in {"learning", "studies"}:
            cut = re.search(r"\b(?:on|through|via|using|from|with)\b", text[hit.end : hit.scope_end])
            scope = [m for m in scope if cut is None or m.start < hit.end + cut.start()]
        accepted = []
        for mention in scope:
            if hit.predicate == "uses" and mention.type == "product":
                ok = mention.name.casefold() in _MEDICINE_NAMES or trigger.startswith("use")
            elif hit.predicate == "studies" and trigger.startswith("went"):
                ok = mention.type in {"organization", "place"}
            elif hit.predicate in {"speaks"} or (hit.predicate == "learning" and mention.type == "language"):
                ok = mention.type == "language"
            else:
                ok = isinstance(hit.kinds, frozenset) and mention.type in hit.kinds
            if ok:
                accepted.append(mention)
        if hit.predicate == "plans_to_visit" and not accepted and "back" in text[hit.start : hit.end + 6].lower():
            accepted = [m for m in mentions if m.type == "place" and m.end <= hit.start][-1:]
        for mention in accepted[:1] if hit.how == "first" else accepted:
            found.append((subject, _predicate(hit.predicate, trigger, mention), mention.name))
            claimed.add(mention.name)
    found += _jobs(text, people) + _businesses(text, mentions)
    found += _implicit(text, mentions, {name for _, _, name in found} | claimed)
    unique: dict[Triple, None] = {}
    for triple in found:
        unique.setdefault(triple)
    return list(unique)


def _implicit(text: str, mentions: list[Mention], claimed: set[str]) -> list[Triple]:
    """What entities say by themselves: a named pet is the user's, a relative's or friend's name is family or a
    friend, a tool named in a memory is one the user uses, a diet is a preference."""
    lower = text.lower()
    found: list[Triple] = []
    for mention in mentions:
        before = lower[max(0, mention.start - 40) : mention.start]
        after = lower[mention.end : mention.end + 20]
        if re.match(r"\s+(?:intoleran|allerg(?:y|ies)\b)", after) or re.match(
            r",? (?:she|he|they|i)(?:'s| is| are|'m) allergic\b", after
        ):
            found.append(("user", "allergic_to", mention.name))
        elif re.match(r"\s+(?:fan|supporter)s?\b", after):
            found.append(("user", "likes", mention.name))
        if mention.name in claimed or re.match(r"\s+(?:intoleran|allerg|fan\b|supporter)", after):
            continue
        if mention.type == "animal" and mention.name[:1].isupper():
            found.append(("user", "has_pet", mention.name))
        elif mention.type == "person":
            if re.search(rf"\b(?:{_FRIENDS})\W+(?:\w+\W+){{0,1}}$", before):
                found.append(("user", "friend_of", mention.name))
            elif re.search(
                rf"\b(?:{_FAMILY})\b(?:'s name)?\W+"
                r"(?:(?:is|named|called|to|the oldest|the youngest)\W+|\w+\W+\(\d+\)\W+and\W+)*$",
                before,
            ):
                found.append(("user", "family_of", mention.name))
        elif mention.type in _TECH and mention.name.casefold() not in _NATURAL_LANGUAGES:
            if not re.search(r"\b(?:over|than|instead of|from|rather than|not)\s+(?:\w+\s+)?$", before):
                found.append(("user", "uses", mention.name))
        elif mention.type == "concept" and mention.name.casefold() in _DIETS:
            if not re.search(r"\b(?:no longer|not|never|stopped being)\b", lower):
                found.append(("user", "prefers", mention.name))
        elif mention.type == "product" and mention.name.casefold() not in _MEDICINE_NAMES:
            found.append(("user", "owns", mention.name))
    return found


def _predicate(predicate: str, trigger: str, mention: Mention) -> str:
    """A trigger's predicate adjusted to what its object is: one goes to a place (visited) but to a school
    (studies); one uses a medicine but owns a device; one takes milk in coffee because one likes it."""
    if trigger.startswith("went") and mention.type == "place":
        return "visited"
    if predicate == "uses" and mention.type == "product" and mention.name.casefold() not in _MEDICINE_NAMES:
        return "owns"
    if predicate == "uses" and trigger == "takes" and mention.type == "food":
        return "likes"
    return predicate


_JOB_TITLE = re.compile(
    rf"(?:^|\bworks? (?:part-time |full-time )?as |\b(?:i'm|i am|is|she's|he's|she is|he is|now|as)\s+|,\s+)"
    rf"(?:an?\s+)?(?:retired\s+|former\s+|ex-)?(?!her\b|his\b|their\b|my\b|our\b)(?P<title>(?:[a-z-]+\s+){{0,2}}?(?:{_JOBS}))\b(?=\s+at\b|\s+for\b|,|$|\s+in\b|\s+near\b)",
    re.IGNORECASE,
)


def _jobs(text: str, people: list[Mention]) -> list[Triple]:
    """works_as: "Works as a frontend engineer", "I'm a data scientist at …", "Sarah is a pharmacist at …"."""
    found: list[Triple] = []
    for match in _JOB_TITLE.finditer(text):
        title = re.sub(r"^(?:an?|the|part-time|full-time)\s+", "", match.group("title").strip(), flags=re.I)
        subject = _subject(text, match.start("title"), people, None)
        if subject is None:
            continue
        start = match.start()
        if subject == "user":
            named = [
                p
                for p in people
                if p.end <= start
                and re.fullmatch(
                    r"\W*(?:is|was)\s+(?:an?\s+)?|,\s+(?:she|he)(?:'s|\s+is)\s+(?:an?\s+)?",
                    text[p.end : match.start("title")].lower(),
                )
            ]
            subject = named[-1].name if named else "user"
        found.append((subject, "works_as", title))
    return found


def _businesses(text: str, mentions: list[Mention]) -> list[Triple]:
    """ "Runs a small trattoria called X": the user owns X and works there."""
    match = re.search(
        r"\b(?:runs|owns|opened|started|founded)\s+(?:a|an|the|his|her|their)\s+(?:\w+\s+){0,2}?(?:restaurant|"
        r"trattoria|cafe|café|bar|shop|bakery|business|company|startup|studio|practice|clinic|agency)\b",
        text,
        re.IGNORECASE,
    )
    if match is None:
        return []
    named = [
        m for m in mentions if m.start > match.end() and text[: m.start].rstrip().lower().endswith(("called", "named"))
    ]
    return [("user", "owns", named[0].name), ("user", "works_at", named[0].name)] if named else []
