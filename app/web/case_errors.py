"""The case page again, with the reason an action on it was refused: how every case-page form answers a refusal.

A refused action has written nothing (refusals are decided first), so the transaction is rolled back and the page
is rendered from what is stored, with the reason in the panel the form came from (``error_key`` names it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import ParamSpec, cast

from fastapi import Request
from sqlmodel import Session
from starlette.responses import Response

from app.cases.models import Case
from app.clock import Clock
from app.safety.errors import SafetyRefused
from app.web.guards import PageNotFound
from app.web.templating import render

P = ParamSpec("P")


def case_page_with_error(
    request: Request, session: Session, case_id: int, now: datetime, *, error_key: str, problem: str, status_code: int
) -> Response:
    from app.web.case_pages import case_context  # case_pages includes the routers that use this

    session.rollback()
    case = session.get(Case, case_id)
    if case is None:
        raise PageNotFound(f"There is no case #{case_id}.")
    context = case_context(session, case, now)
    context[error_key] = problem
    return render(request, "case.html", context, status_code=status_code)


def refusal_shows_case_page(endpoint: Callable[P, Response]) -> Callable[P, Response]:
    """A case-page form handler whose ``SafetyRefused`` shows the case page with the reason (409).

    The handler must take ``request``, ``session``, ``case_id`` and ``clock`` (FastAPI passes them by name).
    """

    @functools.wraps(endpoint)
    def handle(*args: P.args, **kwargs: P.kwargs) -> Response:
        try:
            return endpoint(*args, **kwargs)
        except SafetyRefused as exc:
            request, session, case_id = kwargs["request"], kwargs["session"], kwargs["case_id"]
            assert isinstance(request, Request) and isinstance(session, Session) and isinstance(case_id, int)
            now = cast(Clock, kwargs["clock"]).now()
            return case_page_with_error(
                request, session, case_id, now, error_key="safety_error", problem=str(exc), status_code=409
            )

    return handle
