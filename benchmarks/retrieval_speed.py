"""Hybrid search latency over the real knowledge_base/ with embedded Chroma and the real MiniLM embedder.

Prints, for ``search`` (top-5 chunks) and ``search_articles`` (top-3 articles): p50, p95 and max latency over
support-style questions, split into the query embedding and everything else (Chroma query, BM25, fusion); plus
the cost of a full index build, of a no-op re-sync, of one article re-indexed, and of the BM25 rebuild that
follows any change. A search embeds the query once per call, so the embedding usually dominates.

Run from the repository root: ``.venv/bin/python benchmarks/retrieval_speed.py [--rounds N] [--chroma-path DIR]``.
``--chroma-path`` keeps the index between runs (the incremental sync then embeds nothing); the default is a
temporary directory, so the first run embeds the whole knowledge base. ``--blas-threads`` (default 1) caps numpy's
BLAS threads: on a shared 2-core machine more threads make MiniLM several times slower, not faster.
Exits 0 with a message when knowledge_base/ has no articles.

``--quality`` adds a proxy for retrieval quality over ``evals/data/labelled_messages.jsonl``: the share of messages
whose top article (and any of the top 3) is filed under the message's labelled category, for hybrid search and
for each of its halves alone (vector only, BM25 only). Messages labelled ``feedback_other`` are left out.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from rank_bm25 import BM25Okapi  # noqa: E402

from app.knowledge.articles import Article, base_article_id, load_articles  # noqa: E402
from app.knowledge.embeddings import Embedder, FloatArray, MiniLMEmbedder  # noqa: E402
from app.knowledge.indexer import index_article, sync_articles  # noqa: E402
from app.knowledge.retrieval import HybridRetriever, tokenize  # noqa: E402
from app.knowledge.vector_store import ChromaVectorStore, VectorStore  # noqa: E402

QUERIES = [
    "I bought 500 coins an hour ago, my card was charged but the coins never showed up",
    "you charged me twice for the same coin pack",
    "my payment keeps getting declined when I try to recharge",
    "I sent a gift to the wrong live by mistake, can I get it back?",
    "the gift I sent never appeared on the streamer's screen",
    "I want a refund for the coins I bought yesterday",
    "my son bought coins without my permission, please refund",
    "why was money taken from my creator earnings after a chargeback",
    "when will my withdrawal to PayPal arrive, it has been 10 days",
    "do I need to fill in a W-8BEN to cash out my rewards",
    "how many diamonds do I need to withdraw",
    "someone hacked my account and changed the email",
    "I lost my phone and can't receive the 2FA code",
    "my LIVE was suspended for no reason, how do I appeal",
    "my account was permanently banned, I want to appeal",
    "an agency asked me to pay a fee to join, is this legit?",
    "how do I leave my agency",
    "what are the requirements to go LIVE",
    "I can't send gifts anymore, it says transaction ban",
    "how do I cancel my LIVE subscription",
]


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   max {ordered[-1] * 1000:7.1f} ms"
    )


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


class CachedEmbedder:
    """Embeds each distinct text once, so the three quality runs share one embedding pass."""

    def __init__(self, inner: Embedder) -> None:
        self.name, self.dimension, self._inner = inner.name, inner.dimension, inner
        self._cache: dict[str, FloatArray] = {}

    def embed(self, texts: list[str]) -> FloatArray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            self._cache.update(zip(missing, self._inner.embed(missing), strict=True))
        return np.stack([self._cache[t] for t in texts]) if texts else self._inner.embed([])


def _quality(path: Path, articles: list[Article], store: VectorStore, embedder: Embedder) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["category"] != "feedback_other"]
    categories = {a.id: set(a.categories) for a in articles}
    cached = CachedEmbedder(embedder)
    start = time.perf_counter()
    cached.embed([r["body"] for r in rows])
    print(f"\nquality over {len(rows)} labelled messages ({time.perf_counter() - start:.0f} s to embed them)")
    retriever = HybridRetriever(store, cached)
    stored = [s.chunk for s in store.all_chunks()]
    bm25 = BM25Okapi([tokenize(c.text) for c in stored])

    def vector_only(text: str) -> list[str]:
        ranked = [base_article_id(c.article_id) for c, _ in store.query(cached.embed([text])[0], 60)]
        return list(dict.fromkeys(ranked))[:3]

    def keyword_only(text: str) -> list[str]:
        scores = bm25.get_scores(tokenize(text)) if tokenize(text) else np.zeros(len(stored))
        order = [i for i in np.argsort(-scores) if scores[i] > 0]
        return list(dict.fromkeys(base_article_id(stored[i].article_id) for i in order))[:3]

    def hybrid(text: str) -> list[str]:
        return [base_article_id(h.article_id) for h in retriever.search_articles(text, k=3)]

    for name, rank in (("hybrid", hybrid), ("vector only", vector_only), ("BM25 only", keyword_only)):
        top1 = top3 = 0
        for row in rows:
            ids = rank(row["body"])
            top1 += bool(ids) and row["category"] in categories.get(ids[0], set())
            top3 += any(row["category"] in categories.get(i, set()) for i in ids)
        print(f"  {name:12} category of top article {top1 / len(rows):6.1%}   in top 3 {top3 / len(rows):6.1%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--kb", type=Path, default=ROOT / "knowledge_base")
    parser.add_argument("--chroma-path", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the question list")
    parser.add_argument("--blas-threads", type=int, default=1)
    parser.add_argument("--quality", action="store_true", help="also score retrieval on the labelled messages")
    parser.add_argument("--messages", type=Path, default=ROOT / "evals" / "data" / "labelled_messages.jsonl")
    args = parser.parse_args()

    articles = load_articles(args.kb) if args.kb.is_dir() else []
    if not articles:
        print(f"No articles in {args.kb}: nothing to benchmark.")
        return 0

    with tempfile.TemporaryDirectory() as tmp, threadpool_limits(limits=args.blas_threads):
        path = args.chroma_path or Path(tmp) / "chroma"
        embedder = MiniLMEmbedder()
        store = ChromaVectorStore.persistent(path)
        start = time.perf_counter()
        report = sync_articles(articles, store, embedder)
        build = time.perf_counter() - start
        chunks = len(store.all_chunks())
        print(f"{len(articles)} articles, {chunks} chunks, index at {path}")
        print(f"sync: {report.embedded} articles embedded in {build:.1f} s ({report.unchanged} unchanged)")
        print(f"no-op re-sync: {_timed(lambda: sync_articles(articles, store, embedder)) * 1000:.0f} ms")

        retriever = HybridRetriever(store, embedder)
        retriever.search("warm up", k=5)  # first BM25 build and Chroma index load
        reindex = _timed(partial(index_article, articles[0], store, embedder))
        print(f"re-index one article ({articles[0].id}): {reindex:.2f} s")
        rebuild = _timed(partial(retriever.search, "refund", k=5))
        print(f"first search after a change (BM25 rebuild, one query embedding): {rebuild * 1000:.0f} ms")

        embed_times: list[float] = []
        search_times: list[float] = []
        article_times: list[float] = []
        for _ in range(args.rounds):
            for query in QUERIES:
                embed_times.append(_timed(partial(embedder.embed, [query])))
                search_times.append(_timed(partial(retriever.search, query, k=5)))
                article_times.append(_timed(partial(retriever.search_articles, query, k=3)))
        rest = [s - e for s, e in zip(search_times, embed_times, strict=True)]
        print(f"\n{len(search_times)} searches per kind, BLAS threads: {args.blas_threads}")
        print(f"query embedding alone        {_percentiles(embed_times)}")
        print(f"search (k=5 chunks)          {_percentiles(search_times)}")
        print(f"  of which not embedding     {_percentiles(rest)}")
        print(f"search_articles (k=3)        {_percentiles(article_times)}")

        print("\nTop article per question:")
        for query in QUERIES:
            hit = retriever.search_articles(query, k=1)[0]
            print(f"  {hit.similarity or 0:.2f}  {hit.article_id:45}  {query}")
        if args.quality and args.messages.is_file():
            _quality(args.messages, articles, store, embedder)
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
