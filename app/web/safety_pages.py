"""Console pages for critical cases: the escalation queue, ownership actions, follow-ups, holds, packets, legal.

Every action goes through the same ``app.safety`` functions as the API; a refused one shows the case page again
with the reason. Pages are for specialists, leads and admins; releasing a hold and reviewing a packet are a
lead's (the page shows those forms to leads only, and the handlers check again).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.cases import repository
from app.cases.models import Case
from app.clock import Clock
from app.deps import ClockDep, SessionDep, SettingsDep
from app.safety import followups, holds, ownership, packets, privacy
from app.safety.models import FollowUpTask, PacketKind, PreservationHold, ReferralPacket
from app.safety.schemas import LegalRequestIn, RestrictionIn
from app.safety.views import hold_view, packet_view, task_view, watch_view
from app.validation import DbId, text_problem
from app.web.case_errors import case_page_with_error, refusal_shows_case_page
from app.web.guards import CsrfChecked, LeadPage, PageNotFound, SpecialistPage
from app.web.templating import render

router = APIRouter(include_in_schema=False)


def _case(session: Session, case_id: int) -> Case:
    case = repository.lock_case(session, case_id)
    if case is None:
        raise PageNotFound(f"There is no case #{case_id}. It may have been merged, or the link is wrong.")
    return case


def _back(case_id: int) -> RedirectResponse:
    return RedirectResponse(f"/cases/{case_id}?notice=safety&case={case_id}#safety-panel", status_code=303)


def _refused(request: Request, session: Session, case_id: int, message: str, *, clock: Clock) -> Response:
    return case_page_with_error(
        request, session, case_id, clock.now(), error_key="safety_error", problem=message, status_code=409
    )


@router.post("/cases/{case_id}/safety/claim", dependencies=[CsrfChecked])
@refusal_shows_case_page
def claim(request: Request, case_id: DbId, session: SessionDep, clock: ClockDep, user: SpecialistPage) -> Response:
    """Claim (or, as the assigned owner, acknowledge) the case."""
    ownership.acknowledge(session, _case(session, case_id), actor=user.name, now=clock.now())
    session.commit()
    return _back(case_id)


@router.post("/cases/{case_id}/safety/handover", dependencies=[CsrfChecked])
@refusal_shows_case_page
def hand_over(
    request: Request,
    case_id: DbId,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    user: SpecialistPage,
    to: Annotated[str, Form(max_length=100)] = "",
    note: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    if len(note.strip()) < 3 or text_problem(note) is not None:
        return _refused(request, session, case_id, "A hand-over needs a note for the next owner.", clock=clock)
    ownership.hand_over(
        session,
        _case(session, case_id),
        to=to.strip(),
        note=note.strip(),
        actor=user.name,
        now=clock.now(),
        settings=settings,
    )
    session.commit()
    return _back(case_id)


@router.post("/cases/{case_id}/safety/assign", dependencies=[CsrfChecked])
@refusal_shows_case_page
def assign(
    request: Request,
    case_id: DbId,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    user: LeadPage,
    owner: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    ownership.assign(
        session, _case(session, case_id), owner=owner.strip(), actor=user.name, now=clock.now(), settings=settings
    )
    session.commit()
    return _back(case_id)


@router.post("/cases/{case_id}/safety/followups/{task_id}/done", dependencies=[CsrfChecked])
@refusal_shows_case_page
def followup_done(
    request: Request, case_id: DbId, task_id: DbId, session: SessionDep, clock: ClockDep, user: SpecialistPage
) -> Response:
    task = session.get(FollowUpTask, task_id)
    if task is None or task.case_id != case_id:
        raise PageNotFound(f"Case #{case_id} has no follow-up #{task_id}.")
    followups.complete(session, task, actor=user.name, note=None, now=clock.now())
    session.commit()
    return _back(case_id)


@router.post("/cases/{case_id}/safety/packets", dependencies=[CsrfChecked])
@refusal_shows_case_page
def create_packet(
    request: Request,
    case_id: DbId,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    user: SpecialistPage,
    kind: Annotated[str, Form(max_length=32)] = "",
    restriction_type: Annotated[str, Form(max_length=40)] = "",
    duration_days: Annotated[str, Form(max_length=5)] = "",
    facts: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """A CyberTipline report or a statement of reasons, generated from the case; shown for review."""
    restriction = None
    try:
        chosen = PacketKind(kind)
        if chosen is PacketKind.LAW_ENFORCEMENT:
            raise ValueError("log a law-enforcement request with its own form")
        if chosen is PacketKind.STATEMENT_OF_REASONS:
            form = {"type": restriction_type, "duration_days": duration_days or None, "facts": facts.strip() or None}
            restriction = RestrictionIn.model_validate(form).model_dump(mode="json")
    except (ValueError, ValidationError) as exc:
        return _refused(request, session, case_id, f"The packet cannot be prepared: {_first_error(exc)}", clock=clock)
    packet = packets.create(
        session,
        _case(session, case_id),
        kind=chosen,
        actor=user.name,
        now=clock.now(),
        settings=settings,
        restriction=restriction,
    )
    session.commit()
    return RedirectResponse(f"/packets/{packet.id}", status_code=303)


@router.post("/cases/{case_id}/safety/legal", dependencies=[CsrfChecked])
def legal_request(
    request: Request,
    case_id: DbId,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    user: SpecialistPage,
    agency: Annotated[str, Form(max_length=200)] = "",
    officer: Annotated[str, Form(max_length=200)] = "",
    legal_process: Annotated[str, Form(max_length=32)] = "",
    reference: Annotated[str, Form(max_length=100)] = "",
    deadline: Annotated[str, Form(max_length=32)] = "",
    requested: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Log the request on the legal queue and preserve the case, as ``POST /v1/legal/requests`` does."""
    form = {
        "case_id": case_id,
        "agency": agency.strip(),
        "officer": officer.strip() or None,
        "legal_process": legal_process,
        "reference": reference.strip() or None,
        "deadline": f"{deadline}T23:59:00Z" if deadline else None,
        "requested": requested.strip(),
    }
    try:
        intake = LegalRequestIn.model_validate(form).model_dump(mode="json", exclude={"case_id"})
    except ValidationError as exc:
        return _refused(request, session, case_id, f"The request cannot be logged: {_first_error(exc)}", clock=clock)
    packet = packets.create(
        session,
        _case(session, case_id),
        kind=PacketKind.LAW_ENFORCEMENT,
        actor=user.name,
        now=clock.now(),
        settings=settings,
        intake=intake,
    )
    session.commit()
    return RedirectResponse(f"/packets/{packet.id}", status_code=303)


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error.get("loc", ()))
        return f"{where}: {str(error.get('msg', 'invalid')).removeprefix('Value error, ')}"
    return str(exc)


@router.get("/escalations")
def escalations_page(request: Request, session: SessionDep, clock: ClockDep, _user: SpecialistPage) -> Response:
    now = clock.now()
    rows = []
    for watch in ownership.open_watches(session):
        case = session.get(Case, watch.case_id)
        if case is not None:
            rows.append(
                {
                    "case": case,
                    "watch": watch_view(watch, now),
                    "held": bool(holds.active_holds(session, watch.case_id)),
                }
            )
    tasks = [task_view(t, now) for t in followups.open_tasks(session)]
    return render(request, "escalations.html", {"rows": rows, "tasks": tasks, "legal": packets.legal_queue(session)})


@router.get("/holds")
def holds_page(request: Request, session: SessionDep, _user: SpecialistPage) -> Response:
    return render(
        request,
        "holds.html",
        {"holds": [hold_view(h) for h in holds.all_active(session)], "deletions": privacy.requests(session)},
    )


@router.post("/holds/{hold_id}/release", dependencies=[CsrfChecked])
def release_hold(
    request: Request,
    hold_id: DbId,
    session: SessionDep,
    clock: ClockDep,
    user: LeadPage,
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    hold = session.get(PreservationHold, hold_id)
    if hold is None:
        raise PageNotFound(f"There is no hold #{hold_id}.")
    problem = "A release needs a reason (3–500 characters)." if len(note.strip()) < 3 else text_problem(note)
    if problem is None:
        try:
            holds.release(session, hold, actor=user.name, note=note.strip(), now=clock.now())
        except holds.HoldRefused as exc:
            problem = str(exc)
    if problem is not None:
        session.rollback()
        context = {"holds": [hold_view(h) for h in holds.all_active(session)], "deletions": privacy.requests(session)}
        return render(request, "holds.html", {**context, "error": problem}, status_code=409)
    session.flush()
    privacy.run_queued(session, now=clock.now())
    session.commit()
    return RedirectResponse("/holds", status_code=303)


def _packet(session: Session, packet_id: int) -> ReferralPacket:
    packet = session.get(ReferralPacket, packet_id)
    if packet is None:
        raise PageNotFound(f"There is no referral packet #{packet_id}.")
    return packet


@router.get("/packets/{packet_id}")
def packet_page(request: Request, packet_id: DbId, session: SessionDep, _user: SpecialistPage) -> Response:
    """The printable packet: every field a reviewer checks before anything is filed or sent."""
    packet = _packet(session, packet_id)
    return render(request, "packet.html", {"packet": packet_view(packet, full=True), "error": None})


@router.post("/packets/{packet_id}/review", dependencies=[CsrfChecked])
def review_packet(
    request: Request,
    packet_id: DbId,
    session: SessionDep,
    clock: ClockDep,
    user: LeadPage,
    decision: Annotated[str, Form(max_length=8)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    packet = _packet(session, packet_id)
    try:
        packets.review(
            session, packet, approve=decision == "approve", note=note.strip() or None, actor=user.name, now=clock.now()
        )
    except packets.PacketRefused as exc:
        session.rollback()
        view = packet_view(_packet(session, packet_id), full=True)
        return render(request, "packet.html", {"packet": view, "error": str(exc)}, status_code=409)
    session.commit()
    return RedirectResponse(f"/packets/{packet_id}", status_code=303)
