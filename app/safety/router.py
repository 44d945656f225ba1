"""The critical-case API: the escalation queue and ownership, follow-ups, holds, privacy, packets, legal intake."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, status
from sqlmodel import Session

from app.auth.deps import Lead, require_roles
from app.auth.models import Role, User
from app.cases import repository
from app.cases.models import Case, Message
from app.deps import ClockDep, SessionDep, SettingsDep
from app.safety import followups, holds, ownership, packets, privacy
from app.safety.errors import RefusalIsConflictRoute
from app.safety.models import FollowUpTask, PacketKind, PreservationHold, ReferralPacket
from app.safety.schemas import (
    AssignIn,
    DeletionIn,
    DoneIn,
    HandOverIn,
    LegalRequestIn,
    MessageEditIn,
    PacketIn,
    ReleaseIn,
    ReviewIn,
    TaskIn,
)
from app.safety.views import hold_view, packet_view, task_view, watch_view
from app.validation import DbId

# A refused action (``SafetyRefused``) answers 409 with its reason.
router = APIRouter(prefix="/v1", tags=["critical cases"], route_class=RefusalIsConflictRoute)
# The desk: specialists and leads work critical cases (a lead may do all a specialist does); admins too.
Desk = Annotated[User, Depends(require_roles(Role.SPECIALIST, Role.LEAD, Role.ADMIN))]


def _case(session: Session, case_id: int) -> Case:
    case = repository.lock_case(session, case_id)
    if case is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"case {case_id} not found")
    return case


@router.get("/escalations")
def escalation_queue(session: SessionDep, clock: ClockDep, _user: Desk) -> dict[str, Any]:
    """Open escalations: unacknowledged first (overdue ones re-alert), then by deadline."""
    now = clock.now()
    items = []
    for watch in ownership.open_watches(session):
        case = session.get(Case, watch.case_id)
        if case is None:
            continue
        items.append(
            {
                "case_id": case.id,
                "status": case.status,
                "category": case.category,
                "priority": case.priority,
                "risk_flags": list(case.flag_codes),
                **(watch_view(watch, now) or {}),
                "held": bool(holds.active_holds(session, watch.case_id)),
            }
        )
    return {"items": items}


@router.post("/cases/{case_id}/claim")
def claim(case_id: DbId, session: SessionDep, clock: ClockDep, user: Desk) -> dict[str, Any]:
    watch = ownership.claim(session, _case(session, case_id), actor=user.name, now=clock.now())
    return watch_view(watch, clock.now()) or {}


@router.post("/cases/{case_id}/ack")
def acknowledge(case_id: DbId, session: SessionDep, clock: ClockDep, user: Desk) -> dict[str, Any]:
    watch = ownership.acknowledge(session, _case(session, case_id), actor=user.name, now=clock.now())
    return watch_view(watch, clock.now()) or {}


@router.post("/cases/{case_id}/assign")
def assign(
    case_id: DbId, body: AssignIn, session: SessionDep, clock: ClockDep, settings: SettingsDep, user: Lead
) -> dict[str, Any]:
    """A lead gives the case to someone (who must then acknowledge it)."""
    watch = ownership.assign(
        session, _case(session, case_id), owner=body.owner, actor=user.name, now=clock.now(), settings=settings
    )
    return watch_view(watch, clock.now()) or {}


@router.post("/cases/{case_id}/handover")
def hand_over(
    case_id: DbId, body: HandOverIn, session: SessionDep, clock: ClockDep, settings: SettingsDep, user: Desk
) -> dict[str, Any]:
    watch = ownership.hand_over(
        session,
        _case(session, case_id),
        to=body.to,
        note=body.note,
        actor=user.name,
        now=clock.now(),
        settings=settings,
    )
    return watch_view(watch, clock.now()) or {}


@router.get("/followups")
def open_followups(session: SessionDep, clock: ClockDep, _user: Desk) -> dict[str, Any]:
    now = clock.now()
    return {"items": [task_view(t, now) for t in followups.open_tasks(session)]}


@router.post("/cases/{case_id}/followups", status_code=status.HTTP_201_CREATED)
def add_followup(case_id: DbId, body: TaskIn, session: SessionDep, clock: ClockDep, user: Desk) -> dict[str, Any]:
    case = _case(session, case_id)
    assert case.id is not None
    task = followups.add_task(
        session, case.id, title=body.title, due_at=body.due_at, actor=user.name, assignee=body.assignee, now=clock.now()
    )
    return task_view(task, clock.now())


@router.post("/followups/{task_id}/done")
def followup_done(task_id: DbId, body: DoneIn, session: SessionDep, clock: ClockDep, user: Desk) -> dict[str, Any]:
    task = session.get(FollowUpTask, task_id)
    if task is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"follow-up {task_id} not found")
    followups.complete(session, task, actor=user.name, note=body.note, now=clock.now())
    return task_view(task, clock.now())


@router.get("/holds")
def list_holds(session: SessionDep, _user: Desk) -> dict[str, Any]:
    return {"items": [hold_view(h) for h in holds.all_active(session)]}


@router.post("/holds/{hold_id}/release")
def release_hold(hold_id: DbId, body: ReleaseIn, session: SessionDep, clock: ClockDep, user: Lead) -> dict[str, Any]:
    """Only a lead releases a hold; privacy deletions waiting on it run once nothing else holds the requester."""
    hold = session.get(PreservationHold, hold_id)
    if hold is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"hold {hold_id} not found")
    holds.release(session, hold, actor=user.name, note=body.note, now=clock.now())
    session.flush()
    ran = privacy.run_queued(session, now=clock.now())
    return {**hold_view(hold), "deletions_executed": [r.id for r in ran]}


def _deletion_view(request: Any) -> dict[str, Any]:
    return {
        "id": request.id,
        "requester_id": request.requester_id,
        "status": request.status,
        "waiting_on_cases": request.waiting_on,
        "erased_messages": request.erased_messages,
        "created_at": request.created_at,
        "executed_at": request.executed_at,
    }


@router.post("/privacy/deletion-requests", status_code=status.HTTP_202_ACCEPTED)
def request_deletion(body: DeletionIn, session: SessionDep, clock: ClockDep, user: Desk) -> dict[str, Any]:
    """Erase a requester's messages now, or queue the request while a preservation hold covers any of their cases."""
    request = privacy.request_deletion(
        session, requester_id=body.requester_id, actor=user.name, note=body.note, now=clock.now()
    )
    return _deletion_view(request)


@router.get("/privacy/deletion-requests")
def deletion_requests(session: SessionDep, _user: Desk) -> dict[str, Any]:
    return {"items": [_deletion_view(r) for r in privacy.requests(session)]}


@router.patch("/cases/{case_id}/messages/{message_id}")
def correct_message(
    case_id: DbId, message_id: DbId, body: MessageEditIn, session: SessionDep, clock: ClockDep, user: Desk
) -> dict[str, Any]:
    """Correct or redact a message's text; 423 while the case is under a preservation hold."""
    case = _case(session, case_id)
    message = session.get(Message, message_id)
    if message is None or message.case_id != case_id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"message {message_id} is not on case {case_id}")
    try:
        privacy.correct_message(
            session, case, message, body=body.body, reason=body.reason, actor=user.name, now=clock.now()
        )
    except holds.CasePreserved as exc:
        raise HTTPException(status.HTTP_423_LOCKED, str(exc)) from exc
    return {"id": message.id, "case_id": case_id, "body": message.body}


@router.post("/cases/{case_id}/packets", status_code=status.HTTP_201_CREATED)
def create_packet(
    case_id: DbId, body: PacketIn, session: SessionDep, clock: ClockDep, settings: SettingsDep, user: Desk
) -> dict[str, Any]:
    """Generate a CyberTipline report or a statement of reasons from the case (law-enforcement: ``/v1/legal``)."""
    if body.kind is PacketKind.LAW_ENFORCEMENT:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "kind: log law-enforcement requests at /v1/legal/requests"
        )
    restriction = body.restriction.model_dump(mode="json") if body.restriction else None
    packet = packets.create(
        session,
        _case(session, case_id),
        kind=body.kind,
        actor=user.name,
        now=clock.now(),
        settings=settings,
        restriction=restriction,
    )
    return packet_view(packet, full=True)


def _packet(session: Session, packet_id: int) -> ReferralPacket:
    packet = session.get(ReferralPacket, packet_id)
    if packet is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"packet {packet_id} not found")
    return packet


@router.get("/packets/{packet_id}")
def get_packet(packet_id: DbId, session: SessionDep, _user: Desk) -> dict[str, Any]:
    return packet_view(_packet(session, packet_id), full=True)


@router.post("/packets/{packet_id}/review")
def review_packet(packet_id: DbId, body: ReviewIn, session: SessionDep, clock: ClockDep, user: Lead) -> dict[str, Any]:
    """A lead approves the packet to leave (someone other than its author) or rejects it."""
    packet = _packet(session, packet_id)
    packets.review(session, packet, approve=body.approve, note=body.note, actor=user.name, now=clock.now())
    return packet_view(packet, full=True)


@router.post("/legal/requests", status_code=status.HTTP_201_CREATED)
def legal_request(
    body: LegalRequestIn, session: SessionDep, clock: ClockDep, settings: SettingsDep, user: Desk
) -> dict[str, Any]:
    """Log a law-enforcement request on its case: routed to the legal queue, and the case is preserved."""
    intake = body.model_dump(mode="json", exclude={"case_id"})
    packet = packets.create(
        session,
        _case(session, body.case_id),
        kind=PacketKind.LAW_ENFORCEMENT,
        actor=user.name,
        now=clock.now(),
        settings=settings,
        intake=intake,
    )
    return packet_view(packet, full=True)


@router.get("/legal/queue")
def legal_queue(session: SessionDep, _user: Desk) -> dict[str, Any]:
    return {"items": [packet_view(p, full=True) for p in packets.legal_queue(session)]}
