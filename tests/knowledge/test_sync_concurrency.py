"""Processes started together on a fresh database all sync the knowledge base: they take turns, nobody crashes.

Two real processes (what ``triage serve`` and ``triage worker`` are) share one database and one Chroma directory
and start ``sync_knowledge`` at the same moment. One does the work; the other waits for it and finds nothing
left to do. Afterwards every article has exactly one version and the index holds each chunk once.
"""

from __future__ import annotations

import multiprocessing
import shutil
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.config import PROJECT_ROOT, Settings
from app.db import make_engine
from app.knowledge.articles import load_articles
from app.knowledge.embeddings import HashingEmbedder
from app.knowledge.models import ArticleVersion
from app.knowledge.splitting import split_article
from app.knowledge.vector_store import ChromaVectorStore
from app.migrate import upgrade
from app.services import Services
from app.setup import ensure_ready, sync_knowledge

TIMEOUT_S = 300


def _settings(root: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=root / "data", knowledge_dir=root / "kb", chroma_path=root / "chroma", database_url=database_url
    )


def _sync(root: Path, database_url: str, start: Barrier, entry: str) -> tuple[int, int] | None:
    """One process's start-up sync: (versions it recorded, articles it embedded), None from ``ensure_ready``."""
    services = Services(_settings(root, database_url), embedder=HashingEmbedder(dimension=64))
    start.wait(TIMEOUT_S)
    try:
        if entry == "ensure_ready":
            ensure_ready(services)
            return None
        result = sync_knowledge(services)
    finally:
        services.close()
    return len(result.versions_added), result.index.embedded


@pytest.mark.parametrize("entry", ["sync_knowledge", "ensure_ready"])
def test_two_processes_syncing_at_once_both_succeed_and_index_each_chunk_once(
    database_url: str, tmp_path: Path, entry: str
) -> None:
    shutil.copytree(PROJECT_ROOT / "knowledge_base", tmp_path / "kb")
    articles = load_articles(tmp_path / "kb")
    upgrade(database_url)  # migrations are their own step; this test is about the sync
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        start = manager.Barrier(2)
        with context.Pool(2) as pool:
            pending = [pool.apply_async(_sync, (tmp_path, database_url, start, entry)) for _ in range(2)]
            outcomes = [p.get(TIMEOUT_S) for p in pending]  # re-raises what failed in a process

    if entry == "sync_knowledge":  # one did the work, the other found nothing left to do
        assert sorted(o for o in outcomes if o) == [(0, 0), (len(articles), len(articles))]
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            per_article = session.exec(
                select(ArticleVersion.article_id, func.count()).group_by(col(ArticleVersion.article_id))
            ).all()
    finally:
        engine.dispose()
    assert sorted(per_article) == sorted((a.id, 1) for a in articles)
    store = ChromaVectorStore.persistent(tmp_path / "chroma")
    try:
        indexed = [s.chunk.chunk_id for s in store.all_chunks()]
    finally:
        store.close()
    expected = sorted(c.chunk_id for a in articles for c in split_article(a))
    assert sorted(indexed) == expected  # every chunk, each once
