"""Article versions in the database, kept in step with ``knowledge_base/`` files and the vector index.

Files stay the policy writers' source of truth: a sync records a new version for every file whose content
changed and re-indexes only those; an API write records the version, writes the file (so the next sync agrees)
and re-indexes that one article. Every version is kept.

Both ways in run :func:`app.knowledge.screening.screen_article`. An API write of an article that reads as
instructions to the model is refused; a file that does is *quarantined* by the sync: no version is recorded, nothing
is embedded, and the last clean version (if any) stays current, so a bad edit cannot take an article offline nor
reach the model. The next sync after the file is fixed records and indexes it as usual.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlmodel import Session, col, select

from app.knowledge.articles import Article, ArticleError, load_article_files, parse_article, render_article
from app.knowledge.catalog import latest_versions
from app.knowledge.embeddings import Embedder
from app.knowledge.indexer import SyncReport, index_article, sync_articles
from app.knowledge.models import ArticleVersion
from app.knowledge.screening import InjectedArticle, screen_article
from app.knowledge.vector_store import VectorStore
from app.validation import text_problem

_TITLE_MAX = 300  # article_versions.title is VARCHAR(300)


class ArticleConflict(ValueError):
    """Create of an id that exists, or update of one that does not."""


@dataclass(frozen=True)
class Quarantined:
    """A file the sync refused to index; ``serving_version`` is the clean version still current, if there is one."""

    file: str
    article_id: str
    evidence: str
    serving_version: int | None


@dataclass(frozen=True)
class DirectorySync:
    versions_added: list[str]
    index: SyncReport
    quarantined: list[Quarantined] = field(default_factory=list)


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
    stored, changed = _record(session, article, latest(session, article.id), source=source, author=author)
    session.flush()
    return stored, changed


def _record(
    session: Session, article: Article, current: ArticleVersion | None, *, source: str, author: str
) -> tuple[Article, bool]:
    """``record_version`` given the article's current row, so a sync can look all of them up in one query."""
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
    return article, True


def sync_directory(
    session: Session, directory: Path, store: VectorStore, embedder: Embedder, *, author: str = "kb-sync"
) -> DirectorySync:
    """Record changed files as versions, mark removed ones deleted, and re-index only what changed.

    A file that fails :func:`screen_article` is quarantined: it is reported, and its last clean version stays
    current. When there is no clean version to fall back on, the article is left out (and a stored one withdrawn).
    """
    added: list[str] = []
    current: list[Article] = []
    quarantined: list[Quarantined] = []
    # One query for every article's current row instead of one per file (2,000 round trips on a large KB).
    rows = {row.article_id: row for row in latest_versions(session, include_deleted=True)}
    for path, article in load_article_files(directory):
        try:
            screen_article(article, source=str(path))
        except InjectedArticle as exc:
            served = _last_clean_version(session, article.id)
            if served is not None:
                current.append(served)
            quarantined.append(
                Quarantined(
                    file=str(path),
                    article_id=article.id,
                    evidence=exc.evidence,
                    serving_version=served.version if served else None,
                )
            )
            continue
        stored, changed = _record(session, article, rows.get(article.id), source="file", author=author)
        current.append(stored)
        if changed:
            added.append(f"{stored.id}@v{stored.version}")
    present = {a.id for a in current}
    for row in rows.values():
        if row.article_id not in present and not row.deleted:
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
    session.flush()
    report = sync_articles(current, store, embedder, prune=True)
    return DirectorySync(versions_added=added, index=report, quarantined=quarantined)


def _last_clean_version(session: Session, article_id: str) -> Article | None:
    """The current stored version of an article, unless it is deleted, unreadable or itself fails the screen.

    Versions stored before the screen existed are screened again here, so a quarantine never falls back on
    text that the screen would refuse today.
    """
    row = latest(session, article_id)
    if row is None or row.deleted:
        return None
    source = f"db:{row.article_id}@v{row.version}"
    try:
        article = parse_article(row.content, source=source)
        screen_article(article, source=source)
    except ArticleError:
        return None
    return article


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
    """Validate, version, write the file and index one article; raises ArticleError or ArticleConflict.

    Limits the columns impose are checked here, before anything is written, so a bad edit is a field error for
    the writer rather than a driver error half-way through the transaction.
    """
    problem = text_problem(content)
    if problem is not None:
        raise ArticleError("<api>", "content", problem)
    article = parse_article(content, source="<api>")
    if len(article.title) > _TITLE_MAX:
        raise ArticleError("<api>", "title", f"is {len(article.title)} characters long; at most {_TITLE_MAX} fit")
    screen_article(article, source="<api>")
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
