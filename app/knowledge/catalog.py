"""The current version of each article, read from the database (the one store every process shares)."""

from __future__ import annotations

import threading

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from app.knowledge.articles import Article, ArticleError, parse_article
from app.knowledge.models import ArticleVersion


def latest_versions(session: Session, *, include_deleted: bool = False) -> list[ArticleVersion]:
    """The newest row per article id."""
    newest = (
        select(ArticleVersion.article_id, func.max(ArticleVersion.version).label("version"))
        .group_by(col(ArticleVersion.article_id))
        .subquery()
    )
    stmt = select(ArticleVersion).join(
        newest,
        (col(ArticleVersion.article_id) == newest.c.article_id) & (col(ArticleVersion.version) == newest.c.version),
    )
    rows = list(session.exec(stmt.order_by(col(ArticleVersion.article_id))))
    return rows if include_deleted else [r for r in rows if not r.deleted]


class DbArticleCatalog:
    """Parsed current articles, reloaded when any version row is added (checked with one cheap query)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._marker: int | None = None
        self._articles: dict[str, Article] = {}

    def _refresh(self) -> None:
        with Session(self._engine) as session:
            marker = session.exec(select(func.max(ArticleVersion.id))).one() or 0
            if marker == self._marker:
                return
            articles: dict[str, Article] = {}
            for row in latest_versions(session):
                try:
                    articles[row.article_id] = parse_article(row.content, source=f"db:{row.article_id}@v{row.version}")
                except ArticleError:
                    continue
            self._articles, self._marker = articles, int(marker)

    def all(self) -> list[Article]:
        with self._lock:
            self._refresh()
            return list(self._articles.values())

    def get(self, article_id: str) -> Article | None:
        with self._lock:
            self._refresh()
            return self._articles.get(article_id)

    def variant(self, article_id: str, locale: str) -> Article | None:
        """The ``locale`` translation of an article (or the original when asked in its own locale)."""
        with self._lock:
            self._refresh()
            base = self._articles.get(article_id)
            if base is None:
                return None
            root = base.translation_of or base.id
            for article in self._articles.values():
                if (article.translation_of or article.id) == root and article.locale == locale:
                    return article
            return None
