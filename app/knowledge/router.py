"""Knowledge-base API: read (any signed-in role), write (policy writers, admins), search."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, Field

from app.auth.deps import AnyRole, PolicyWriter
from app.deps import EmbedderDep, RetrieverDep, SessionDep, SettingsDep, StoreDep
from app.knowledge.articles import Article, ArticleError, parse_article
from app.knowledge.catalog import latest_versions
from app.knowledge.models import ArticleVersion
from app.knowledge.service import ArticleConflict, save_from_api, versions_of
from app.validation import ArticleIdPath, DbVersion, SafeText

router = APIRouter(prefix="/v1/kb", tags=["knowledge"])


class ArticleIn(BaseModel):
    content: SafeText = Field(min_length=1, max_length=200_000, description="markdown with YAML front matter")


def _summary(row: ArticleVersion) -> dict[str, Any]:
    article = parse_article(row.content, source=row.article_id)
    return {
        "id": row.article_id,
        "title": row.title,
        "categories": list(article.categories),
        "locale": row.locale,
        "version": row.version,
        "effective_date": article.effective_date.isoformat(),
        "owner": article.owner,
        "translation_of": article.translation_of,
        "updated_at": row.created_at,
        "updated_by": row.author,
    }


def _full(row: ArticleVersion, versions: list[ArticleVersion]) -> dict[str, Any]:
    return {
        **_summary(row),
        "content": row.content,
        "content_hash": row.content_hash,
        "versions": [
            {
                "version": v.version,
                "source": v.source,
                "author": v.author,
                "created_at": v.created_at,
                "deleted": v.deleted,
            }
            for v in versions
        ],
    }


@router.get("/articles")
def list_articles(session: SessionDep, _user: AnyRole) -> dict[str, Any]:
    return {"items": [_summary(r) for r in latest_versions(session)]}


@router.get("/articles/{article_id}")
def get_article(article_id: ArticleIdPath, session: SessionDep, _user: AnyRole) -> dict[str, Any]:
    versions = versions_of(session, article_id)
    if not versions or versions[-1].deleted:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"article '{article_id}' not found")
    return _full(versions[-1], versions)


@router.get("/articles/{article_id}/versions/{version}")
def get_article_version(
    article_id: ArticleIdPath, version: DbVersion, session: SessionDep, _user: AnyRole
) -> dict[str, Any]:
    versions = versions_of(session, article_id)
    for row in versions:
        if row.version == version:
            return _full(row, versions)
    raise HTTPException(status.HTTP_404_NOT_FOUND, f"article '{article_id}' has no version {version}")


def _save(
    body: ArticleIn,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    embedder: EmbedderDep,
    user_name: str,
    *,
    expect_existing: bool,
    article_id: str | None = None,
) -> Article:
    try:
        return save_from_api(
            session,
            body.content,
            author=user_name,
            store=store,
            embedder=embedder,
            directory=settings.knowledge_dir,
            expect_existing=expect_existing,
            article_id=article_id,
        )
    except ArticleError as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            [{"loc": ["body", "content", exc.field], "msg": exc.problem, "type": "article_invalid"}],
        ) from exc
    except ArticleConflict as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc


@router.post("/articles", status_code=status.HTTP_201_CREATED)
def create_article(
    body: ArticleIn,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    embedder: EmbedderDep,
    user: PolicyWriter,
) -> dict[str, Any]:
    article = _save(body, session, settings, store, embedder, user.name, expect_existing=False)
    return get_article(article.id, session, user)


@router.put("/articles/{article_id}")
def update_article(
    article_id: ArticleIdPath,
    body: ArticleIn,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    embedder: EmbedderDep,
    user: PolicyWriter,
) -> dict[str, Any]:
    article = _save(body, session, settings, store, embedder, user.name, expect_existing=True, article_id=article_id)
    return get_article(article.id, session, user)


@router.get("/search")
def search(
    retriever: RetrieverDep,
    _user: AnyRole,
    q: Annotated[SafeText, Query(min_length=1, max_length=2000)],
    k: int = Query(default=5, ge=1, le=50),
    locale: Annotated[SafeText | None, Query(max_length=16)] = None,
) -> dict[str, Any]:
    hits = retriever.search(q, k=k, locale=locale)
    return {
        "query": q,
        "hits": [
            {
                "article_id": h.article_id,
                "version": h.version,
                "title": h.title,
                "chunk_id": h.chunk_id,
                "section": h.section,
                "text": h.text,
                "locale": h.locale,
                "score": round(h.score, 6),
            }
            for h in hits
        ],
    }
