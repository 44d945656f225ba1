"""The QA page: decision statistics per category over a window of days."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.auth.models import Role
from app.deps import ClockDep, SessionDep
from app.review.models import Action
from app.web.guards import QAPage
from app.web.stats import decision_stats
from app.web.templating import render

router = APIRouter(include_in_schema=False)

WINDOWS = (1, 7, 30, 90, 365)


@router.get("/qa")
def qa_page(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    user: QAPage,
    days: Annotated[int, Query(ge=1, le=3650)] = 30,
) -> Response:
    now = clock.now()
    stats = decision_stats(session, since=now - timedelta(days=days))
    return render(
        request,
        "qa.html",
        {
            "stats": stats,
            "days": days,
            "windows": WINDOWS,
            "Action": Action,
            "can_open_cases": user.role == Role.ADMIN.value,
        },
    )
