from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.knowledge.articles import load_articles, parse_article
from app.knowledge.embeddings import FloatArray, HashingEmbedder
from app.knowledge.indexer import index_article, sync_articles
from app.knowledge.splitting import split_article
from app.knowledge.vector_store import ChromaVectorStore
from tests.knowledge.samples import ALL_SAMPLES, COINS, write_samples


class CountingEmbedder:
    """A real embedder that remembers what it was asked to embed, so tests can see what was re-embedded."""

    def __init__(self) -> None:
        self._inner = HashingEmbedder(dimension=64)
        self.name = self._inner.name
        self.dimension = self._inner.dimension
        self.texts: list[str] = []

    def embed(self, texts: list[str]) -> FloatArray:
        self.texts.extend(texts)
        return self._inner.embed(texts)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ChromaVectorStore]:
    chroma = ChromaVectorStore.persistent(tmp_path / "chroma")
    yield chroma
    chroma.close()


def test_second_sync_embeds_nothing(tmp_path: Path, store: ChromaVectorStore) -> None:
    articles = load_articles(write_samples(tmp_path / "kb"))
    embedder = CountingEmbedder()
    first = sync_articles(articles, store, embedder)
    assert first.added == sorted(ALL_SAMPLES) and first.updated == [] and first.removed == []
    assert first.embedded == len(articles)
    assert len(embedder.texts) == len(store.all_chunks())

    embedder.texts.clear()
    second = sync_articles(load_articles(tmp_path / "kb"), store, embedder)
    assert (second.added, second.updated, second.removed) == ([], [], [])
    assert second.unchanged == len(articles) and second.embedded == 0
    assert embedder.texts == []


def test_only_the_changed_article_is_re_embedded(tmp_path: Path, store: ChromaVectorStore) -> None:
    kb = write_samples(tmp_path / "kb")
    embedder = CountingEmbedder()
    sync_articles(load_articles(kb), store, embedder)
    embedder.texts.clear()

    path = kb / "recharge-coins-not-credited.md"
    path.write_text(COINS.replace("version: 1", "version: 2").replace("30 minutes", "one hour"), encoding="utf-8")
    report = sync_articles(load_articles(kb), store, embedder)
    assert report.updated == ["recharge-coins-not-credited"]
    assert report.added == [] and report.removed == [] and report.unchanged == len(ALL_SAMPLES) - 1
    assert embedder.texts and all(t.startswith("Coins not credited after a purchase") for t in embedder.texts)
    coins = [s.chunk for s in store.all_chunks() if s.chunk.article_id == "recharge-coins-not-credited"]
    assert coins and all(c.version == 2 and "@v2#" in c.chunk_id for c in coins)
    assert any("one hour" in c.text for c in coins)


def test_deleted_files_are_pruned(tmp_path: Path, store: ChromaVectorStore) -> None:
    kb = write_samples(tmp_path / "kb")
    embedder = CountingEmbedder()
    sync_articles(load_articles(kb), store, embedder)
    (kb / "payout-tax-forms.md").unlink()

    kept = sync_articles(load_articles(kb), store, embedder, prune=False)
    assert kept.removed == [] and "payout-tax-forms" in store.article_hashes()

    report = sync_articles(load_articles(kb), store, embedder)
    assert report.removed == ["payout-tax-forms"]
    assert "payout-tax-forms" not in store.article_hashes()
    assert all(s.chunk.article_id != "payout-tax-forms" for s in store.all_chunks())


def test_sync_survives_a_restart(tmp_path: Path) -> None:
    kb = write_samples(tmp_path / "kb")
    first = ChromaVectorStore.persistent(tmp_path / "chroma")
    sync_articles(load_articles(kb), first, CountingEmbedder())
    first.close()
    embedder = CountingEmbedder()
    reopened = ChromaVectorStore.persistent(tmp_path / "chroma")
    report = sync_articles(load_articles(kb), reopened, embedder)
    assert report.unchanged == len(ALL_SAMPLES) and embedder.texts == []
    reopened.close()


def test_index_article_publishes_one_article(store: ChromaVectorStore) -> None:
    article = parse_article(COINS)
    index_article(article, store, CountingEmbedder())
    assert store.article_hashes() == {article.id: article.content_hash}
    # A later sync with the same content has nothing to do for it.
    embedder = CountingEmbedder()
    report = sync_articles([article], store, embedder)
    assert report.unchanged == 1 and embedder.texts == []


def test_duplicate_ids_are_rejected(store: ChromaVectorStore) -> None:
    article = parse_article(COINS)
    with pytest.raises(ValueError, match="recharge-coins-not-credited"):
        sync_articles([article, article], store, CountingEmbedder())


def test_an_index_built_by_another_splitter_is_redone(store: ChromaVectorStore) -> None:
    article = parse_article(COINS)
    embedder = CountingEmbedder()
    old_chunks = split_article(article, chunk_size=120, chunk_overlap=0)  # as an older splitter would have cut it
    store.upsert(old_chunks, embedder.embed([c.text for c in old_chunks]), article.content_hash)
    embedder.texts.clear()

    report = sync_articles([article], store, embedder)
    assert report.updated == [article.id]
    assert [s.chunk for s in store.all_chunks()] == split_article(article)
    assert sync_articles([article], store, embedder).unchanged == 1
