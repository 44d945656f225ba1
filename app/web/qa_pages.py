"""The QA page: decision statistics per category over a window of days, and the risk-flag model's scores with the
specialists' flag corrections it has not learnt yet (what ``GET /v1/flag-model`` answers)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.auth.models import Role
from app.deps import ClockDep, FlagModelDep, SessionDep
from app.review.flag_model_view import model_view
from app.review.models import Action
from app.triage.corrections import all_corrections
from app.web.guards import QAPage
from app.web.stats import decision_stats
from app.web.templating import render

router = APIRouter(include_in_schema=False)

WINDOWS = (1, 7, 30, 90, 365)
NEWEST_CORRECTIONS = 20


@router.get("/qa")
def qa_page(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    flag_model: FlagModelDep,
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
            "flag_model": model_view(flag_model, all_corrections(session), limit=NEWEST_CORRECTIONS),
        },
    )
