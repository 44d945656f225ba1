"""The risk-flag model: thirteen calibrated logistic regressions over sentence embeddings, loaded from a file.

This is the detector; the rules in ``signals/`` are a floor under it for explicit wording and structured data.
A message is scored whole and in windows of two sentences (a long e-mail with one worrying sentence in the
middle is diluted as a whole), and each flag takes its highest window. Raw scores are mapped to probabilities
by Platt scaling fitted on the development split, and each flag has its own threshold chosen there (recall
first for the critical four): see :mod:`app.triage.flag_training`, which writes the file this module reads.

Flags raised here carry the source ``model``. Scores between half the threshold and the threshold are
*uncertain*: with an LLM configured the pipeline asks for its opinion on those flags too.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from app.knowledge.embedding_cache import read_npz, write_npz
from app.knowledge.embeddings import Embedder, FloatArray
from app.taxonomy import FlagSource, severity_of
from app.triage.signals import Signal

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_MAX_WINDOWS = 12
_MAX_CHARS = 4000
UNCERTAIN_SHARE = 0.5  # a score at or above this share of the threshold, below the threshold, is "uncertain"


class ModelFileError(ValueError):
    """A model file that cannot be used (missing arrays, wrong shapes, unknown flags)."""


@dataclass(frozen=True)
class FlagModelParams:
    """Everything a trained model is: weights, calibration, thresholds, and what produced them (``meta``)."""

    version: str
    embedder: str
    flags: tuple[str, ...]
    coef: FloatArray  # (flags, dimension)
    intercept: FloatArray  # (flags,)
    platt_a: FloatArray  # calibrated p = sigmoid(a * raw + b)
    platt_b: FloatArray
    thresholds: FloatArray
    meta: dict[str, Any]
    idf: FloatArray | None = None  # character n-gram weights; None: the embedding alone

    def save(self, path: Path) -> None:
        header = {"version": self.version, "embedder": self.embedder, "flags": list(self.flags), "meta": self.meta}
        write_npz(
            path,
            {
                "header": np.array(json.dumps(header, sort_keys=True)),
                "intercept": self.intercept,
                "platt_a": self.platt_a,
                "platt_b": self.platt_b,
                "thresholds": self.thresholds,
                # float16 halves the file (n-gram weights are most of it); scores move by < 1e-3
                "coef": self.coef.astype(np.float16),
                **({"idf": self.idf.astype(np.float16)} if self.idf is not None else {}),
            },
        )

    @classmethod
    def load(cls, path: Path) -> FlagModelParams:
        arrays = read_npz(path)
        if arrays is None or "header" not in arrays:
            raise ModelFileError(f"{path}: not a flag model file")
        header = json.loads(str(arrays["header"]))
        flags = tuple(header["flags"])
        coef = arrays["coef"].astype(np.float32)
        if coef.shape[0] != len(flags):
            raise ModelFileError(f"{path}: {coef.shape[0]} weight rows for {len(flags)} flags")
        return cls(
            version=str(header["version"]),
            embedder=str(header["embedder"]),
            flags=flags,
            coef=coef,
            intercept=arrays["intercept"].astype(np.float32),
            platt_a=arrays["platt_a"].astype(np.float32),
            platt_b=arrays["platt_b"].astype(np.float32),
            thresholds=arrays["thresholds"].astype(np.float32),
            meta=dict(header.get("meta") or {}),
            idf=arrays["idf"].astype(np.float32) if "idf" in arrays else None,
        )


def message_windows(text: str) -> list[str]:
    """The whole message, then pairs of consecutive sentences when it has more than two."""
    text = text.strip()[:_MAX_CHARS]
    if not text:
        return []
    sentences = [m.group(0).strip() for m in _SENTENCE.finditer(text)]
    sentences = [s for s in sentences if s]
    windows = [text]
    if len(sentences) > 2:
        pairs = [f"{a} {b}" for a, b in itertools.pairwise(sentences)]
        windows.extend(pairs[:_MAX_WINDOWS])
    return windows


NGRAM_FEATURES = 2**16


def _hasher() -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    # Character n-grams inside word boundaries: spelling-level cues the sentence embedding smooths away
    # ("lol", "PK", "kkkk", "in game", typos), in any language, with no vocabulary to ship.
    return HashingVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), n_features=NGRAM_FEATURES, alternate_sign=False, norm=None
    )


class FlagFeatures:
    """What the regressions read: the sentence embedding, then (when the model has them) TF-IDF n-grams."""

    def __init__(self, embedder: Embedder, idf: FloatArray | None) -> None:
        self._embedder = embedder
        self._idf = idf
        self._hash = _hasher() if idf is not None else None

    @property
    def dimension(self) -> int:
        return self._embedder.dimension + (NGRAM_FEATURES if self._idf is not None else 0)

    def ngrams(self, texts: list[str]) -> Any:
        """Sublinear TF-IDF, L2-normalised per text (scipy sparse, one row per text)."""
        from sklearn.preprocessing import normalize

        assert self._hash is not None and self._idf is not None
        counts = self._hash.transform([t.lower() for t in texts]).astype(np.float32)
        counts.data = 1.0 + np.log(counts.data)
        return normalize(counts.multiply(self._idf).tocsr())

    def transform(self, texts: list[str]) -> Any:
        vectors = self._embedder.embed(texts)
        if self._idf is None:
            return vectors
        from scipy.sparse import csr_matrix, hstack

        return hstack([csr_matrix(vectors), self.ngrams(texts)]).tocsr()


def fit_idf(texts: list[str]) -> FloatArray:
    """Smoothed inverse document frequency of each hashed n-gram over the training texts."""
    counts = _hasher().transform([t.lower() for t in texts])
    document_frequency = np.bincount(counts.indices, minlength=NGRAM_FEATURES)
    idf: FloatArray = (np.log((1 + len(texts)) / (1 + document_frequency)) + 1.0).astype(np.float32)
    return idf


def _sigmoid(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    out: npt.NDArray[np.float32] = (1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))).astype(np.float32)
    return out


@dataclass(frozen=True)
class FlagScore:
    code: str
    probability: float
    threshold: float
    evidence: str

    @property
    def raised(self) -> bool:
        return self.probability >= self.threshold

    @property
    def uncertain(self) -> bool:
        return not self.raised and self.probability >= self.threshold * UNCERTAIN_SHARE


class FlagClassifier:
    """Scores messages with a :class:`FlagModelParams` over the embedder it was trained with."""

    def __init__(self, params: FlagModelParams, embedder: Embedder) -> None:
        if embedder.name != params.embedder:
            raise ModelFileError(f"model {params.version} needs the {params.embedder} embedder, not {embedder.name}")
        self.features = FlagFeatures(embedder, params.idf)
        if params.coef.shape[1] != self.features.dimension:
            raise ModelFileError(
                f"model {params.version}: {params.coef.shape[1]} weights per flag for "
                f"{self.features.dimension} features"
            )
        self.params = params

    @property
    def version(self) -> str:
        return self.params.version

    def raw_scores(self, texts: list[str]) -> npt.NDArray[np.float32]:
        out = np.asarray(self.features.transform(texts) @ self.params.coef.T, dtype=np.float32)
        result: npt.NDArray[np.float32] = out + self.params.intercept
        return result

    def calibrate(self, raw: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        return _sigmoid(raw * self.params.platt_a + self.params.platt_b)

    def best_window_raw(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """Uncalibrated scores, one row per text and one column per flag: each text's best window."""
        windows = [message_windows(t) or [""] for t in texts]
        raw = self.raw_scores([w for group in windows for w in group])
        out = np.zeros((len(texts), len(self.params.flags)), dtype=np.float32)
        row = 0
        for i, group in enumerate(windows):
            out[i] = raw[row : row + len(group)].max(axis=0)
            row += len(group)
        return out

    def probabilities(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """Calibrated probabilities of each text's best window (Platt's slope is positive, so the order holds)."""
        return self.calibrate(self.best_window_raw(texts))

    def score(self, text: str) -> list[FlagScore]:
        windows = message_windows(text)
        if not windows:
            return []
        calibrated = self.calibrate(self.raw_scores(windows))
        best = calibrated.argmax(axis=0)
        return [
            FlagScore(
                code=code,
                probability=float(calibrated[best[j], j]),
                threshold=float(self.params.thresholds[j]),
                evidence=windows[int(best[j])],
            )
            for j, code in enumerate(self.params.flags)
        ]

    def detect(self, text: str) -> list[Signal]:
        return [as_signal(text, s) for s in self.score(text) if s.raised]

    def locate(self, text: str, code: str) -> list[tuple[int, int]]:
        """Where in ``text`` a flag's content sits: the sentences scoring at least its threshold (else the best).

        The guardrails need the injected *sentences* to tell an instruction from the requester's own words;
        the message-level score cannot say which part of a long message carried it.
        """
        column = self.params.flags.index(code)
        spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text[:_MAX_CHARS]) if m.group(0).strip()]
        if len(spans) <= 1:
            return [(0, len(text))] if text.strip() else []
        scores = self.probabilities([text[a:b] for a, b in spans])[:, column]
        cut = min(float(self.params.thresholds[column]), float(scores.max()))
        return [span for span, p in zip(spans, scores, strict=True) if p >= cut]


def as_signal(text: str, score: FlagScore) -> Signal:
    """A raised score as a detector signal (source ``model``), its evidence the best window."""
    start = text.find(score.evidence)
    return Signal(
        code=score.code,
        severity=severity_of(score.code),
        evidence=score.evidence[:300],
        start=start if start >= 0 else None,
        end=start + len(score.evidence) if start >= 0 else None,
        confidence=round(score.probability, 3),
        source=FlagSource.MODEL,
    )
