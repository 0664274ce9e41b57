"""Text normalisation shared by uniqueness checks and search."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")

# Code points that render as nothing (Unicode's Default_Ignorable_Code_Point) plus blank-looking letters and symbols.
# Format characters (category Cf: soft hyphen, bidi marks and isolates, zero-width joiners, invisible operators,
# tag characters, BOM) are dropped by category; these are the ignorables outside Cf.
_IGNORABLE_RANGES = (
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul choseong/jungseong fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian free variation selectors and vowel separator
    (0x2800, 0x2800),  # Braille pattern blank
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0x1D173, 0x1D17A),  # musical symbol formatting
    (0xE0000, 0xE0FFF),  # tags and variation selectors supplement
)


def is_invisible(ch: str) -> bool:
    """True for characters that render as nothing, so they never make two texts differ or a text non-blank."""
    if unicodedata.category(ch) == "Cf":
        return True
    point = ord(ch)
    return any(low <= point <= high for low, high in _IGNORABLE_RANGES)


def _visible(text: str) -> str:
    if text.isascii():
        return text
    return "".join(ch for ch in text if not is_invisible(ch))


def normalise(text: str) -> str:
    """NFKC, drop invisible characters, casefold, collapse whitespace, trim."""
    # Before NFKC, so an invisible character cannot keep two characters from composing; after it, because
    # compatibility mappings can yield one (U+3164 HANGUL FILLER becomes U+1160).
    folded = _visible(unicodedata.normalize("NFKC", _visible(text))).casefold()
    return _WHITESPACE.sub(" ", folded).strip()


def topic_label(raw: str) -> str:
    """How a topic is stored and matched: whitespace collapsed, lower-cased (Travel, " travel " → travel)."""
    return " ".join(raw.split()).lower()


def content_key(text: str) -> str:
    """Stable fingerprint of normalised content: what uniqueness per (tenant, user) is checked on."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def is_blank(text: str) -> bool:
    return normalise(text) == ""


# Unicode's category Cc is exactly these 65 code points; one regex scan instead of a category lookup per character.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINE_BREAKS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(text: str, allow_line_breaks: bool = True) -> bool:
    """Control characters are never valid; content (not identifiers) may hold tabs and line breaks."""
    return (_CONTROL_BUT_LINE_BREAKS if allow_line_breaks else _CONTROL).search(text) is not None


CHARS_PER_TOKEN = 4  # OpenAI's rule of thumb for English text with GPT tokenizers


def embedding_text(content: str, summary: str | None) -> str:
    """What a memory's vector is computed from: its content, plus its summary when it has one."""
    return content if not summary else f"{content}\n{summary}"


_TOKEN = re.compile(r"\w+", re.UNICODE)

# Function words carry no topic; dropping them keeps keyword ranking on what a question is about.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here
    hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off
    on once only or other our ours ourselves out over own same she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves""".split()
)


def tokens(text: str) -> list[str]:
    return [token.casefold() for token in _TOKEN.findall(unicodedata.normalize("NFKC", text))]


def query_terms(text: str, limit: int = 64) -> list[str]:
    """Distinct search terms of a query, function words dropped unless nothing else is left."""
    words = list(dict.fromkeys(tokens(text)))
    meaningful = [word for word in words if word not in STOPWORDS]
    return (meaningful or words)[:limit]


@functools.lru_cache(maxsize=65536)  # highlights stem every word of every hit
def stem(word: str) -> str:
    """A light suffix stripper, enough to match words to their inflections: runs, running → run; live, lives,
    living, lived → liv. Only stems are compared, never shown, so a stem need not be a word."""
    for suffix in ("ingly", "edly", "ing", "ies", "ied", "ed", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix == "es" and not base.endswith(("s", "x", "z", "ch", "sh")):
                continue  # lives is live + s, not liv + es
            if suffix in ("ies", "ied"):
                return base + "y"
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "aeiouls":
                base = base[:-1]
            return _without_silent_e(base)
    return _without_silent_e(word)


def _without_silent_e(word: str) -> str:
    # live/lives/living/lived share "liv"; like/liked/likes share "lik"
    return word[:-1] if len(word) > 2 and word.endswith("e") and not word.endswith("ee") else word
