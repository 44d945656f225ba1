"""BM25 (Okapi, as ``rank_bm25.BM25Okapi`` scores it) over a sparse term-by-chunk matrix, kept in step incrementally.

``rank_bm25`` scores a query with a Python loop over every document for every query term: at 2,000 articles
(15,000 chunks) that was tens of milliseconds per query, and the hybrid retriever rebuilt it from every chunk of
the index — texts fetched and re-tokenised — whenever any article changed. Here each query is one sparse
row-times-matrix product, and ``refresh`` re-tokenises only the chunks it has not seen: it lists the store's
chunk ids with their article's content hash, fetches the texts of the new ones, drops the vanished ones and
recomputes the weights from cached term counts (idf and document lengths are global, so the weights are rebuilt,
but from arrays, in milliseconds).

Scores equal ``BM25Okapi(corpus).get_scores(terms)`` (k1 = 1.5, b = 0.75, negative idf floored at 0.25 × the
mean idf) up to float rounding; the tests compare the two.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from app.knowledge.splitting import Chunk
from app.knowledge.vector_store import StoredChunk

K1 = 1.5
B = 0.75
EPSILON = 0.25


@dataclass(frozen=True)
class _Counts:
    """One chunk's term ids and how often each occurs; ``length`` is its token count."""

    chunk: Chunk
    terms: npt.NDArray[np.int64]
    counts: npt.NDArray[np.float64]
    length: int


class KeywordIndex:
    """BM25 over a changing set of chunks; not thread safe (the retriever serialises access)."""

    def __init__(self, tokenize: Callable[[str], list[str]]) -> None:
        self._tokenize = tokenize
        self._vocabulary: dict[str, int] = {}
        self._docs: dict[tuple[str, str], _Counts] = {}  # (chunk id, content hash) -> counts
        self._chunks: list[Chunk] = []
        self._by_id: dict[str, Chunk] = {}
        self._weights: sparse.csr_matrix | None = None  # terms x chunks

    @property
    def chunks(self) -> list[Chunk]:
        return self._chunks

    def chunk(self, chunk_id: str) -> Chunk | None:
        """The indexed chunk with this id: the vector search returns ids and the texts are already here."""
        return self._by_id.get(chunk_id)

    def refresh(self, keys: dict[str, str], fetch: Callable[[Sequence[str]], list[StoredChunk]]) -> None:
        """Match ``keys`` (chunk id -> content hash); ``fetch`` loads the chunks not seen before."""
        wanted = set(keys.items())
        new_ids = sorted(cid for cid, digest in wanted if (cid, digest) not in self._docs)
        for stored in fetch(new_ids) if new_ids else []:
            self._add(stored)
        self._docs = {key: doc for key, doc in self._docs.items() if key in wanted}
        self._rebuild()

    def _add(self, stored: StoredChunk) -> None:
        counted = Counter(self._tokenize(stored.chunk.text))
        terms = np.array([self._vocabulary.setdefault(t, len(self._vocabulary)) for t in counted], dtype=np.int64)
        counts = np.array(list(counted.values()), dtype=np.float64)
        self._docs[(stored.chunk.chunk_id, stored.content_hash)] = _Counts(
            stored.chunk, terms, counts, sum(counted.values())
        )

    def _rebuild(self) -> None:
        docs = sorted(self._docs.values(), key=lambda d: _chunk_order(d.chunk))
        self._chunks = [d.chunk for d in docs]
        self._by_id = {c.chunk_id: c for c in self._chunks}
        if not docs or not any(d.length for d in docs):
            self._weights = None
            return
        n_docs, n_terms = len(docs), len(self._vocabulary)
        rows = np.concatenate([d.terms for d in docs])
        cols = np.repeat(np.arange(n_docs), [len(d.terms) for d in docs])
        tf = np.concatenate([d.counts for d in docs])
        lengths = np.array([d.length for d in docs], dtype=np.float64)
        df = np.bincount(rows, minlength=n_terms).astype(np.float64)
        present = df > 0
        idf = np.zeros(n_terms)
        idf[present] = np.log(n_docs - df[present] + 0.5) - np.log(df[present] + 0.5)
        floor = EPSILON * float(idf[present].sum()) / int(present.sum())
        idf[present & (idf < 0)] = floor
        norm = K1 * (1 - B + B * lengths / lengths.mean())
        values = idf[rows] * (tf * (K1 + 1) / (tf + norm[cols]))
        self._weights = sparse.csr_matrix((values, (rows, cols)), shape=(n_terms, n_docs))

    def rank(self, terms: list[str], limit: int) -> list[Chunk]:
        """The best ``limit`` chunks with a positive score, best first (ties in chunk order)."""
        if self._weights is None or not terms or limit <= 0:
            return []
        ids = [self._vocabulary[t] for t in terms if t in self._vocabulary]
        if not ids:
            return []
        query = Counter(ids)
        vector = sparse.csr_matrix(
            (np.array(list(query.values()), dtype=np.float64), ([0] * len(query), list(query))),
            shape=(1, self._weights.shape[0]),
        )
        scores = np.asarray((vector @ self._weights).todense()).ravel()
        positive = np.flatnonzero(scores > 0)
        order = positive[np.argsort(-scores[positive], kind="stable")][:limit]
        return [self._chunks[i] for i in order]


def _chunk_order(chunk: Chunk) -> tuple[str, int]:
    """Article id, then position (``#10`` after ``#9``): the order ``VectorStore.all_chunks`` returns."""
    return chunk.article_id, int(chunk.chunk_id.rsplit("#", 1)[1])
