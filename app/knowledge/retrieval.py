"""Hybrid retrieval: vector similarity and BM25 keyword scores, fused by reciprocal rank.

MiniLM finds paraphrases ("my coins never showed up" → "Coins not credited after a purchase") but blurs exact
identifiers a requester types verbatim — form names like W-8BEN, error codes, product names. BM25 catches those.
The two scores live on different scales, so they are fused by rank (RRF, k=60, Cormack et al. 2009): each list
adds ``weight / (60 + rank)``. BM25 gets half the vector's weight: on the 476 labelled inbound messages (not
``feedback_other``) the top article's category matched the label for 68.7% with vectors alone, 46.8% with BM25
alone, 63.4% fused at equal weight and 68.1% at half weight, which also gave the best top-3 (88.2% vs 87.0%) —
so BM25 rescues exact terms without outvoting the better ranker (``benchmarks/retrieval_speed.py --quality``).

``search`` fuses chunk rankings. ``search_articles`` fuses *article* rankings (each article at its best chunk's
rank in each list), because the vector's best chunk of an article and BM25's best chunk are often different
chunks; fusing chunks first let an article that was merely second in both lists beat the one both put first.

Two optional preferences multiply the fused score: the categories triage already suspects, and the requester's
locale — mildly, because all-MiniLM-L6-v2 is an English model to which Spanish texts look alike whatever their
topic. ``search_articles`` also swaps in the preferred-locale translation of each article it found, so the locale
picks the language of a policy, not which policy is found.

The BM25 index (``keyword_index.py``) lives in process and is refreshed whenever ``store.revision()`` changes, which
every process sees, so an API process notices an article published through another process; a refresh
re-tokenises only the chunks it has not seen.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from app.knowledge.articles import base_article_id
from app.knowledge.embeddings import Embedder
from app.knowledge.keyword_index import KeywordIndex
from app.knowledge.splitting import Chunk
from app.knowledge.vector_store import VectorStore

RRF_K = 60
LOCALE_BOOST = 0.2
CATEGORY_BOOST = 0.3
KEYWORD_WEIGHT = 0.5  # BM25's vote relative to the vector's; see the module docstring
MIN_CANDIDATES = 20

_TOKEN_RE = re.compile(r"[^\W_]+(?:[-'./][^\W_]+)*")
_JOINER_RE = re.compile(r"[-'./]")
# Only the commonest function words of the languages we ship; BM25's IDF handles the rest.
_STOPWORD_TEXT = (
    "a an and are as at be but by can do for from has have how i if in is it me my no not of on or our so that the "
    "their them they this to was we were what when where which who why will with you your "
    "al como con de del el en es la las lo los me mi no para pero por que se si su sus un una y yo"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class SearchHit:
    """One retrieved chunk; ``score`` is the fused rank score (compare within one search only).

    ``similarity`` is the cosine similarity when the vector search returned the chunk (``None`` when only BM25
    found it); unlike ``score`` it is comparable across searches, e.g. to spot questions no article answers.
    """

    chunk_id: str
    article_id: str
    version: int
    title: str
    section: str
    text: str
    locale: str
    categories: tuple[str, ...]
    score: float
    similarity: float | None = None


def tokenize(text: str) -> list[str]:
    """Lowercased, accent-folded word tokens; "W-8BEN" gives "w8ben" and "8ben", so "W8BEN" matches too."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    tokens: list[str] = []
    for match in _TOKEN_RE.finditer(folded):
        word = match.group(0)
        parts = [p for p in _JOINER_RE.split(word) if p]
        if len(parts) > 1:
            tokens.append("".join(parts))
            tokens.extend(p for p in parts if len(p) > 1 and p not in _STOPWORDS)
        elif word not in _STOPWORDS:
            tokens.append(word)
    return tokens


@dataclass
class _Candidates:
    """The two rankings for one query, best first, and every chunk either of them returned."""

    vector: list[tuple[Chunk, float]]
    keyword: list[Chunk]
    chunks: dict[str, Chunk] = field(init=False)
    similarity: dict[str, float] = field(init=False)

    def __post_init__(self) -> None:
        self.chunks = {c.chunk_id: c for c in [c for c, _ in self.vector] + self.keyword}
        self.similarity = {c.chunk_id: s for c, s in self.vector}

    def chunk_scores(self, multiplier: Callable[[Chunk], float], keyword_weight: float) -> dict[str, float]:
        scores = _rrf([[c.chunk_id for c, _ in self.vector], [c.chunk_id for c in self.keyword]], [1.0, keyword_weight])
        return {cid: score * multiplier(self.chunks[cid]) for cid, score in scores.items()}


class HybridRetriever:
    """Searches one ``VectorStore`` with one ``Embedder``; safe to share between threads."""

    def __init__(
        self,
        store: VectorStore,
        embedder: Embedder,
        *,
        locale_boost: float = LOCALE_BOOST,
        category_boost: float = CATEGORY_BOOST,
        keyword_weight: float = KEYWORD_WEIGHT,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._locale_boost = locale_boost
        self._category_boost = category_boost
        self._keyword_weight = keyword_weight
        self._keyword_index = KeywordIndex(tokenize)
        self._keyword_revision: str | None = None
        self._lock = threading.Lock()

    def search(
        self, query: str, k: int = 5, locale: str | None = None, categories: Sequence[str] | None = None
    ) -> list[SearchHit]:
        """The top ``k`` chunks, best first; several may come from the same article."""
        if k <= 0 or not query.strip():
            return []
        found = self._candidates(query, max(4 * k, MIN_CANDIDATES), locale)
        scores = found.chunk_scores(self._multiplier(locale, categories), self._keyword_weight)
        best = sorted(scores, key=lambda cid: (-scores[cid], cid))[:k]
        return [_hit(found.chunks[cid], scores[cid], found.similarity.get(cid)) for cid in best]

    def search_articles(
        self,
        query: str,
        k: int = 3,
        locale: str | None = None,
        categories: Sequence[str] | None = None,
        *,
        collapse_translations: bool = True,
    ) -> list[SearchHit]:
        """The top ``k`` articles, each as its best chunk — what a draft cites.

        Articles are fused by their best rank in each list, not by one chunk's: an article whose chunks top the
        vector list and whose other chunk tops BM25 beats an article with one chunk that is merely good in both.
        With ``collapse_translations`` an article and its translations take one slot, represented by the best
        chunk in ``locale`` when there is one: the locale picks the language of a policy, not the policy.
        ``score`` is the article's fused score and ``similarity`` the best cosine similarity of any of its chunks.
        """
        if k <= 0 or not query.strip():
            return []
        found = self._candidates(query, max(8 * k, 2 * MIN_CANDIDATES), locale)
        family: Callable[[Chunk], str] = (
            (lambda c: base_article_id(c.article_id)) if collapse_translations else (lambda c: c.article_id)
        )
        # A family spans locales, so only a single-locale article is boosted for its locale.
        multiplier = self._multiplier(None if collapse_translations else locale, categories)
        chunk_scores = found.chunk_scores(self._multiplier(locale, categories), self._keyword_weight)
        members: dict[str, list[Chunk]] = {}
        for cid in sorted(chunk_scores, key=lambda cid: (-chunk_scores[cid], cid)):
            members.setdefault(family(found.chunks[cid]), []).append(found.chunks[cid])
        article_scores = _rrf(
            [_unique(family(c) for c, _ in found.vector), _unique(family(c) for c in found.keyword)],
            [1.0, self._keyword_weight],
        )
        for key in article_scores:
            article_scores[key] *= max(multiplier(c) for c in members[key])
        hits: list[SearchHit] = []
        for key in sorted(article_scores, key=lambda key: (-article_scores[key], key))[:k]:
            chunks = members[key]
            preferred = [c for c in chunks if locale and _same_language(c.locale, locale)]
            sims = [found.similarity[c.chunk_id] for c in chunks if c.chunk_id in found.similarity]
            hits.append(_hit((preferred or chunks)[0], article_scores[key], max(sims) if sims else None))
        return hits

    def _multiplier(self, locale: str | None, categories: Sequence[str] | None) -> Callable[[Chunk], float]:
        wanted = set(categories or ())

        def multiplier(chunk: Chunk) -> float:
            factor = 1.0
            if locale and _same_language(chunk.locale, locale):
                factor *= 1.0 + self._locale_boost
            if wanted.intersection(chunk.categories):
                factor *= 1.0 + self._category_boost
            return factor

        return multiplier

    def _candidates(self, query: str, limit: int, locale: str | None) -> _Candidates:
        with self._lock:
            self._refresh_keyword_index()
            keyword = self._keyword_index.rank(tokenize(query), limit)
            known = self._keyword_index.chunk
        return _Candidates(vector=self._vector_ranking(query, limit, locale, known), keyword=keyword)

    def _vector_ranking(
        self, query: str, limit: int, locale: str | None, known: Callable[[str], Chunk | None]
    ) -> list[tuple[Chunk, float]]:
        vector = self._embedder.embed([query])[0]
        if not locale:
            found = dict(self._store.query_ids(vector, limit))
        else:
            # Preferred-locale chunks must stay in the running when other locales crowd the unfiltered top list.
            # One query twice as deep usually holds the top ``limit`` of the locale as well (the same chunks a
            # filtered query returns); only when it does not is the filtered query made.
            deep = self._store.query_ids(vector, 2 * limit)
            found = dict(deep[:limit])
            same = [(cid, sim) for cid, sim in deep if (c := known(cid)) is not None and c.locale == locale]
            if len(same) < limit and len(deep) == 2 * limit:
                same = self._store.query_ids(vector, limit, locale=locale)
            found.update(same[:limit])
        chunks = {cid: c for cid in found if (c := known(cid)) is not None}
        missing = [cid for cid in found if cid not in chunks]
        if missing:  # written since the keyword index was refreshed
            chunks.update({s.chunk.chunk_id: s.chunk for s in self._store.get_chunks(missing)})
        ranked = [(chunks[cid], sim) for cid, sim in found.items() if cid in chunks]
        return sorted(ranked, key=lambda cs: (-cs[1], cs[0].chunk_id))

    def _refresh_keyword_index(self) -> None:
        """Bring the in-process chunk texts and BM25 up to the store's revision (caller holds ``_lock``)."""
        # Read the revision before the chunk list: if a write lands in between, we hold newer chunks under an
        # older revision and merely refresh once more, instead of holding old chunks under the new one.
        revision = self._store.revision()
        if revision != self._keyword_revision:
            self._keyword_index.refresh(self._store.chunk_hashes(), self._store.get_chunks)
            self._keyword_revision = revision


def _rrf(rankings: list[list[str]], weights: list[float]) -> dict[str, float]:
    """Weighted reciprocal rank fusion: each list adds weight / (RRF_K + rank) to the keys it ranks."""
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + weight / (RRF_K + rank)
    return fused


def _unique(keys: Iterable[str]) -> list[str]:
    """Keys in first-seen order: a chunk ranking turned into an article ranking (each article at its best rank)."""
    return list(dict.fromkeys(keys))


def _same_language(a: str, b: str) -> bool:
    return a.split("-")[0].lower() == b.split("-")[0].lower()


def _hit(chunk: Chunk, score: float, similarity: float | None) -> SearchHit:
    return SearchHit(
        chunk_id=chunk.chunk_id,
        article_id=chunk.article_id,
        version=chunk.version,
        title=chunk.title,
        section=chunk.section,
        text=chunk.text,
        locale=chunk.locale,
        categories=chunk.categories,
        score=score,
        similarity=similarity,
    )
