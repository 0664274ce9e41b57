"""Word tables of the rules curator: British and American spellings, other names of one thing, phrases that say
the same, and number words."""

from __future__ import annotations

import re

# British spellings that American English writes otherwise; the stems are matched inside words ("colour-codes",
# "favourites", "organised"), so one rule covers every inflection.
BRITISH = (
    (
        re.compile(r"(col|fav|flav|hon|neighb|behavi|lab|hum|harb|rum|vap|sav|endeav|arm|od|rig|tum|val|vig|glam)our"),
        r"\1or",
    ),
    (
        re.compile(
            r"(organ|real|recogn|custom|apolog|special|optim|minim|maxim|prior|summar|categor|emphas|util|critic|memor|"
            r"author|modern|standard|final|visual|character|normal|personal|sympath|familiar|general|central|capital|"
            r"stabil|symbol|synchron|civil|fertil|mobil|ideal|equal|monet|hospital|public|local|priorit|vocal|"
            r"steril|agon|patron|fantas|jeopard|scrutin|harmon|global|industrial|internal|legal|material|tantal|"
            r"real|energ|colon|item|terror|vapor|weather|winter)is(e|ed|es|ing|ation|ations|er|ers)\b"
        ),
        r"\1iz\2",
    ),
    (re.compile(r"(anal|paral|catal|dial)ys(e|ed|es|ing)\b"), r"\1yz\2"),
    (re.compile(r"\b(cent|theat|met|lit|fib|calib|spect|somb|lust|sabr|mitr)re(s?)\b"), r"\1er\2"),
    (re.compile(r"(catal|dial|anal|monol|epil|prol)ogue(s?)\b"), r"\1og\2"),
    (re.compile(r"\b(defen|offen|licen|preten)ce\b"), r"\1se"),
    (
        re.compile(r"(travel|cancel|model|label|fuel|marvel|signal|counsel|jewel|tunnel|duel)l(ed|ing|er|ers)\b"),
        r"\1\2",
    ),
    (re.compile(r"\b(p|an|h|orthop|encyclop|gyn|leuk|ortho)ae"), r"\1e"),
    (re.compile(r"\boe(strogen|sophag|dema)"), r"e\1"),
)
SPELLINGS = {
    "grey": "gray", "mum": "mom", "mummy": "mommy", "cheque": "check", "tyre": "tire", "programme": "program",
    "aeroplane": "airplane", "aluminium": "aluminum", "maths": "math", "plough": "plow", "jewellery": "jewelry",
    "ageing": "aging", "practise": "practice", "practised": "practiced", "enrol": "enroll", "pyjamas": "pajamas",
    "manoeuvre": "maneuver", "moustache": "mustache", "sceptical": "skeptical", "storey": "story", "kerb": "curb",
    "whilst": "while", "amongst": "among", "learnt": "learned", "spelt": "spelled", "dreamt": "dreamed",
}  # fmt: skip
# Other names of one thing, and words that say the same in a memory.
SYNONYMS = {
    "cilantro": "coriander", "aubergine": "eggplant", "courgette": "zucchini", "postgres": "postgresql",
    "js": "javascript", "ts": "typescript", "k8s": "kubernetes", "cs": "computer science", "tx": "texas",
    "munchen": "munich", "bangalore": "bengaluru", "bombay": "mumbai", "madras": "chennai", "calcutta": "kolkata",
    "peking": "beijing", "uk": "united kingdom", "usa": "united states",
    "huge": "big", "large": "big", "massive": "big", "love": "like", "loves": "likes", "enjoy": "like",
    "enjoys": "likes", "adores": "likes", "samples": "examples", "sample": "example", "each": "every",
    "called": "named", "kids": "children", "kid": "child", "photos": "pictures", "fluent": "speaks",
    "nyc": "new york city", "film": "movie", "films": "movies", "flat": "apartment", "mobile": "phone",
    "cellphone": "phone", "holiday": "vacation", "holidays": "vacations", "mother": "mom", "father": "dad",
    "hubby": "husband", "prefers": "likes", "prefer": "like", "remote": "remotely", "baby": "child",
    "babies": "children", "chat": "talk", "chats": "talks", "chatting": "talking", "blunt": "direct",
    "frank": "direct", "candid": "direct", "terse": "short", "brief": "short", "concise": "short", "without": "no",
    "someday": "", "sometime": "",
}  # fmt: skip
# Clipped forms people use for the full word ("chem" for chemistry, "uni" for university).
CLIPPINGS = {
    "chem": "chemistry", "bio": "biology", "uni": "university", "econ": "economics", "psych": "psychology",
    "stats": "statistics", "phys": "physics", "maths": "mathematics", "math": "mathematics", "prof": "professor",
    "grad": "graduate", "undergrad": "undergraduate", "doc": "doctor", "vet": "veterinarian", "physio": "physiotherapy",
    "rehab": "rehabilitation", "fridge": "refrigerator", "telly": "television", "tv": "television", "bike": "bicycle",
    "flu": "influenza", "info": "information", "admin": "administration", "exam": "examination",
    "gran": "grandmother", "grandma": "grandmother", "grandpa": "grandfather",
}  # fmt: skip
PHRASES = (
    (re.compile(r"\b(?:does not|doesn't|do not|don't|did not|didn't) (?:really )?(?:like|enjoy)\b"), "dislikes"),
    (re.compile(r"\b(?:can't|cannot|can not) stand\b|\bhates?\b|\bdetests?\b"), "dislikes"),
    (re.compile(r"\bnot (?:really |much of |a big |a huge )?(?:a )?fan of\b"), "dislikes"),
    (re.compile(r"\b(?:a )?(?:big |huge )?fan of\b|\bfan\b"), "likes"),
    (
        re.compile(
            r"\b(?:would|'d) rather(?: use| have)?\b|\bprefers?\b|"
            r"\blikes?(?= (?:\S+ ){1,3}(?:a lot |much |far )?(?:more|better) than)"
        ),
        "prefers",
    ),
    (re.compile(r"\bstep[- ]by[- ]step\b"), "stepbystep"),
    (re.compile(r"\b(?:from home|wfh)\b"), "remotely"),
    (re.compile(r"\b(for|about|over|almost|nearly) an? (year|month|week|decade)\b"), r"\1 1 \2"),
    (re.compile(r"\b(?:doesn't|does not|don't|do not|never) eats? (?:any )?meat\b|\bno meat\b"), "vegetarian"),
    (re.compile(r"\b(?:doesn't|does not|don't|do not|never) eats? (?:any )?animal products\b"), "vegan"),
    # Idioms of liking; replaced before negation is read, so "can't get enough of" is not a negation.
    (
        re.compile(
            r"\b(?:can't|cannot|can not) get enough of\b|\b(?:is |are )?(?:obsessed with|addicted to|crazy about|"
            r"mad about|hooked on|(?:really |big )?into)\b"
        ),
        "likes",
    ),
    # Eating anything is a diet too (none), so a newer diet replaces it.
    (
        re.compile(
            r"\beats? (?:pretty much |just about |almost |basically )?(?:anything|everything)\b|"
            r"\bno dietary restrictions\b|\bnot (?:a )?picky(?: eater)?\b"
        ),
        "omnivore",
    ),
    # A wish said several ways: "would like to", "hopes to", "dreams of".
    (
        re.compile(
            r"\b(?:would|'d) (?:like|love) to\b|\bhop(?:es|ing) to\b|\bdreams? of\b|\bwishe?s? to\b|"
            r"\b(?:is |are )?(?:keen|eager|itching|dying) to\b|\blongs? to\b"
        ),
        "wants to",
    ),
    # Lessons or classes in a subject are learning it.
    (
        re.compile(
            r"\b(?:takes?|taking|has|having|does|doing|attends?|attending|goes to) (?:an? )?(\w+) "
            r"(?:lessons|classes|course)\b"
        ),
        r"learning \1",
    ),
    (re.compile(r"\bwants to see\b"), "wants to visit"),
    (re.compile(r"\bgrandma and grandpa\b|\bgrandpa and grandma\b|\bgrandmother and grandfather\b"), "grandparents"),
)
NUMBERS = {
    w: str(i) for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())
}


def americanise(word: str) -> str:
    """American spelling of a British word, so "colour" and "color" are one word; other words are unchanged."""
    if word in SPELLINGS:
        return SPELLINGS[word]
    for pattern, replacement in BRITISH:
        word = pattern.sub(replacement, word)
    return word


# A state that is waiting for an outcome ("wants a dog", "interviewing at …") and words that report one ("got",
# "accepted"): the outcome replaces the waiting.
PENDING = re.compile(
    r"\b(wants? (?:a|an|to)|saving (?:up )?for|applying|interviewing|learning to|waiting (?:list|for)|pregnant|"
    r"expecting|trying to|shopping for|house-hunting|renting|rents|on the list for|"
    r"(?:flying|heading|off|travell?ing) to)\b"
)
OUTCOME = re.compile(
    r"\b(got|gets|bought|adopted|accepted|passed|had|started|starts|finished|completed|signed|moved|married|booked|"
    r"won|received|landed|joined|became|delivered|gave birth|owns|now|back from|got back|came back|returned)\b"
)
# Values of which a person has one at a time: the other one in a newer memory replaces the older.
EXCLUSIVE_PAIRS = (("part-time", "full-time"), ("single", "married"), ("unemployed", "employed"))


# Words that say the older fact no longer holds, by what they report: an end, a change, a death, a correction, a
# return. A newer memory with one the older lacks, about something they share, replaces it.
_ENDED = (
    r"no longer|no more|anymore|any more|not any more|used to|gave up|giv(?:es|ing) up|stopped|stopping|quit|quits|"
    r"quitting|(?<!\bthe )(?<!\bhis )(?<!\bher )(?<!\bmy )(?<!\btheir )(?<!\bour )left|"  # not the left eye
    r"leaving|dropped|ditched|cut out|got rid of|sold|selling|traded in|gave away|cancell?ed|retired|"
    r"resigned|laid off|stepped down|(?:took|taking|on) a break from|on hold|paused|closed on|broke up|divorced|"
    r"split up|separated|ended|is over|formerly|previously|ex"
)
_CHANGED = (
    r"now|these days|nowadays|switched|switching|changed|replaced|swapped|moved|moving|relocated|transferred|"
    r"converted|turned|promoted|upgraded|downgraded|again|instead|has since|since then|(?:up|down) to \d+"
)
_DIED = r"passed away|passed on|died|put down|put to sleep"
_CORRECTED = r"correction|actually|got it wrong|was wrong|mistaken|misremembered"
_DONE = r"graduated|finished|completed|back from|got back|came back|returned from"
UPDATE = re.compile(rf"\b({_ENDED}|{_CHANGED}|{_DIED}|{_CORRECTED}|{_DONE})\b")
# "now" marks a changed state, not an ongoing activity ("now knitting a blanket") or an added fact ("now also").
NOW_NOT_CHANGE = re.compile(r"\bnow (?=also\b|(?!living|working|staying|based|renting)\w+ing\b)")
