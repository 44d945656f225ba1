"""The review queue, case view and decisions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.exceptions import RequestValidationError

from app.auth.deps import Specialist
from app.cases.models import Case
from app.cases.schemas import Channel
from app.cases.states import InvalidTransition
from app.deps import ClockDep, SessionDep, SettingsDep
from app.metrics import DECISIONS
from app.review import queue
from app.review.schemas import DecisionIn, DecisionOut
from app.review.service import DecisionRefused, case_view, decide
from app.safety.followups import tasks_of_decision
from app.safety.resolution import resolution_of_decision
from app.taxonomy import RISK_FLAGS, Category, Priority
from app.validation import DbId, Offset, text_problem

router = APIRouter(prefix="/v1", tags=["review"])


def _load(session: SessionDep, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"case {case_id} not found")
    return case


def _storable(body: DecisionIn) -> None:
    """422 for decision text the database cannot store (NUL, lone surrogates), in the validation error's shape."""
    for name in ("text", "note"):
        value = getattr(body, name)
        problem = text_problem(value) if isinstance(value, str) else None
        if problem is not None:
            raise RequestValidationError(
                [{"loc": ("body", name), "msg": f"Value error, {problem}", "type": "value_error", "input": None}]
            )


@router.get("/queue")
def get_queue(
    session: SessionDep,
    clock: ClockDep,
    _user: Specialist,
    category: Category | None = None,
    flag: str | None = Query(default=None, max_length=64),
    priority: Priority | None = None,
    status_: str | None = Query(default=None, alias="status", max_length=32),
    channel: Channel | None = None,
    limit: int = Query(default=100, ge=1, le=500),
    offset: Offset = 0,
) -> dict[str, Any]:
    from app.cases.states import CaseStatus

    if flag is not None and flag not in RISK_FLAGS:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"flag: unknown flag '{flag}'")
    if status_ is not None and status_ not in {s.value for s in CaseStatus}:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"status: unknown status '{status_}', one of {', '.join(s.value for s in CaseStatus)}",
        )
    items, total = queue.list_queue(
        session,
        now=clock.now(),
        category=category.value if category else None,
        flag=flag,
        priority=priority.value if priority else None,
        status=status_,
        channel=channel.value if channel else None,
        limit=limit,
        offset=offset,
    )
    return {"items": [i.model_dump(mode="json") for i in items], "total": total, "limit": limit, "offset": offset}


@router.get("/cases/{case_id}")
def get_case(case_id: DbId, session: SessionDep, clock: ClockDep, _user: Specialist) -> dict[str, Any]:
    from app.delivery.outbox import deliveries_view  # issue 15: delivery status, a key beside the existing ones

    view = case_view(session, _load(session, case_id), now=clock.now())
    return {**view, "deliveries": deliveries_view(session, case_id)}


@router.post("/cases/{case_id}/decisions", status_code=status.HTTP_201_CREATED, response_model=DecisionOut)
def post_decision(
    case_id: DbId, body: DecisionIn, session: SessionDep, clock: ClockDep, settings: SettingsDep, user: Specialist
) -> DecisionOut:
    _storable(body)
    case = _load(session, case_id)
    try:
        decision = decide(session, case, body, actor=user.name, now=clock.now(), settings=settings)
    except (DecisionRefused, InvalidTransition) as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    DECISIONS.labels(action=decision.action).inc()
    assert decision.id is not None
    resolution = resolution_of_decision(session, decision.id)
    return DecisionOut(
        id=decision.id,
        case_id=case_id,
        draft_id=decision.draft_id,
        action=decision.action,
        text=decision.text,
        reason=decision.reason,
        note=decision.note,
        edit_distance=decision.edit_distance,
        actor=decision.actor,
        created_at=decision.created_at,
        case_status=case.status,
        resolution=resolution.code if resolution else None,
        followups=[t.id for t in tasks_of_decision(session, decision.id) if t.id is not None],
    )
