"""``GET /v1/search``: full-text over messages, drafts and notes, for the desk (notes never leave the team)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import ValidationError

from app.auth.deps import Specialist
from app.deps import SessionDep
from app.search.query import LIMIT_MAX, SearchQuery
from app.search.service import hit_view, search

router = APIRouter(prefix="/v1", tags=["search"])


@router.get("/search")
def search_endpoint(
    session: SessionDep,
    _user: Specialist,
    q: Annotated[str, Query(max_length=500, description="words; each must match, as a prefix")],
    requester: Annotated[str | None, Query(max_length=200)] = None,
    category: Annotated[str | None, Query(max_length=64)] = None,
    flag: Annotated[str | None, Query(max_length=40)] = None,
    owner: Annotated[str | None, Query(max_length=100)] = None,
    since: date | None = None,
    until: date | None = None,
    kind: Annotated[str | None, Query(max_length=16, description="message, draft or note")] = None,
    limit: Annotated[int, Query(ge=1, le=LIMIT_MAX)] = 50,
) -> dict[str, Any]:
    """Best matches first: ``{total, items: [{kind, id, case_id, at, author, snippet, case: {…}}]}``."""
    raw = {
        "q": q,
        "requester": requester,
        "category": category or None,
        "flag": flag or None,
        "owner": owner,
        "since": since,
        "until": until,
        "kind": kind or None,
        "limit": limit,
    }
    try:
        query = SearchQuery.model_validate(raw)
    except ValidationError as exc:
        problems = [
            {"field": ".".join(str(p) for p in e["loc"]), "problem": str(e["msg"]).removeprefix("Value error, ")}
            for e in exc.errors()
        ]
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, problems) from None
    result = search(session, query)
    return {"total": result.total, "terms": query.terms, "items": [hit_view(h) for h in result.hits]}
