"""Delivery status and manual retry, for the API (``/v1``) and the console (a CSRF-checked form)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, status
from sqlmodel import Session, col, select
from starlette.responses import RedirectResponse

from app.auth.deps import Specialist
from app.cases.models import Case
from app.delivery.models import Delivery, DeliveryStatus
from app.delivery.outbox import RetryRefused, deliveries_view, delivery_view, retry
from app.deps import ClockDep, SessionDep
from app.validation import DbId
from app.web.guards import CsrfChecked, PageNotFound, SpecialistPage

router = APIRouter(prefix="/v1", tags=["delivery"])
pages = APIRouter(include_in_schema=False)


def _delivery(session: Session, delivery_id: int) -> Delivery:
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"delivery {delivery_id} not found")
    return delivery


@router.get("/cases/{case_id}/deliveries")
def get_case_deliveries(case_id: DbId, session: SessionDep, _user: Specialist) -> dict[str, Any]:
    if session.get(Case, case_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"case {case_id} not found")
    return {"items": deliveries_view(session, case_id)}


@router.get("/deliveries")
def list_deliveries(
    session: SessionDep,
    _user: Specialist,
    status_: DeliveryStatus | None = Query(default=None, alias="status"),
    limit: int = Query(default=100, ge=1, le=500),
) -> dict[str, Any]:
    """Newest first; ``?status=failed`` is the list of requesters who have not heard back."""
    query = select(Delivery).order_by(col(Delivery.id).desc()).limit(limit)
    if status_ is not None:
        query = query.where(Delivery.status == status_.value)
    return {"items": [delivery_view(d) for d in session.exec(query)]}


@router.post("/deliveries/{delivery_id}/retry", status_code=status.HTTP_202_ACCEPTED)
def post_retry(delivery_id: DbId, session: SessionDep, clock: ClockDep, user: Specialist) -> dict[str, Any]:
    delivery = _delivery(session, delivery_id)
    try:
        retry(session, delivery, actor=user.name, now=clock.now())
    except RetryRefused as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    return delivery_view(delivery, clock.now())


@pages.post("/cases/{case_id}/deliveries/{delivery_id}/retry", dependencies=[CsrfChecked])
def retry_page(
    case_id: DbId, delivery_id: DbId, session: SessionDep, clock: ClockDep, user: SpecialistPage
) -> RedirectResponse:
    delivery = session.get(Delivery, delivery_id)
    if delivery is None or delivery.case_id != case_id:
        raise PageNotFound(f"Case #{case_id} has no delivery #{delivery_id}.")
    try:
        retry(session, delivery, actor=user.name, now=clock.now())
    except RetryRefused:
        session.rollback()  # already sent: the page shows it as sent
        return RedirectResponse(f"/cases/{case_id}#deliveries", status_code=303)
    session.commit()  # before the redirect: the page reads what we just wrote
    return RedirectResponse(f"/cases/{case_id}#deliveries", status_code=303)
