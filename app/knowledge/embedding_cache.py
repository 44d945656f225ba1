"""Vectors of fixed example texts, cached on disk by content, and the atomic ``.npz`` files they live in.

Both offline models (the category classifier and the critical-flag model) embed a few hundred shipped examples
at start-up; embedding is the slow part, so the vectors are kept under the cache directory keyed by the
embedder and every text — an edited example is never served a stale vector.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.knowledge.embeddings import Embedder, FloatArray


def vectors_key(embedder: Embedder, texts: list[str]) -> str:
    """Covers the embedder and every text, so an edited example is never served a stale vector."""
    digest = hashlib.sha256(f"{embedder.name}\0{embedder.dimension}\0".encode())
    for text in texts:
        digest.update(f"{text}\0".encode())
    return digest.hexdigest()[:24]


def cached_embed(embedder: Embedder, texts: list[str], cache_dir: Path | None, name: str) -> FloatArray:
    """Vectors of ``texts`` in order, read from / written to ``cache_dir/{name}-vectors-{key}.npz`` when given."""
    if cache_dir is None:
        return embedder.embed(texts)
    path = cache_dir / f"{name}-vectors-{vectors_key(embedder, texts)}.npz"
    cached = read_npz(path)
    if cached is not None and cached.get("vectors", np.zeros(0)).shape == (len(texts), embedder.dimension):
        return cached["vectors"].astype(np.float32)
    vectors = embedder.embed(texts)
    write_npz(path, {"vectors": vectors})
    return vectors


def read_npz(path: Path) -> dict[str, npt.NDArray[np.generic]] | None:
    """The arrays in ``path``, or None when it is missing or unreadable (the caller then recomputes)."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}
    except (OSError, ValueError, EOFError):
        return None


def write_npz(path: Path, arrays: dict[str, npt.NDArray[np.generic]]) -> None:
    """Atomic (temp file + rename): several worker processes may start at once and share the directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, **arrays)  # type: ignore[arg-type]
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
