"""The offline category classifier behind the default (no-LLM) provider.

Two views of the message are combined because each fails where the other holds: sentence embeddings
(all-MiniLM-L6-v2, via the ``Embedder`` protocol) carry meaning across wordings the examples never used ("top-up
pending" ≈ "recharge still processing"), while TF-IDF over words and character n-grams keeps the decisive
keywords and survives typos ("chargeback", "diamonds", "W-9", "refund"). Each view feeds a logistic regression
trained on the shipped examples (``training/category_examples.jsonl``, written for this project); their
probabilities are averaged.

A message that fits nothing must come back as ``feedback_other``, not as the least-bad guess, so an
out-of-scope rule sits on top: when the message is far from every in-scope example (low cosine similarity) or
no in-scope category is clearly likely, the answer is ``feedback_other``.

Embedding the ~1,000 examples takes ~25 s in numpy, so ``train`` caches their vectors in an ``.npz`` keyed by
a hash of the examples and the embedder; fitting the two regressions takes well under a second, so nothing
else is cached (and no pickles are ever loaded).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from app.knowledge.embeddings import Embedder, FloatArray
from app.taxonomy import Category

_EXAMPLES_RESOURCE = "category_examples.jsonl"
_CACHE_VERSION = "1"
_SEED = 0
# Inverse regularisation for both regressions; results were flat between 10 and 100 on held-out data.
_C = 30.0


@dataclass(frozen=True)
class LabelledExample:
    """One training message and the category a specialist would file it under."""

    text: str
    category: Category


@dataclass(frozen=True)
class Classification:
    """The classifier's answer; ``category`` is never None (``feedback_other`` when nothing fits)."""

    category: Category
    confidence: float
    scores: dict[str, float]


@dataclass(frozen=True)
class OutOfScopeRule:
    """When to answer ``feedback_other`` instead of the best in-scope category.

    ``min_similarity``: the mean cosine similarity of the message to its ``neighbours`` nearest in-scope
    examples must reach this, or the message is about something we were never asked about.
    ``min_confidence``: the blended probability of the best in-scope category must reach this.
    """

    min_similarity: float = 0.40
    min_confidence: float = 0.25
    neighbours: int = 3


def load_training_examples() -> list[LabelledExample]:
    """The examples shipped with the package, in file order; an unknown category is a packaging error."""
    text = resources.files("app.triage.training").joinpath(_EXAMPLES_RESOURCE).read_text(encoding="utf-8")
    examples: list[LabelledExample] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        try:
            examples.append(LabelledExample(text=str(row["text"]), category=Category(row["category"])))
        except (KeyError, ValueError) as exc:
            raise ValueError(f"{_EXAMPLES_RESOURCE} line {number}: needs 'text' and a known 'category'") from exc
    return examples


def embed_examples(embedder: Embedder, examples: list[LabelledExample], cache_dir: Path | None = None) -> FloatArray:
    """Vectors of ``examples`` in order, read from / written to ``cache_dir`` when given.

    The cache key covers the embedder's name and dimension and every example's text, so editing the examples
    or swapping the model never serves stale vectors. Writes are atomic (temp file + rename) because several
    worker processes may start at once.
    """
    texts = [example.text for example in examples]
    if cache_dir is None:
        return embedder.embed(texts)
    digest = hashlib.sha256()
    digest.update(f"{_CACHE_VERSION}\0{embedder.name}\0{embedder.dimension}\0".encode())
    for text in texts:
        digest.update(text.encode("utf-8") + b"\0")
    path = cache_dir / f"category-examples-{digest.hexdigest()[:24]}.npz"
    cached = _read_cache(path, len(texts), embedder.dimension)
    if cached is not None:
        return cached
    vectors = embedder.embed(texts)
    cache_dir.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(dir=cache_dir, suffix=".npz.tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, vectors=vectors)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return vectors


def _read_cache(path: Path, rows: int, dimension: int) -> FloatArray | None:
    """The cached vectors, or None when missing, unreadable or of the wrong shape (then they are recomputed)."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            vectors: FloatArray = data["vectors"].astype(np.float32)
    except (OSError, ValueError, KeyError):
        return None
    return vectors if vectors.shape == (rows, dimension) else None


def _text_features() -> FeatureUnion:
    # Words catch the domain terms; character n-grams inside word boundaries catch typos and inflections.
    return FeatureUnion(
        [
            ("words", TfidfVectorizer(lowercase=True, ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
            (
                "chars",
                TfidfVectorizer(lowercase=True, analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2),
            ),
        ]
    )


class CategoryClassifier:
    """Embedding + TF-IDF logistic regressions with an out-of-scope rule; build it with ``train``."""

    def __init__(
        self,
        embedder: Embedder,
        examples: list[LabelledExample],
        vectors: FloatArray,
        rule: OutOfScopeRule | None = None,
        embedding_weight: float = 0.6,
    ) -> None:
        if len(examples) != len(vectors):
            raise ValueError(f"{len(examples)} examples but {len(vectors)} vectors")
        labels = [example.category.value for example in examples]
        if len(set(labels)) < 2:
            raise ValueError("training needs examples of at least two categories")
        self._embedder = embedder
        self._rule = rule or OutOfScopeRule()
        self._embedding_weight = embedding_weight
        self._embedding_model = LogisticRegression(C=_C, max_iter=2000, random_state=_SEED)
        self._embedding_model.fit(vectors, labels)
        self._text_vectorizer = _text_features()
        text_matrix = self._text_vectorizer.fit_transform([example.text for example in examples])
        self._text_model = LogisticRegression(C=_C, max_iter=2000, random_state=_SEED)
        self._text_model.fit(text_matrix, labels)
        self._classes: list[str] = [str(c) for c in self._embedding_model.classes_]
        in_scope = np.array([label != Category.FEEDBACK_OTHER.value for label in labels])
        self._in_scope_vectors: FloatArray = vectors[in_scope]

    @classmethod
    def train(
        cls,
        embedder: Embedder,
        examples: list[LabelledExample] | None = None,
        cache_dir: Path | None = None,
    ) -> CategoryClassifier:
        """Fit on ``examples`` (default: the shipped ones), reusing cached example vectors from ``cache_dir``."""
        examples = load_training_examples() if examples is None else examples
        return cls(embedder, examples, embed_examples(embedder, examples, cache_dir))

    def classify(self, text: str) -> Classification:
        """The category of one message."""
        return self.classify_many([text])[0]

    def classify_many(self, texts: list[str]) -> list[Classification]:
        """Categories for a batch (one embedding pass, so cheaper per message than ``classify``)."""
        if not texts:
            return []
        return self.classify_embedded(texts, self._embedder.embed(texts))

    def classify_embedded(self, texts: list[str], vectors: FloatArray) -> list[Classification]:
        """Categories for texts whose vectors (from the same embedder) the caller already holds, e.g. in evals."""
        if not texts:
            return []
        probabilities = self._blend(texts, vectors)
        similarity = self._in_scope_similarity(vectors)
        return [self._decide(row, float(sim)) for row, sim in zip(probabilities, similarity, strict=True)]

    def _blend(self, texts: list[str], vectors: FloatArray) -> npt.NDArray[np.float64]:
        from_vectors = self._embedding_model.predict_proba(vectors)
        text_matrix: sparse.csr_matrix = self._text_vectorizer.transform(texts)
        from_text = self._text_model.predict_proba(text_matrix)
        blended: npt.NDArray[np.float64] = (
            self._embedding_weight * from_vectors + (1.0 - self._embedding_weight) * from_text
        )
        return blended

    def _in_scope_similarity(self, vectors: FloatArray) -> npt.NDArray[np.float64]:
        """Mean cosine similarity to the nearest in-scope examples (the vectors are L2-normalised)."""
        if len(self._in_scope_vectors) == 0:
            return np.zeros(len(vectors))
        similarities = vectors @ self._in_scope_vectors.T
        k = min(self._rule.neighbours, similarities.shape[1])
        nearest = -np.partition(-similarities, k - 1, axis=1)[:, :k]
        result: npt.NDArray[np.float64] = nearest.mean(axis=1).astype(np.float64)
        return result

    def _decide(self, probabilities: npt.NDArray[np.float64], similarity: float) -> Classification:
        scores = {category: float(p) for category, p in zip(self._classes, probabilities, strict=True)}
        other = Category.FEEDBACK_OTHER.value
        best = max(self._classes, key=lambda c: scores[c])
        in_scope = {c: s for c, s in scores.items() if c != other}
        best_in_scope = max(in_scope, key=lambda c: in_scope[c]) if in_scope else other
        out_of_scope = (
            best == other
            or similarity < self._rule.min_similarity
            or in_scope.get(best_in_scope, 0.0) < self._rule.min_confidence
        )
        if out_of_scope:
            # How sure we are that no in-scope category fits, not the (possibly small) feedback_other score.
            confidence = 1.0 - in_scope.get(best_in_scope, 0.0)
            return Classification(Category.FEEDBACK_OTHER, _clip(confidence), scores)
        return Classification(Category(best_in_scope), _clip(scores[best_in_scope]), scores)


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))
