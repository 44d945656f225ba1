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


class CatalogSnapshot:
    """The current articles at one moment, with translations indexed: lookups without any database query."""

    def __init__(self, articles: dict[str, Article]) -> None:
        self._articles = articles
        self._variants: dict[tuple[str, str], Article] = {}
        for article in articles.values():  # the first in id order wins, as a scan would find it
            self._variants.setdefault((article.translation_of or article.id, article.locale), article)

    def all(self) -> list[Article]:
        return list(self._articles.values())

    def get(self, article_id: str) -> Article | None:
        return self._articles.get(article_id)

    def variant(self, article_id: str, locale: str) -> Article | None:
        """The ``locale`` translation of an article (or the original when asked in its own locale)."""
        base = self._articles.get(article_id)
        if base is None:
            return None
        return self._variants.get((base.translation_of or base.id, locale))


class DbArticleCatalog:
    """Parsed current articles, reloaded when any version row is added (checked with one cheap query)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._marker: int | None = None
        self._snapshot = CatalogSnapshot({})
        self._parsed: dict[tuple[str, int], Article | None] = {}

    def _refresh(self) -> None:
        with Session(self._engine) as session:
            marker = session.exec(select(func.max(ArticleVersion.id))).one() or 0
            if marker == self._marker:
                return
            # Versions never change once written, so only new ones are parsed: one edit used to re-parse all 2,000.
            parsed: dict[tuple[str, int], Article | None] = {}
            for row in latest_versions(session):
                key = (row.article_id, row.version)
                if key in self._parsed:
                    parsed[key] = self._parsed[key]
                    continue
                try:
                    parsed[key] = parse_article(row.content, source=f"db:{row.article_id}@v{row.version}")
                except ArticleError:
                    parsed[key] = None
            articles = {article_id: a for (article_id, _), a in parsed.items() if a is not None}
            self._parsed, self._snapshot, self._marker = parsed, CatalogSnapshot(articles), int(marker)

    def snapshot(self) -> CatalogSnapshot:
        """The current articles after one freshness check: a draft looks up several, and each ``get`` queries."""
        with self._lock:
            self._refresh()
            return self._snapshot

    def all(self) -> list[Article]:
        return self.snapshot().all()

    def get(self, article_id: str) -> Article | None:
        return self.snapshot().get(article_id)

    def variant(self, article_id: str, locale: str) -> Article | None:
        """The ``locale`` translation of an article (or the original when asked in its own locale)."""
        return self.snapshot().variant(article_id, locale)
