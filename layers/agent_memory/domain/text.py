"""Text normalisation shared by uniqueness checks and search."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")
# Zero-width characters and BOMs render as nothing, so they must not make two contents differ.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def normalise(text: str) -> str:
    """NFKC, drop invisible characters, casefold, collapse whitespace, trim."""
    folded = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold()
    return _WHITESPACE.sub(" ", folded).strip()


def content_key(text: str) -> str:
    """Stable fingerprint of normalised content: what uniqueness per (tenant, user) is checked on."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def is_blank(text: str) -> bool:
    return normalise(text) == ""


def has_control_characters(text: str, allow_line_breaks: bool = True) -> bool:
    """Control characters are never valid; content (not identifiers) may hold tabs and line breaks."""
    allowed = "\t\n\r" if allow_line_breaks else ""
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


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


def stem(word: str) -> str:
    """A light suffix stripper, enough to match highlight terms to their inflections (runs, running → run)."""
    for suffix in ("ingly", "edly", "ing", "ies", "ied", "ed", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return base + "y"
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "aeiouls":
                base = base[:-1]
            return base
    return word
