"""Article versions in the database, kept in step with ``knowledge_base/`` files and the vector index.

Files stay the policy writers' source of truth: a sync records a new version for every file whose content
changed and re-indexes only those; an API write records the version, writes the file (so the next sync agrees)
and re-indexes that one article. Every version is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from sqlmodel import Session, col, select

from app.knowledge.articles import Article, ArticleError, load_articles, parse_article, render_article
from app.knowledge.catalog import latest_versions
from app.knowledge.embeddings import Embedder
from app.knowledge.indexer import SyncReport, index_article, sync_articles
from app.knowledge.models import ArticleVersion
from app.knowledge.vector_store import VectorStore
from app.triage.signals import detect_injection


class ArticleConflict(ValueError):
    """Create of an id that exists, or update of one that does not."""


@dataclass(frozen=True)
class DirectorySync:
    versions_added: list[str]
    index: SyncReport


def versions_of(session: Session, article_id: str) -> list[ArticleVersion]:
    return list(
        session.exec(
            select(ArticleVersion).where(ArticleVersion.article_id == article_id).order_by(col(ArticleVersion.version))
        )
    )


def latest(session: Session, article_id: str) -> ArticleVersion | None:
    rows = versions_of(session, article_id)
    return rows[-1] if rows else None


def record_version(session: Session, article: Article, *, source: str, author: str) -> tuple[Article, bool]:
    """Store ``article`` as a new version if its content changed; the version number only ever grows."""
    current = latest(session, article.id)
    if current is not None and current.content_hash == article.content_hash and not current.deleted:
        return article, False
    if current is not None and article.version <= current.version:
        article = replace(article, version=current.version + 1, content_hash="")
    session.add(
        ArticleVersion(
            article_id=article.id,
            version=article.version,
            title=article.title,
            locale=article.locale,
            content=render_article(article),
            content_hash=article.content_hash,
            source=source,
            author=author,
        )
    )
    session.flush()
    return article, True


def sync_directory(
    session: Session, directory: Path, store: VectorStore, embedder: Embedder, *, author: str = "kb-sync"
) -> DirectorySync:
    """Record changed files as versions, mark removed ones deleted, and re-index only what changed."""
    articles = load_articles(directory)
    added: list[str] = []
    current: list[Article] = []
    for article in articles:
        stored, changed = record_version(session, article, source="file", author=author)
        current.append(stored)
        if changed:
            added.append(f"{stored.id}@v{stored.version}")
    present = {a.id for a in articles}
    for row in latest_versions(session):
        if row.article_id not in present:
            session.add(
                ArticleVersion(
                    article_id=row.article_id,
                    version=row.version + 1,
                    title=row.title,
                    locale=row.locale,
                    content=row.content,
                    content_hash=row.content_hash,
                    source="file",
                    author=author,
                    deleted=True,
                )
            )
    report = sync_articles(current, store, embedder, prune=True)
    return DirectorySync(versions_added=added, index=report)


def save_from_api(
    session: Session,
    content: str,
    *,
    author: str,
    store: VectorStore,
    embedder: Embedder,
    directory: Path | None,
    expect_existing: bool,
    article_id: str | None = None,
) -> Article:
    """Validate, version, write the file and index one article; raises ArticleError or ArticleConflict."""
    article = parse_article(content, source="<api>")
    injected = detect_injection(article.body)
    if injected:
        raise ArticleError(
            "<api>",
            "content",
            f"contains text that reads as instructions to an AI assistant ({injected[0].evidence!r}); articles are "
            "quoted to the model, so rephrase it as policy",
        )
    if article_id is not None and article.id != article_id:
        raise ArticleError("<api>", "id", f"'{article.id}' does not match the URL's article id '{article_id}'")
    existing = latest(session, article.id)
    exists = existing is not None and not existing.deleted
    if expect_existing and not exists:
        raise ArticleConflict(f"article '{article.id}' does not exist; create it with POST")
    if not expect_existing and exists:
        raise ArticleConflict(f"article '{article.id}' already exists; update it with PUT")
    stored, _changed = record_version(session, article, source="api", author=author)
    if directory is not None and directory.is_dir():
        (directory / f"{stored.id}.md").write_text(render_article(stored), encoding="utf-8")
    index_article(stored, store, embedder)
    return stored
