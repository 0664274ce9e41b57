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


def estimate_tokens(text: str) -> int:
    """Rough token estimate: about four characters per token for English text (OpenAI's rule of thumb)."""
    return (len(text) + 3) // 4
