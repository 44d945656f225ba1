"""The sparse BM25 ranks like rank_bm25 does, and follows index changes without re-reading unchanged chunks."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rank_bm25 import BM25Okapi

from app.config import PROJECT_ROOT
from app.knowledge.articles import load_articles
from app.knowledge.keyword_index import KeywordIndex
from app.knowledge.retrieval import tokenize
from app.knowledge.splitting import split_article
from app.knowledge.vector_store import StoredChunk

QUERIES = [
    "I bought 500 coins but they never showed up",
    "W-8BEN tax form for my payout",
    "someone hacked my account and changed the email and 2FA",
    "me cobraron dos veces las monedas",
    "refund refund refund coins",
    "zzz-unknown-word",
]


def kb_chunks() -> list[StoredChunk]:
    articles = load_articles(PROJECT_ROOT / "knowledge_base")
    return [StoredChunk(c, a.content_hash) for a in articles for c in split_article(a)]


class Fetcher:
    """Serves chunks by id like a vector store, and remembers which ids were asked for."""

    def __init__(self, chunks: list[StoredChunk]) -> None:
        self.by_id = {s.chunk.chunk_id: s for s in chunks}
        self.asked: list[str] = []

    def keys(self) -> dict[str, str]:
        return {cid: s.content_hash for cid, s in self.by_id.items()}

    def __call__(self, ids: Sequence[str]) -> list[StoredChunk]:
        self.asked += ids
        return [self.by_id[i] for i in ids]


def reference_ranking(chunks: list[StoredChunk], query: str, limit: int) -> list[str]:
    bm25 = BM25Okapi([tokenize(s.chunk.text) for s in chunks])
    scores = bm25.get_scores(tokenize(query))
    order = sorted((i for i in range(len(chunks)) if scores[i] > 0), key=lambda i: -scores[i])
    return [chunks[i].chunk.chunk_id for i in order[:limit]]


def test_ranks_like_rank_bm25_on_the_knowledge_base() -> None:
    chunks = sorted(kb_chunks(), key=lambda s: (s.chunk.article_id, int(s.chunk.chunk_id.rsplit("#", 1)[1])))
    fetch = Fetcher(chunks)
    index = KeywordIndex(tokenize)
    index.refresh(fetch.keys(), fetch)
    for query in QUERIES:
        assert [c.chunk_id for c in index.rank(tokenize(query), 20)] == reference_ranking(chunks, query, 20), query


def test_refresh_fetches_only_new_chunks_and_forgets_removed_ones() -> None:
    chunks = kb_chunks()
    fetch = Fetcher(chunks)
    index = KeywordIndex(tokenize)
    index.refresh(fetch.keys(), fetch)
    assert len(fetch.asked) == len(chunks)

    removed = next(s for s in chunks if "W-8BEN" in s.chunk.text).chunk.article_id
    del_ids = [cid for cid, s in fetch.by_id.items() if s.chunk.article_id == removed]
    for cid in del_ids:
        del fetch.by_id[cid]
    fetch.asked.clear()
    index.refresh(fetch.keys(), fetch)
    assert fetch.asked == []
    assert all(c.article_id != removed for c in index.rank(tokenize("W-8BEN tax form"), 50))
    remaining = sorted(fetch.by_id.values(), key=lambda s: (s.chunk.article_id, int(s.chunk.chunk_id.rsplit("#")[1])))
    for query in QUERIES:
        assert [c.chunk_id for c in index.rank(tokenize(query), 20)] == reference_ranking(remaining, query, 20)


def test_empty_and_unknown() -> None:
    index = KeywordIndex(tokenize)
    index.refresh({}, Fetcher([]))
    assert index.rank(["coins"], 5) == []
    assert np.asarray(index.chunks).size == 0
