"""Keeps the vector index in step with the articles, re-embedding only what changed.

Embedding is the slow part (MiniLM in numpy manages a few chunks a second on our shared 2 cores), so
``sync_articles`` re-embeds an article only when the index does not already hold exactly what indexing it now would
produce: the same ``content_hash`` *and* the same chunks. Comparing the chunks too means a change to the splitter
(sizes, prefixes) reaches every article on the next sync, not only the ones edited since. The index holds one
version per article — the current one; older versions are kept by the article history, not by the index.

An embedder change is not detected: a different dimension makes Chroma reject the write; a different model with
the same dimension needs a fresh index (another collection name or Chroma directory).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from app.knowledge.articles import Article
from app.knowledge.embeddings import Embedder
from app.knowledge.splitting import Chunk, split_article
from app.knowledge.vector_store import ArticleChunks, VectorStore

logger = logging.getLogger(__name__)
_GROUP_CHUNKS = 512


@dataclass(frozen=True)
class SyncReport:
    """Article ids per outcome; ``unchanged`` is a count because it is usually most of the knowledge base."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def embedded(self) -> int:
        """How many articles were (re-)embedded by this sync."""
        return len(self.added) + len(self.updated)


def index_article(article: Article, store: VectorStore, embedder: Embedder) -> None:
    """Split, embed and index one article, replacing its previous version in the index."""
    _index(article, split_article(article), store, embedder)


def _index(article: Article, chunks: list[Chunk], store: VectorStore, embedder: Embedder) -> None:
    _index_many([(article, chunks)], store, embedder)


def _index_many(items: list[tuple[Article, list[Chunk]]], store: VectorStore, embedder: Embedder) -> None:
    """Embed and write articles a group at a time: one embedding call and one store write per group.

    Per-article calls left MiniLM batches a few chunks wide (padding to each article's longest chunk) and made
    four Chroma round trips per article; groups of about ``_GROUP_CHUNKS`` chunks keep batches full and memory
    bounded, and an interrupted sync keeps the groups it finished.
    """
    for group in _groups(items):
        texts = [c.text for _, chunks in group for c in chunks]
        vectors = embedder.embed(texts)
        batch: list[ArticleChunks] = []
        offset = 0
        for article, chunks in group:
            batch.append(ArticleChunks(chunks, vectors[offset : offset + len(chunks)], article.content_hash))
            offset += len(chunks)
        store.upsert_many(batch)
        for article, chunks in group:
            logger.info(
                "kb.indexed", extra={"article_id": article.id, "version": article.version, "chunks": len(chunks)}
            )


def _groups(items: list[tuple[Article, list[Chunk]]]) -> list[list[tuple[Article, list[Chunk]]]]:
    groups: list[list[tuple[Article, list[Chunk]]]] = [[]]
    size = 0
    for item in items:
        if size >= _GROUP_CHUNKS:
            groups.append([])
            size = 0
        groups[-1].append(item)
        size += len(item[1])
    return [g for g in groups if g]


def sync_articles(articles: list[Article], store: VectorStore, embedder: Embedder, prune: bool = True) -> SyncReport:
    """Make the index match ``articles``: embed new and changed ones, and with ``prune`` drop the rest."""
    duplicates = sorted(aid for aid, n in Counter(a.id for a in articles).items() if n > 1)
    if duplicates:
        raise ValueError(f"duplicate article ids in sync input: {', '.join(duplicates)}")
    indexed: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for stored in store.all_chunks():  # in document order within each article
        entry = indexed.setdefault(stored.chunk.article_id, (stored.content_hash, []))
        entry[1].append((stored.chunk.chunk_id, stored.chunk.text))
    added: list[str] = []
    updated: list[str] = []
    unchanged = 0
    changed: list[tuple[Article, list[Chunk]]] = []
    for article in sorted(articles, key=lambda a: a.id):
        chunks = split_article(article)
        previous = indexed.get(article.id)
        if previous == (article.content_hash, [(c.chunk_id, c.text) for c in chunks]):
            unchanged += 1
            continue
        changed.append((article, chunks))
        (added if previous is None else updated).append(article.id)
    _index_many(changed, store, embedder)
    removed: list[str] = []
    if prune:
        wanted = {a.id for a in articles}
        for article_id in sorted(set(indexed) - wanted):
            store.delete_article(article_id)
            removed.append(article_id)
    report = SyncReport(added=added, updated=updated, removed=removed, unchanged=unchanged)
    logger.info(
        "kb.synced",
        extra={"added": len(added), "updated": len(updated), "removed": len(removed), "unchanged": unchanged},
    )
    return report
