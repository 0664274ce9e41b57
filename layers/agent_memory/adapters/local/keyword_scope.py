"""One user's keyword index, held in memory: BM25 over postings kept as numpy arrays.

SQLite's FTS5 scores every matching row through a per-row callback, so a query whose words occur in a third of a
large scope spends almost all its time ranking (42 ms of 46 at 100k memories). Here a term's postings are two
arrays (document positions, weighted term frequencies) and a query is a handful of vector operations over them.
The index is a snapshot: a refresh from the store's change log builds a new one (the changed documents are appended
and their old positions marked dead), so a search reading the previous snapshot is never disturbed.

Tokens follow FTS5's `porter unicode61 remove_diacritics 2`: runs of letters and digits, case-folded, accents
dropped, Porter-stemmed. Scores follow FTS5's bm25() (k1 = 1.2, b = 0.75, summary words at half weight), with
document frequencies counted in the user's own scope.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

K1 = 1.2
B = 0.75
CONTENT_WEIGHT = 1.0
SUMMARY_WEIGHT = 0.5  # the context a memory was said in counts, but less than what it says
NO_EXPIRY = np.iinfo(np.int64).max
# FTS5 floors a term's IDF here, so a word in more than half the documents still counts a little.
MIN_IDF = 1e-6

_WORD = re.compile(r"[^\W_]+")


class TermFolder:
    """Word → index term (folded, unaccented, stemmed), remembered: a scope's vocabulary is stemmed once."""

    MAX_REMEMBERED = 200_000

    def __init__(self) -> None:
        self._terms: dict[str, str] = {}
        self._lock = threading.Lock()
        self._stemmer: Any = None

    def terms(self, text: str) -> list[str]:
        known = self._terms
        # A term is never empty, so a miss (None) is the only falsy lookup.
        return [known.get(word) or self._fold(word) for word in _WORD.findall(text.casefold())]

    def _fold(self, word: str) -> str:
        plain = word
        if not word.isascii():
            decomposed = unicodedata.normalize("NFKD", word)
            plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        with self._lock:
            if self._stemmer is None:
                import Stemmer  # PyStemmer: the C implementation of the Porter algorithm FTS5's tokenizer uses

                self._stemmer = Stemmer.Stemmer("porter")
            term: str = self._stemmer.stemWord(plain)
            if len(self._terms) >= self.MAX_REMEMBERED:
                self._terms = {}
            self._terms[word] = term
        return term


@dataclass(frozen=True)
class Document:
    memory_id: str
    content: str
    summary: str | None
    superseded: bool
    expires_at: int | None


class _Vocabulary(dict[str, int]):
    """Term → number, numbering a new term on first sight (a dict lookup in C for every known one)."""

    def __missing__(self, term: str) -> int:
        number = self[term] = len(self)
        return number


Postings = tuple[np.ndarray, np.ndarray]  # document positions (int32), weighted term frequencies (float32)


@dataclass(frozen=True)
class ScopeTerms:
    """A snapshot of one user's keyword index. Positions of changed or deleted documents stay, marked dead.

    The postings of the last full build are slices of two shared arrays (`ranges` names each term's slice); those
    of documents appended since are small arrays of their own (`added`)."""

    seq: int
    ids: list[str]
    position: dict[str, int]
    alive: np.ndarray
    superseded: np.ndarray
    expires: np.ndarray
    lengths: np.ndarray
    base: Postings
    ranges: dict[str, tuple[int, int]]
    added: dict[str, Postings]

    @property
    def dead(self) -> int:
        return len(self.ids) - len(self.position)

    def postings(self, term: str) -> Postings | None:
        parts = []
        span = self.ranges.get(term)
        if span is not None:
            parts.append((self.base[0][span[0] : span[1]], self.base[1][span[0] : span[1]]))
        extra = self.added.get(term)
        if extra is not None:
            parts.append(extra)
        if len(parts) < 2:
            return parts[0] if parts else None
        return np.concatenate([parts[0][0], parts[1][0]]), np.concatenate([parts[0][1], parts[1][1]])

    def rank(
        self, terms: Iterable[str], now_micros: int, include_superseded: bool, limit: int, allowed: np.ndarray | None
    ) -> list[tuple[str, float]]:
        """The best `limit` documents matching any term (and in `allowed`, when given), with their BM25 scores.
        Document frequencies count every current document of the scope, whatever `allowed` holds."""
        current = self.alive & (self.expires > now_micros)
        if not include_superseded:
            current &= ~self.superseded
        live = int(current.sum())
        if live == 0 or limit < 1:
            return []
        average = float(self.lengths[current].mean()) or 1.0
        wanted = current if allowed is None else current & allowed
        scores = np.zeros(len(self.ids), dtype=np.float32)
        for term in dict.fromkeys(terms):
            entry = self.postings(term)
            if entry is None:
                continue
            docs, frequencies = entry
            keep = current[docs]
            found = int(keep.sum())
            if allowed is not None:
                keep &= allowed[docs]
            docs, frequencies = docs[keep], frequencies[keep]
            if docs.size == 0:
                continue
            idf = max(MIN_IDF, math.log((live - found + 0.5) / (found + 0.5)))
            norm = K1 * (1.0 - B + B * self.lengths[docs] / average)
            scores[docs] += idf * frequencies * (K1 + 1.0) / (frequencies + norm)
        matched = np.flatnonzero(scores * wanted)
        if matched.size > limit:
            matched = matched[np.argpartition(-scores[matched], limit - 1)[:limit]]
        # Ties keep the order memories were written in.
        best = matched[np.lexsort((matched, -scores[matched]))]
        return [(self.ids[position], float(scores[position])) for position in best]


def _tokens(
    documents: Sequence[Document], folder: TermFolder
) -> tuple[_Vocabulary, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every token of the documents as (term number, document index, weight) in flat arrays, and each document's
    length in tokens."""
    vocabulary = _Vocabulary()
    numbers: list[int] = []
    part_sizes: list[int] = []
    for document in documents:
        content = folder.terms(document.content)
        summary = folder.terms(document.summary) if document.summary else []
        numbers.extend(map(vocabulary.__getitem__, content))
        numbers.extend(map(vocabulary.__getitem__, summary))
        part_sizes.append(len(content))
        part_sizes.append(len(summary))
    sizes = np.array(part_sizes, dtype=np.int64).reshape(-1, 2)
    owners = np.repeat(np.arange(len(documents), dtype=np.int64), sizes.sum(axis=1))
    weights = np.repeat(np.tile([CONTENT_WEIGHT, SUMMARY_WEIGHT], len(documents)), sizes.ravel())
    return vocabulary, np.array(numbers, dtype=np.int64), owners, weights, sizes.sum(axis=1).astype(np.float32)


def _group(numbers: np.ndarray, owners: np.ndarray, weights: np.ndarray, size: int) -> tuple[np.ndarray, ...]:
    """(term, document) pairs summed: term numbers, document positions and weighted frequencies, sorted by term."""
    keys, inverse = np.unique(numbers * size + owners, return_inverse=True)
    frequencies = np.bincount(inverse, weights=weights).astype(np.float32)
    return keys // size, (keys % size).astype(np.int32), frequencies


def _slices(vocabulary: _Vocabulary, term_numbers: np.ndarray) -> dict[str, tuple[int, int]]:
    """Each term's slice of postings sorted by term."""
    starts = np.concatenate([[0], np.flatnonzero(np.diff(term_numbers)) + 1, [len(term_numbers)]]).tolist()
    names = list(vocabulary)
    return {names[int(term_numbers[start])]: (start, end) for start, end in itertools.pairwise(starts) if end > start}


def build(documents: Sequence[Document], seq: int, folder: TermFolder) -> ScopeTerms:
    """A whole scope at once, grouped with numpy: Python touches each token once."""
    vocabulary, numbers, owners, weights, lengths = _tokens(documents, folder)
    term_numbers, docs, frequencies = _group(numbers, owners, weights, max(1, len(documents)))
    return ScopeTerms(
        seq=seq,
        ids=[document.memory_id for document in documents],
        position={document.memory_id: index for index, document in enumerate(documents)},
        alive=np.ones(len(documents), dtype=bool),
        superseded=np.array([document.superseded for document in documents], dtype=bool),
        expires=_expiries(documents),
        lengths=lengths,
        base=(docs, frequencies),
        ranges=_slices(vocabulary, term_numbers),
        added={},
    )


def extend(
    scope: ScopeTerms, documents: Sequence[Document], gone: Iterable[str], seq: int, folder: TermFolder
) -> ScopeTerms:
    """A new snapshot: documents in `gone` (changed or deleted) dead, `documents` (their current state) appended."""
    alive = scope.alive.copy()
    position = dict(scope.position)
    for memory_id in gone:
        index = position.pop(memory_id, None)
        if index is not None:
            alive[index] = False
    start = len(scope.ids)
    position.update((document.memory_id, start + offset) for offset, document in enumerate(documents))
    vocabulary, numbers, owners, weights, lengths = _tokens(documents, folder)
    term_numbers, docs, frequencies = _group(numbers, owners, weights, max(1, len(documents)))
    added = dict(scope.added)
    for term, (first, end) in _slices(vocabulary, term_numbers).items():
        new = (docs[first:end] + start, frequencies[first:end])
        old = added.get(term)
        added[term] = new if old is None else (np.concatenate([old[0], new[0]]), np.concatenate([old[1], new[1]]))
    return ScopeTerms(
        seq=seq,
        ids=[*scope.ids, *(document.memory_id for document in documents)],
        position=position,
        alive=np.concatenate([alive, np.ones(len(documents), dtype=bool)]),
        superseded=np.concatenate([scope.superseded, np.array([d.superseded for d in documents], dtype=bool)]),
        expires=np.concatenate([scope.expires, _expiries(documents)]),
        lengths=np.concatenate([scope.lengths, lengths]),
        base=scope.base,
        ranges=scope.ranges,
        added=added,
    )


def _expiries(documents: Sequence[Document]) -> np.ndarray:
    return np.array([NO_EXPIRY if d.expires_at is None else d.expires_at for d in documents], dtype=np.int64)
