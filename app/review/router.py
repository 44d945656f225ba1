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
from app.desk.ownership import BulkOwnershipIn, OwnershipIn, OwnershipRefused, apply
from app.metrics import DECISIONS
from app.review import queue
from app.review.schemas import DecisionIn, DecisionOut
from app.review.service import DecisionRefused, case_view, decide
from app.safety.followups import tasks_of_decision
from app.safety.ownership import owner_of
from app.safety.resolution import resolution_of_decision
from app.taxonomy import RISK_FLAGS, Category, Priority, Severity
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
    severity: Severity | None = None,
    owner: str | None = Query(default=None, min_length=1, max_length=100),
    unassigned: bool = False,
    breaching: bool = False,
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
    if owner is not None and text_problem(owner) is not None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"owner: {text_problem(owner)}")
    if owner is not None and unassigned:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "owner, unassigned: choose one (a case with an owner is assigned)"
        )
    items, total = queue.list_queue(
        session,
        now=clock.now(),
        category=category.value if category else None,
        flag=flag,
        priority=priority.value if priority else None,
        status=status_,
        channel=channel.value if channel else None,
        severity=severity.value if severity else None,
        owner=owner,
        unassigned=unassigned,
        breaching=breaching,
        limit=limit,
        offset=offset,
    )
    return {"items": [i.model_dump(mode="json") for i in items], "total": total, "limit": limit, "offset": offset}


@router.get("/cases/{case_id}")
def get_case(case_id: DbId, session: SessionDep, clock: ClockDep, _user: Specialist) -> dict[str, Any]:
    from app.delivery.outbox import deliveries_view  # issue 15: delivery status, a key beside the existing ones

    view = case_view(session, _load(session, case_id), now=clock.now())
    # issue 14: who owns the case (an escalation's owner, or whoever claimed it from the queue)
    return {**view, "deliveries": deliveries_view(session, case_id), "owner": owner_of(session, case_id)}


@router.post("/cases/{case_id}/ownership")
def post_ownership(
    case_id: DbId, body: OwnershipIn, session: SessionDep, clock: ClockDep, settings: SettingsDep, user: Specialist
) -> dict[str, Any]:
    """Claim, assign or release any open case (an escalation keeps its rules: a lead assigns it)."""
    case = _load(session, case_id)
    try:
        owner = apply(session, case, body, user=user, now=clock.now(), settings=settings)
    except OwnershipRefused as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    return {"case_id": case_id, "owner": owner}


@router.post("/queue/ownership")
def post_bulk_ownership(
    body: BulkOwnershipIn, session: SessionDep, clock: ClockDep, settings: SettingsDep, user: Specialist
) -> dict[str, Any]:
    """The same change for many cases at once; each case succeeds or is refused on its own, with the reason."""
    now, done, refused = clock.now(), [], []
    for case_id in dict.fromkeys(body.case_ids):
        case = session.get(Case, case_id)
        if case is None:
            refused.append({"case_id": case_id, "reason": f"case {case_id} not found"})
            continue
        try:  # every refusal is decided before anything is written, so a refused case leaves nothing behind
            owner = apply(session, case, body, user=user, now=now, settings=settings)
        except OwnershipRefused as exc:
            refused.append({"case_id": case_id, "reason": str(exc)})
            continue
        done.append({"case_id": case_id, "owner": owner})
    return {"done": done, "refused": refused}


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
