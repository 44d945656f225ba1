"""Knowledge-base pages: list and search (everyone), versions and history with diffs, and the editor.

Publishing calls ``app.knowledge.service.save_from_api`` — the same path as ``PUT /v1/kb/articles/{id}`` — so
a save from the console is versioned, written to ``knowledge_base/`` and re-indexed exactly like an API write.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.deps import EmbedderDep, RetrieverDep, SessionDep, SettingsDep, StoreDep
from app.knowledge.articles import Article, ArticleError, parse_article
from app.knowledge.catalog import latest_versions
from app.knowledge.models import ArticleVersion
from app.knowledge.service import ArticleConflict, save_from_api, versions_of
from app.taxonomy import Category
from app.validation import ArticleIdPath, DbVersion, text_problem
from app.web.guards import AnyPage, CsrfChecked, PageNotFound, PolicyWriterPage
from app.web.markdown import render_markdown
from app.web.templating import render
from app.web.text import Mark, highlight, line_diff

router = APIRouter(include_in_schema=False)

ArticleId = ArticleIdPath
Content = Annotated[str, Form(max_length=200_000)]
NEW_ARTICLE = """---
id: new-article-id
title: A short, specific title
categories: [feedback_other]
locale: en
version: 1
effective_date: 2026-01-01
owner: support-ops
---
# A short, specific title

## Summary
Who this is for and what it settles.

## Policy
The rules, in plain sentences.

## What the specialist may promise
- One commitment per bullet.

## What must never be promised
- One forbidden promise per bullet.

## Reply guidance
A model reply, in the voice we want.
"""


def _versions(session: Session, article_id: str) -> list[ArticleVersion]:
    versions = versions_of(session, article_id)
    if not versions:
        raise PageNotFound(f"There is no article '{article_id}'.")
    return versions


def _parsed(row: ArticleVersion) -> Article | None:
    try:
        return parse_article(row.content, source=f"{row.article_id}@v{row.version}")
    except ArticleError:
        return None


@router.get("/kb")
def kb_list(
    request: Request,
    session: SessionDep,
    retriever: RetrieverDep,
    _user: AnyPage,
    q: Annotated[str, Query(max_length=300)] = "",
) -> Response:
    query = q.strip()
    hits = retriever.search(query, k=10) if query else []
    words = [Mark(w, "query", "search term") for w in query.split() if len(w) > 2]
    articles = []
    for row in latest_versions(session):
        parsed = _parsed(row)
        articles.append({"row": row, "categories": parsed.categories if parsed else ()})
    return render(
        request,
        "kb_list.html",
        {
            "query": query,
            "hits": [{"hit": h, "snippet": highlight(h.text[:400], words)} for h in hits],
            "articles": articles,
        },
    )


def _article_page(request: Request, versions: list[ArticleVersion], row: ArticleVersion) -> Response:
    parsed = _parsed(row)
    latest = versions[-1]
    return render(
        request,
        "kb_article.html",
        {
            "row": row,
            "article": parsed,
            "body_html": render_markdown(parsed.body) if parsed else None,
            "latest": latest,
            "is_latest": row.version == latest.version,
            "versions": versions,
        },
    )


@router.get("/kb/_new")
def kb_new(request: Request, _user: PolicyWriterPage) -> Response:
    return _editor(request, content=NEW_ARTICLE, current=None, preview=False)


@router.get("/kb/{article_id}")
def kb_article(request: Request, article_id: ArticleId, session: SessionDep, _user: AnyPage) -> Response:
    versions = _versions(session, article_id)
    return _article_page(request, versions, versions[-1])


@router.get("/kb/{article_id}/v/{version}")
def kb_version(
    request: Request,
    article_id: ArticleId,
    version: DbVersion,
    session: SessionDep,
    _user: AnyPage,
) -> Response:
    versions = _versions(session, article_id)
    for row in versions:
        if row.version == version:
            return _article_page(request, versions, row)
    raise PageNotFound(f"Article '{article_id}' has no version {version}; it has {versions[-1].version}.")


@router.get("/kb/{article_id}/history")
def kb_history(request: Request, article_id: ArticleId, session: SessionDep, _user: AnyPage) -> Response:
    versions = _versions(session, article_id)
    entries = []
    for index, row in enumerate(versions):
        before = versions[index - 1] if index else None
        diff = line_diff(
            before.content if before else "",
            row.content,
            old_label=f"v{before.version}" if before else "(none)",
            new_label=f"v{row.version}",
        )
        entries.append({"row": row, "previous": before, "diff": diff})
    return render(request, "kb_history.html", {"article_id": article_id, "entries": list(reversed(entries))})


def _preview(content: str, current: ArticleVersion | None) -> dict[str, Any]:
    try:
        article = parse_article(content, source="your edit")
    except ArticleError as exc:
        return {"preview_error": str(exc), "preview": None, "preview_diff": []}
    diff = line_diff(current.content, content, old_label=f"v{current.version}", new_label="edit") if current else []
    return {
        "preview_error": None,
        "preview": {"article": article, "html": render_markdown(article.body)},
        "preview_diff": diff,
    }


def _editor(
    request: Request,
    *,
    content: str,
    current: ArticleVersion | None,
    preview: bool,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "content": content,
        "current": current,
        "action": f"/kb/{current.article_id}/edit" if current else "/kb/new",
        "error": error,
        "categories": [c.value for c in Category],
        "show_preview": preview,
    }
    context.update(_preview(content, current) if preview else {"preview": None, "preview_error": None})
    return render(request, "kb_edit.html", context, status_code=status_code)


@router.get("/kb/{article_id}/edit")
def kb_edit(request: Request, article_id: ArticleId, session: SessionDep, _user: PolicyWriterPage) -> Response:
    versions = _versions(session, article_id)
    return _editor(request, content=versions[-1].content, current=versions[-1], preview=False)


@router.post("/kb/preview", dependencies=[CsrfChecked])
def kb_preview(
    request: Request,
    session: SessionDep,
    _user: PolicyWriterPage,
    content: Content = "",
    article_id: Annotated[str, Form(max_length=120)] = "",
) -> Response:
    """The live preview fragment (htmx): rendered body, or the validation error, and the diff to publish."""
    # the id only looks up the version to diff against; one the database cannot hold has none
    versions = versions_of(session, article_id) if article_id and text_problem(article_id) is None else []
    current = versions[-1] if versions else None
    return render(request, "_kb_preview.html", _preview(content, current))


def _publish(
    request: Request,
    session: Session,
    settings: SettingsDep,
    store: StoreDep,
    embedder: EmbedderDep,
    *,
    author: str,
    content: str,
    current: ArticleVersion | None,
) -> Response:
    try:
        stored = save_from_api(
            session,
            content,
            author=author,
            store=store,
            embedder=embedder,
            directory=settings.knowledge_dir,
            expect_existing=current is not None,
            article_id=current.article_id if current else None,
        )
    except (ArticleError, ArticleConflict) as exc:
        session.rollback()
        code = 409 if isinstance(exc, ArticleConflict) else 422
        return _editor(request, content=content, current=current, preview=True, error=str(exc), status_code=code)
    session.commit()
    return RedirectResponse(f"/kb/{stored.id}/v/{stored.version}?notice=published", status_code=303)


@router.post("/kb/{article_id}/edit", dependencies=[CsrfChecked])
def kb_save(
    request: Request,
    article_id: ArticleId,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    embedder: EmbedderDep,
    user: PolicyWriterPage,
    content: Content = "",
    intent: Annotated[str, Form(max_length=16)] = "preview",
) -> Response:
    current = _versions(session, article_id)[-1]
    if intent != "publish":
        return _editor(request, content=content, current=current, preview=True)
    return _publish(request, session, settings, store, embedder, author=user.name, content=content, current=current)


@router.post("/kb/_new", dependencies=[CsrfChecked])
def kb_create(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    embedder: EmbedderDep,
    user: PolicyWriterPage,
    content: Content = "",
    intent: Annotated[str, Form(max_length=16)] = "preview",
) -> Response:
    if intent != "publish":
        return _editor(request, content=content, current=None, preview=True)
    return _publish(request, session, settings, store, embedder, author=user.name, content=content, current=None)
