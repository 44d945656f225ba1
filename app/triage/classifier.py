"""The offline category classifier behind the default (no-LLM) provider.

Two views of the message are combined because each fails where the other holds: sentence embeddings
(all-MiniLM-L6-v2, via the ``Embedder`` protocol) carry meaning across wordings the examples never used ("top-up
pending" ≈ "recharge still processing"), while TF-IDF over words and character n-grams keeps the decisive
keywords and survives typos ("chargeback", "diamonds", "W-9", "refund"). Each view feeds a multinomial logistic
regression trained on the shipped examples (``training/category_examples.jsonl``, written for this project);
their probabilities are averaged.

A message that fits nothing must come back as ``feedback_other``, not as the least-bad guess, so an
out-of-scope rule sits on top: when the message is far from every in-scope example (low cosine similarity) or
no in-scope category is clearly likely, the answer is ``feedback_other``.

Embedding the ~1,200 examples takes tens of seconds in numpy and fitting the regressions a second or more on a
busy machine, so ``train`` caches both — the example vectors and the fitted parameters (coefficients, TF-IDF
vocabularies and idf weights) — as plain ``.npz`` arrays keyed by a hash of the examples, the embedder and the
model settings. A later process loads them in well under a second; no pickle is ever read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from app.knowledge.embedding_cache import cached_embed, read_npz, vectors_key, write_npz
from app.knowledge.embeddings import Embedder, FloatArray
from app.taxonomy import Category

Matrix = npt.NDArray[np.float64]

_EXAMPLES_RESOURCE = "category_examples.jsonl"
_SEED = 0
# Inverse regularisation of both regressions; held-out results were flat between 10 and 100.
_C = 30.0
# Words catch the domain terms; character n-grams inside word boundaries catch typos and inflections.
_TEXT_VIEWS: dict[str, dict[str, object]] = {
    "words": {"analyzer": "word", "ngram_range": (1, 2), "min_df": 1},
    "chars": {"analyzer": "char_wb", "ngram_range": (3, 5), "min_df": 2},
}
# Part of every cache key: change it whenever the features or the regressions change.
_MODEL_VERSION = f"v1-c{_C}-" + json.dumps(_TEXT_VIEWS, sort_keys=True)


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


@dataclass(frozen=True)
class _Parameters:
    """Everything prediction needs, as plain arrays (so it can be cached without pickle)."""

    classes: list[str]
    embedding_coef: Matrix
    embedding_intercept: Matrix
    text_coef: Matrix
    text_intercept: Matrix
    vocabularies: dict[str, list[str]]
    idf: dict[str, Matrix]
    in_scope_vectors: FloatArray


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


def _model_key(embedder: Embedder, examples: list[LabelledExample]) -> str:
    """The vectors' key plus every label and the model settings: relabelling refits without re-embedding."""
    digest = hashlib.sha256(f"{vectors_key(embedder, [e.text for e in examples])}\0{_MODEL_VERSION}\0".encode())
    for example in examples:
        digest.update(f"{example.category.value}\0".encode())
    return digest.hexdigest()[:24]


def embed_examples(embedder: Embedder, examples: list[LabelledExample], cache_dir: Path | None = None) -> FloatArray:
    """Vectors of ``examples`` in order, read from / written to ``cache_dir`` when given."""
    return cached_embed(embedder, [example.text for example in examples], cache_dir, "category")


def _vectorizer(view: str, vocabulary: list[str] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(lowercase=True, sublinear_tf=True, vocabulary=vocabulary, **_TEXT_VIEWS[view])


def _fit(examples: list[LabelledExample], vectors: FloatArray) -> _Parameters:
    if len(examples) != len(vectors):
        raise ValueError(f"{len(examples)} examples but {len(vectors)} vectors")
    labels = [example.category.value for example in examples]
    if len(set(labels)) < 2:
        raise ValueError("training needs examples of at least two categories")
    texts = [example.text for example in examples]
    # One BLAS thread: these problems are small, and on a busy machine extra threads make lbfgs ~50x slower.
    with threadpool_limits(limits=1):
        embedding_model = LogisticRegression(C=_C, max_iter=2000, random_state=_SEED).fit(vectors, labels)
        vectorizers = {view: _vectorizer(view) for view in _TEXT_VIEWS}
        text_matrix = sparse.hstack([v.fit_transform(texts) for v in vectorizers.values()]).tocsr()
        text_model = LogisticRegression(C=_C, max_iter=2000, random_state=_SEED).fit(text_matrix, labels)
    in_scope = np.array([label != Category.FEEDBACK_OTHER.value for label in labels])
    return _Parameters(
        classes=[str(c) for c in embedding_model.classes_],
        embedding_coef=embedding_model.coef_,
        embedding_intercept=embedding_model.intercept_,
        text_coef=text_model.coef_,
        text_intercept=text_model.intercept_,
        vocabularies={view: sorted(v.vocabulary_, key=v.vocabulary_.__getitem__) for view, v in vectorizers.items()},
        idf={view: v.idf_ for view, v in vectorizers.items()},
        in_scope_vectors=vectors[in_scope],
    )


def _save_parameters(path: Path, p: _Parameters) -> None:
    arrays: dict[str, npt.NDArray[np.generic]] = {
        "classes": np.array(p.classes),
        "embedding_coef": p.embedding_coef,
        "embedding_intercept": p.embedding_intercept,
        "text_coef": p.text_coef,
        "text_intercept": p.text_intercept,
        "in_scope_vectors": p.in_scope_vectors,
    }
    for view in _TEXT_VIEWS:
        arrays[f"vocabulary_{view}"] = np.array(p.vocabularies[view], dtype=str)
        arrays[f"idf_{view}"] = p.idf[view]
    write_npz(path, arrays)


def _load_parameters(path: Path) -> _Parameters | None:
    data = read_npz(path)
    if data is None:
        return None
    try:
        return _Parameters(
            classes=[str(c) for c in data["classes"]],
            embedding_coef=data["embedding_coef"].astype(np.float64),
            embedding_intercept=data["embedding_intercept"].astype(np.float64),
            text_coef=data["text_coef"].astype(np.float64),
            text_intercept=data["text_intercept"].astype(np.float64),
            vocabularies={view: [str(t) for t in data[f"vocabulary_{view}"]] for view in _TEXT_VIEWS},
            idf={view: data[f"idf_{view}"].astype(np.float64) for view in _TEXT_VIEWS},
            in_scope_vectors=data["in_scope_vectors"].astype(np.float32),
        )
    except KeyError:
        return None


def _softmax(logits: Matrix) -> Matrix:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    result: Matrix = exp / exp.sum(axis=1, keepdims=True)
    return result


class CategoryClassifier:
    """Embedding + TF-IDF logistic regressions with an out-of-scope rule; build it with ``train`` or ``fit``."""

    def __init__(
        self,
        embedder: Embedder,
        parameters: _Parameters,
        rule: OutOfScopeRule | None = None,
        embedding_weight: float = 0.6,
    ) -> None:
        self._embedder = embedder
        self._p = parameters
        self._rule = rule or OutOfScopeRule()
        self._embedding_weight = embedding_weight
        self._vectorizers: dict[str, Callable[[list[str]], sparse.csr_matrix]] = {}
        for view in _TEXT_VIEWS:
            vectorizer = _vectorizer(view, parameters.vocabularies[view])
            vectorizer.idf_ = parameters.idf[view]
            self._vectorizers[view] = vectorizer.transform

    @property
    def embedder_name(self) -> str:
        return self._embedder.name

    @classmethod
    def train(
        cls,
        embedder: Embedder,
        examples: list[LabelledExample] | None = None,
        cache_dir: Path | None = None,
    ) -> CategoryClassifier:
        """Fit on ``examples`` (default: the shipped ones), reusing what ``cache_dir`` already holds."""
        examples = load_training_examples() if examples is None else examples
        if cache_dir is None:
            return cls.fit(embedder, examples, embedder.embed([e.text for e in examples]))
        path = cache_dir / f"category-model-{_model_key(embedder, examples)}.npz"
        parameters = _load_parameters(path)
        if parameters is None:
            parameters = _fit(examples, embed_examples(embedder, examples, cache_dir))
            _save_parameters(path, parameters)
        return cls(embedder, parameters)

    @classmethod
    def fit(
        cls,
        embedder: Embedder,
        examples: list[LabelledExample],
        vectors: FloatArray,
        rule: OutOfScopeRule | None = None,
    ) -> CategoryClassifier:
        """Fit on examples whose vectors (from ``embedder``) the caller already holds, e.g. for cross-validation."""
        return cls(embedder, _fit(examples, vectors), rule)

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

    def _blend(self, texts: list[str], vectors: FloatArray) -> Matrix:
        p = self._p
        from_vectors = _softmax(vectors.astype(np.float64) @ p.embedding_coef.T + p.embedding_intercept)
        text_matrix = sparse.hstack([transform(texts) for transform in self._vectorizers.values()]).tocsr()
        from_text = _softmax(np.asarray(text_matrix @ p.text_coef.T) + p.text_intercept)
        blended: Matrix = self._embedding_weight * from_vectors + (1.0 - self._embedding_weight) * from_text
        return blended

    def _in_scope_similarity(self, vectors: FloatArray) -> Matrix:
        """Mean cosine similarity to the nearest in-scope examples (the vectors are L2-normalised)."""
        reference = self._p.in_scope_vectors
        if len(reference) == 0:
            return np.zeros(len(vectors))
        similarities = vectors @ reference.T
        k = min(self._rule.neighbours, similarities.shape[1])
        nearest = -np.partition(-similarities, k - 1, axis=1)[:, :k]
        result: Matrix = nearest.mean(axis=1).astype(np.float64)
        return result

    def _decide(self, probabilities: Matrix, similarity: float) -> Classification:
        scores = {category: float(p) for category, p in zip(self._p.classes, probabilities, strict=True)}
        other = Category.FEEDBACK_OTHER.value
        in_scope = {c: s for c, s in scores.items() if c != other}
        best = max(scores, key=scores.__getitem__)
        best_in_scope = max(in_scope, key=in_scope.__getitem__) if in_scope else other
        top_in_scope = in_scope.get(best_in_scope, 0.0)
        if best == other or similarity < self._rule.min_similarity or top_in_scope < self._rule.min_confidence:
            # How sure we are that no in-scope category fits, not the (possibly small) feedback_other score.
            return Classification(Category.FEEDBACK_OTHER, _clip(1.0 - top_in_scope), scores)
        return Classification(Category(best_in_scope), _clip(top_in_scope), scores)


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))
