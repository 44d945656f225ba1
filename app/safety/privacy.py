"""Privacy deletion requests and message corrections, both subject to preservation holds.

A deletion request names a requester. When none of their cases is held it runs at once: message text, subjects,
names and channel metadata are erased (the rows stay, so counts and the audit trail remain true), drafts lose
their reply text, and the team's internal notes on those cases lose their body. When a hold covers any of their
cases the request is queued, listed with the held cases it waits on, and runs when the last of those holds is
released.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from app.cases import repository
from app.cases.models import Case, Message
from app.cases.states import record_event
from app.notes.models import CaseNote
from app.safety.holds import active_holds, ensure_not_held, release_expired
from app.safety.models import DeletionRequest, DeletionStatus
from app.triage.models import Draft

ERASED = "[erased at the requester's request]"


def request_deletion(
    session: Session, *, requester_id: str, actor: str, note: str | None, now: datetime
) -> DeletionRequest:
    if release_expired(session, now=now):  # a hold past its period no longer holds anything back
        run_queued(session, now=now)
    request = DeletionRequest(requester_id=requester_id, requested_by=actor, note=note, created_at=now)
    session.add(request)
    session.flush()
    _try(session, request, now=now)
    return request


def _cases_of(session: Session, requester_id: str) -> list[Case]:
    return list(session.exec(select(Case).where(Case.requester_id == requester_id).order_by(col(Case.id))))


def _try(session: Session, request: DeletionRequest, *, now: datetime) -> None:
    cases = _cases_of(session, request.requester_id)
    held = [c.id for c in cases if c.id is not None and active_holds(session, c.id)]
    if held:
        if request.waiting_on != held:
            request.waiting_on = [c for c in held if c is not None]
            session.add(request)
            for case_id in request.waiting_on:
                record_event(
                    session,
                    case_id,
                    "privacy_deletion_queued",
                    actor=request.requested_by,
                    detail={"request_id": request.id, "reason": "preservation hold"},
                    now=now,
                )
        return
    erased = 0
    for case in cases:
        assert case.id is not None
        erased += _erase(session, case, request_id=request.id, actor=request.requested_by, now=now)
    request.status = DeletionStatus.EXECUTED.value
    request.executed_at, request.erased_messages, request.waiting_on = now, erased, []
    session.add(request)


def _erase(session: Session, case: Case, *, request_id: int | None, actor: str, now: datetime) -> int:
    assert case.id is not None
    messages = repository.messages_of(session, case.id)
    for message in messages:
        message.body, message.subject, message.sender_name, message.meta = ERASED, None, None, {}
        session.add(message)
    for draft in session.exec(select(Draft).where(Draft.case_id == case.id)):
        draft.reply = ERASED
        session.add(draft)
    for note in session.exec(select(CaseNote).where(CaseNote.case_id == case.id)):
        note.body = ERASED  # the team's notes about the requester are their personal data too
        session.add(note)
    case.requester_name = case.subject = None
    session.add(case)
    record_event(
        session,
        case.id,
        "privacy_erased",
        actor=actor,
        detail={"request_id": request_id, "messages": len(messages)},
        now=now,
    )
    session.flush()
    return len(messages)


def run_queued(session: Session, *, now: datetime) -> list[DeletionRequest]:
    """Retry every queued request (after a hold is released or expired); returns those that ran."""
    release_expired(session, now=now)
    session.flush()
    queued = list(session.exec(select(DeletionRequest).where(DeletionRequest.status == DeletionStatus.QUEUED.value)))
    for request in queued:
        _try(session, request, now=now)
    return [r for r in queued if r.status == DeletionStatus.EXECUTED.value]


def correct_message(
    session: Session, case: Case, message: Message, *, body: str, reason: str, actor: str, now: datetime
) -> None:
    """Replace a message's text (a redaction, a data correction); refused while the case is held."""
    assert case.id is not None
    ensure_not_held(session, case.id)
    message.body = body
    session.add(message)
    record_event(
        session, case.id, "message_corrected", actor=actor, detail={"message_id": message.id, "reason": reason}, now=now
    )


def requests(session: Session) -> list[DeletionRequest]:
    return list(session.exec(select(DeletionRequest).order_by(col(DeletionRequest.id).desc()).limit(200)))
