"""Deterministic entity recognition and typing for memory text: curated general-knowledge gazetteers, capitalisation
and the words around a name ("in X" is a place, "works at X" an organization, "her cat X" an animal).

Types: person, place, organization, tool, language, framework, concept, event, date, food, animal, product.
Gazetteers are matched case-insensitively (memories are often typed in lowercase), except words that are also
ordinary English ("go", "rust", "may", "square"), which count only when capitalised.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from agent_memory.domain.conversation import ENTITY_TYPES
from agent_memory.domain.gazetteers import DATES, GAZETTEERS, NAMES, ONLY_CAPITALISED

TYPES = ENTITY_TYPES

_DATE_WORDS = frozenset(DATES.split()) - {"weekday", "weekdays"}
_YEAR = re.compile(r"^(19|20)\d\d$")

_RELATIVES = (
    "partner|wife|husband|fiancé|fiancée|fiance|fiancee|son|daughter|kid|kids|child|children|mum|mom|mother|"
    "dad|father|brother|sister|grandson|granddaughter|grandchildren|grandkids|grandma|grandpa|grandmother|"
    "grandfather|aunt|uncle|cousin|niece|nephew|friend|best friend|flatmate|roommate|boss|manager|colleague|"
    "coworker|supervisor|mentor|co-founder|cofounder|prof|prof.|professor|dr|dr.|mr|mr.|mrs|mrs.|ms|ms.|"
    "married to|twins|boys|girls|baby|boyfriend|girlfriend|spouse"
)
PET_WORDS = frozenset(
    w for w in GAZETTEERS["animal"].split("|") if " " not in w and w not in {"horses", "chickens", "rabbits"}
) | {"pet", "pup", "kitty"}
_ORG_SUFFIX = frozenset(
    "university college school academy institute hospital infirmary clinic group inc ltd llc gmbh corp company "
    "bank labs systems foundation society association church episcopal club fc united council ministry agency "
    "partners studio studios state".split()
)
_SCHOOL_LAST = frozenset("primary secondary elementary high prep montessori nursery kindergarten preschool".split())
_PLACE_SUFFIX = frozenset(
    "park lake street road avenue square beach mountain mountains river bridge field stadium market island "
    "islands valley bay hill hills heights layout village town city trail".split()
)
_PLACE_PREFIX = frozenset("lake loch mount mt plaza parc port cape fort isla rio puerto monte lago".split())
_LANGUAGE_CUE = re.compile(r"\b(?:speaks?|spoke|speaking|fluent in|native)\s+$")
# "a Dacia Sandero", "an old Dell", "a NISA account": people and places take no article; a brand's item does.
_ARTICLE_CUE = re.compile(
    r"(?<!\bat )(?<!\bfor )\b(?:a|an)\s+(?:(?:old|new|used|second-hand|little|small|big|red|black|white)\s+)?$"
)
_EVENT_SUFFIX = frozenset(
    "summit conference con marathon festival fest expo cup games week eve day run quest regatta rally parade "
    "carnival".split()
)
_WORK_CUE = re.compile(
    r"\b(works?|working|worked|job|employed|intern|internship|engineer|scientist|nurse|designer|developer|teacher|"
    r"teach|teaches|teaching|taught|lectures|"
    r"manager|analyst|pharmacist|chef|doctor|pediatrician|lawyer|accountant|consultant|cpa|sre|researcher|"
    r"student|professor|lecturer|studies|studying|studied|trained|joined|hired|office|team|school|kindergarten|"
    r"college|university|choir|volunteers?)\b"
)
_PET_CUE = re.compile(
    rf"\b({'|'.join(sorted(PET_WORDS | set(GAZETTEERS['animal'].split('|'))))})s?,?\s+((is\s+)?(named|called)\s+)?$"
)
_RELATIVE_CUE = re.compile(rf"\b({_RELATIVES})\W+((is|was|named|called)\s+)?$")
_VENUE_CUE = re.compile(r"\b(trattoria|restaurant|cafe|café|bar|shop|business|company|startup|bakery)\b[\w\s]*$")
_FAN_CUE = re.compile(r"\b(supports?|fan of|barracks for|follows|cheers for)\s+(the\s+)?$")
_STUDY_CUE = re.compile(r"\b(msc|ma|ba|bsc|phd|degree|master's|masters|diploma|course|major|minor)\s+(in|on)\s+$")
_EVENT_CUE = re.compile(r"\b(attend|attends|attended|attending|present at|presenting at|spoke at|speaking at)\s+$")
_TOOL_CUE = re.compile(r"\b(?:uses?|using|used|via|switched to|signed up for|subscribes? to)\s+(?:the\s+)?$")
_TOOL_VERB_CUE = re.compile(
    r"\b(?:edit(?:s|ed|ing)?|tracks?|tracked|tracking|keeps?|logs?|logged|builds?|built|writes?|codes?|designs?|"
    r"plans?|manages?|records?|reads?|listens?|watches|streams?|posts?|stores?|backs? up|syncs?|deploys?|hosts?|"
    r"draws?|sketches|journals?|budgets?|orders?|books?|pays?|invoices?|learns?|learning|practises?|practices?|"
    r"studies|transcribes?|tops? up)\b"
    r"(?:(?!\band\b)[^,.;]){0,30}?\b(?:in|on|with|to|through|by)\s+(?:the\s+)?$"
)
_PET_AFTER = re.compile(rf"\s*,?\s+(?:the|our|my|her|his|their)\s+(?:\w+\s+)?(?:{'|'.join(sorted(PET_WORDS))})\b")
_LINKS = frozenset("as in at for from by on".split())  # "the NHS as a nurse" names; "an SRE at", "the POS and" do not
_NOT_NAMES = frozenset("ui ux api apis cli sdk ide os pr prs ci cd qa hr it pdf url usb tv gps faq eta mvp kpi".split())
_PLACE_CUE = frozenset("in from to near around visit visited visiting into via across outside".split())
# A name before a common word for a kind of place: "Entoto hill", "the Dzukija forests", "the CMC area".
_PLACE_AFTER = re.compile(
    r"\s+(?:hills?|forests?|woods|rivers?|lakes?|mountains?|valley|area|region|district|neighbou?rhood|suburb)\b"
)
_TITLES = frozenset("prof dr mr mrs ms mx sir".split())
_PRONOUNS = frozenset("i i'm i've i'd i'll she he they we you it her his their my our".split())
_HEAD_COMMON = frozenset("rent iron salary loan busy honeymoon master bachelor".split())
_FIRST_VERBS = frozenset("is 's has had was just starts turned works lives loves likes".split())
_TOKEN = re.compile(r"[\w][\w+#&.'\u2019()/-]*[\w+#)]|[\w]")
_CONNECTORS = frozenset("of de del la da von van".split())
_SINGULAR_TYPES = _COMMON_TYPES = frozenset({"food", "animal", "concept"})
_LOWERCASE: dict[tuple[str, ...], str] = {}  # a lowercase word's common-noun reading: "turkey" the food


@dataclass(frozen=True, slots=True)
class Mention:
    name: str
    type: str
    start: int
    end: int
    sure: bool = False  # typed by a gazetteer, a name's shape or a strong cue, not by a preposition or default


Token = tuple[str, int, int]


@lru_cache(maxsize=1)
def _lexicon() -> dict[tuple[str, ...], str]:
    readings: dict[tuple[str, ...], list[str]] = {}
    for kind, entries in GAZETTEERS.items():
        for entry in entries.split("|"):
            kinds = readings.setdefault(tuple(_key(t) for t in _TOKEN.findall(entry)), [])
            kinds.extend([kind] if kind not in kinds else [])
    lexicon = {key: kinds[0] for key, kinds in readings.items()}
    for key, kinds in readings.items():
        if len(key) == 1 and key[0] in ONLY_CAPITALISED:  # capitalised, the proper noun: "Turkey", "Celery"
            lexicon[key] = next((kind for kind in kinds if kind not in _COMMON_TYPES), kinds[0])
            common = [kind for kind in kinds if kind in _COMMON_TYPES and kind != lexicon[key]]
            _LOWERCASE.update({key: common[0]} if common else {})
    lexicon.update({(word,): "date" for word in _DATE_WORDS})
    return lexicon


def _tokens(text: str) -> list[Token]:
    found = []
    for match in _TOKEN.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        if word.endswith(")") and "(" not in word:
            word, end = word[:-1], end - 1
        found.append((word, start, end))
    return found


def _key(word: str) -> str:
    lower = word.lower().replace("\u2019", "'")
    return lower[:-2] if lower.endswith("'s") and not lower.endswith("crohn's") else lower


def _singular(word: str) -> list[str]:
    if word.endswith("ies"):
        return [word[:-3] + "y"]
    forms = [word[:-1]] if word.endswith("s") and not word.endswith("ss") else []
    return [*forms, word[:-2]] if re.search(r"(o|s|x|z|ch|sh)es$", word) else forms


@lru_cache(maxsize=65_536)  # every position of every memory asks for each span from the longest entry down
def lookup(phrase: str) -> str | None:
    """The gazetteer type of a phrase, if any (case-insensitive; plurals of foods, animals and concepts)."""
    lexicon = _lexicon()
    key = tuple(_key(t) for t, _, _ in _tokens(phrase))
    if key in lexicon:
        return lexicon[key]
    for form in _singular(key[-1]) if key else []:
        kind = lexicon.get((*key[:-1], form))
        if kind in _SINGULAR_TYPES:
            return kind
    return None


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


@lru_cache(maxsize=1)
def _longest_from() -> dict[str, int]:
    """The most words of an entry that starts with each word: longer spans from that word cannot match."""
    lexicon = _lexicon()
    longest: dict[str, int] = {}
    for key in lexicon:
        longest[key[0]] = max(longest.get(key[0], 1), len(key))
    return longest


def _gazetteer_at(tokens: list[Token], text: str, i: int) -> tuple[int, str] | None:
    """Longest gazetteer entry starting at token i: (tokens it spans, type)."""
    longest = _longest_from().get(_key(tokens[i][0]), 1)
    for size in range(min(longest, len(tokens) - i), 0, -1):
        words = [tokens[i + k][0] for k in range(size)]
        gaps = [text[tokens[i + k - 1][2] : tokens[i + k][1]] for k in range(1, size)]
        if any(gap not in {" ", "-", " & "} for gap in gaps):
            continue  # a comma or other mark between the words: not one name
        kind = lookup(" ".join(words))
        if size == 1 and _key(words[0]) in ONLY_CAPITALISED and not _capitalised(words[0]):
            kind = _LOWERCASE.get((_key(words[0]),))
        if kind is None:
            continue
        return size, kind
    return None


def _span_end(tokens: list[Token], text: str, i: int) -> int:
    """Index after the last token of the capitalised name starting at i ("University of Salford", "Weights &
    Biases", "Tesla Model 3", "St. Mark's Episcopal"); a possessive ends it before a known name ("Deloitte's
    Chicago office")."""
    j = i + 1
    while j < len(tokens):
        gap = text[tokens[j - 1][2] : tokens[j][1]]
        word, previous = tokens[j][0], tokens[j - 1][0]
        if gap not in {" ", " & "} and not (gap == ". " and _key(previous) in _TITLES | {"st", "mt"}):
            break
        if _key(previous) != previous.lower().replace("\u2019", "'") and lookup(word) is not None:
            break
        if (
            (_capitalised(word) and _key(word) not in _DATE_WORDS)
            or (word[:1].isdigit() and len(word) <= 3 and not _YEAR.match(word))
            or (word in _CONNECTORS and j + 1 < len(tokens) and _capitalised(tokens[j + 1][0]))
        ):
            j += 1
        else:
            break
    return j


def _gazetteer_context(before: str, after: str, name: str, kind: str) -> str:
    """The gazetteer's type, unless the words around say otherwise ("cuisine is Vietnamese", "works at Shopify")."""
    if kind == "language" and (re.search(r"\bcuisine\W+(is\W+)?$", before) or re.match(r"\s+(food|cuisine)\b", after)):
        return "food"
    if kind == "tool" and re.search(r"\b(at|for|joined|left)\s+(the\s+)?$", before) and _work_nearby(before):
        return "organization"
    if kind == "place" and _key(name) in NAMES and not set(before.split()[-1:]) & _PLACE_CUE:
        return "person"  # "Sofia starts school": a given name that is also a city, with no "in" or "to" before it
    return kind


def _work_nearby(before: str) -> bool:
    return bool(_WORK_CUE.search(before[max(0, before.rfind(",")) :]))


def _name_type(before: str, after: str, name: str, first: bool) -> tuple[str | None, bool]:
    """(type, sure) of a capitalised name no gazetteer knows, from the words around it and its own shape."""
    words = [_key(w) for w in name.split()]
    last = before.split()[-1].strip(",:;(") if before.split() else ""
    if _PET_CUE.search(before) or _PET_AFTER.match(after):
        return "animal", True
    if (_RELATIVE_CUE.search(before) or re.search(r"\b(being called|call (her|him|me|them))\s+$", before)) and (
        not _VENUE_CUE.search(before)
    ):
        return "person", True
    if re.match(r"\s+app\b", after) or re.search(r"\.(com|io|app|ai)$", words[-1]) or _TOOL_CUE.search(before):
        return "tool", True
    ends = {lookup(name.split()[0]), lookup(name.split()[-1])} if len(words) > 1 else set()
    if ends & {"tool", "framework"}:
        return ("framework" if "framework" in ends else "tool"), True
    if any(w in _ORG_SUFFIX for w in words) or "&" in name or (len(words) > 1 and words[-1] in _SCHOOL_LAST):
        return "organization", True
    if (words[-1] in _EVENT_SUFFIX and len(words) > 1) or (words[-1].endswith("con") and len(words[-1]) > 4):
        return "event", True
    prefix = lookup(name.split()[0]) if len(words) > 1 else None
    if prefix in {"tool", "product", "framework", "event"}:
        return prefix, True
    if _FAN_CUE.search(before) or re.match(r"\s+(fan|supporter|season ticket)s?\b", after):
        return "organization", True
    if words[0] in NAMES and len(words) <= 2:
        return "person", True
    if _TOOL_VERB_CUE.search(before):
        return "tool", False
    if _EVENT_CUE.search(before):
        return "event", True
    if _STUDY_CUE.search(before):
        return "concept", True
    if len(words) > 1 and (words[-1] in _PLACE_SUFFIX or words[0] in _PLACE_PREFIX):
        return "place", True
    if _PLACE_AFTER.match(after):
        return "place", True
    if len(words) > 1 and name.split()[0].isupper() and lookup(" ".join(name.split()[1:])) == "place":
        return "organization", True  # "JR Hokkaido", "ISI Yogyakarta": an acronym of a place's body
    if _LANGUAGE_CUE.search(before):
        return "language", True
    if _ARTICLE_CUE.search(before):
        return "product", False
    if last in {"named", "called"}:
        return "organization", False
    if last in _PLACE_CUE:
        return "place", False
    if last == "at" or before.endswith("at the "):
        return ("organization", True) if _work_nearby(before) else ("place", False)
    if last in {"with", "and"} and len(words) == 1:
        return "person", False
    if last == "for":
        return "organization", False
    return ("person" if first else None), False


def _first_word_is_name(tokens: list[Token], text: str) -> bool:
    """A capitalised first word is grammar unless it reads as a subject: "Owen is 3", "Ana's birthday"."""
    word = tokens[0][0]
    if _key(word) in _HEAD_COMMON | _PRONOUNS or _key(word) in _RELATIVES.split("|"):
        return False
    if _key(word) in NAMES or (word.endswith(("'s", "\u2019s")) and _key(word) != word.lower()):
        return True
    following = text[tokens[0][2] :].split()
    return bool(following) and following[0].lower().strip(",") in _FIRST_VERBS


def recognise(text: str, known: dict[str, str] | None = None) -> list[Mention]:
    """Entities in one memory text, in order. `known` maps a case-folded name to a type a clear cue gave it in
    another memory of the same user ("her dog Biscuit"), used where this text gives only a weak hint."""
    return list(_recognise_alone(text)[0]) if not known else _recognise(text, known)[0]


@lru_cache(maxsize=4_096)  # a write reads a text's entities, then its relations read them again
def _recognise_alone(text: str) -> tuple[tuple[Mention, ...], frozenset[str]]:
    mentions, unsure = _recognise(text, None)
    return tuple(mentions), unsure


def _recognise(text: str, known: dict[str, str] | None) -> tuple[list[Mention], frozenset[str]]:
    """The mentions, and the case-folded names typed without a sure cue (the only ones `known` can change)."""
    tokens = _tokens(text)
    found: list[Mention] = []
    i = 0
    while i < len(tokens):
        word, start, _ = tokens[i]
        before, lower = text[:start].lower(), _key(word)
        hit = _gazetteer_at(tokens, text, i)
        span = _span_end(tokens, text, i) if _capitalised(word) else i + 1
        extends = hit is not None and any(_capitalised(t[0]) for t in tokens[i + hit[0] : span])
        if hit is not None and not extends:
            size, kind = hit
            end = tokens[i + size - 1][2]
            if (
                kind == "date"
                and i + size < len(tokens)
                and re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", tokens[i + size][0])
            ):
                size, end = size + 1, tokens[i + size][2]
            if kind in {"language", "food"} and i + size < len(tokens) and tokens[i + size][0] in {"food", "cuisine"}:
                size, end, kind = size + 1, tokens[i + size][2], "food"  # "Ethiopian food" is one name
            name = text[start:end]
            name = name[:-2] if name.endswith(("'s", "\u2019s")) and kind != "concept" else name
            if kind == "animal" and (
                re.match(r"\W+((is\s+)?(named|called)\s+)?[A-Z]", text[end:]) or any(m.type == "animal" for m in found)
            ):
                i += size
                continue  # a species beside the pet's name: the name is the entity
            if _capitalised(word) and (_PET_CUE.search(before) or _PET_AFTER.match(text[end:].lower())):
                kind = "animal"  # "her dog Pixel", "Pixel the whippet": a pet named after a thing
            found.append(Mention(name, _gazetteer_context(before, text[end:].lower(), name, kind), start, end, True))
            i += size
            continue
        if _YEAR.match(word):
            found.append(Mention(word, "date", start, tokens[i][2], True))
            i += 1
            continue
        if (
            not _capitalised(word)
            or (any(c.isdigit() for c in word) and not re.search(r"\b(at|for|joined)\s+$", before))
            or lower in _PRONOUNS
            or (i == 0 and not _first_word_is_name(tokens, text))
        ):
            i += 1
            continue
        if lower in _TITLES or (span == i + 1 and lower in _NOT_NAMES):
            i += 1  # "Prof. Weber": the name is Weber; "the UI", "an API" name nothing
            continue
        acronym = span == i + 1 and (word.isupper() or re.search(r"[a-z][A-Z]", word))
        following = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        article = re.search(r"\b(a|an|the)\s+$", before)
        if acronym and article and following.islower() and (article.group(1) != "the" or following not in _LINKS):
            i += 1  # "a WG room", "the POS system": an acronym used as a common noun
            continue
        end = tokens[span - 1][2]
        name = text[start:end].rstrip(".")
        if name.endswith(("'s", "\u2019s")) and (span - i == 1 or not name.lower().startswith("st")):
            name, end = name[:-2], end - 2
        guess, sure = _name_type(before, text[end:].lower(), name, i == 0)
        if not sure and known and name.casefold() in known:
            guess, sure = known[name.casefold()], True
        if (
            not sure
            and found
            and found[-1].sure
            and re.fullmatch(r",?\s+(?:and|or|&)\s+|,\s+", text[found[-1].end : start])
        ):
            guess = found[-1].type  # "Patagonia and Tierra del Fuego": a list holds one kind of thing
        found.append(Mention(name, guess or "organization", start, end, sure))
        i = span
    unique: dict[str, Mention] = {}
    for mention in found:
        unique.setdefault(mention.name.casefold(), mention)
    return list(unique.values()), frozenset(m.name.casefold() for m in found if not m.sure)


def recognise_all(texts: Sequence[str]) -> list[list[Mention]]:
    """Entities of several memories of one user: a name a clear cue typed in one memory ("her dog Biscuit") keeps
    that type in another that gives only a weak hint ("Biscuit is 3", "the commute to Flipkart")."""
    alone = [_recognise_alone(text) for text in texts]
    known: dict[str, str] = {}
    for mentions, _ in alone:
        for mention in mentions:
            if mention.sure:
                known.setdefault(mention.name.casefold(), mention.type)
    # Only a text with an unsure name that another memory typed surely can read differently the second time.
    return [
        recognise(text, known) if not unsure.isdisjoint(known) else list(mentions)
        for text, (mentions, unsure) in zip(texts, alone, strict=True)
    ]
