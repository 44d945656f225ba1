"""Every query about cases, messages and idempotency keys."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from app.cases.models import Case, CaseEvent, Message


def lock_case(session: Session, case_id: int) -> Case | None:
    """The case re-read under a row lock, for a change that depends on its current status or version."""
    return session.get(Case, case_id, with_for_update=True, populate_existing=True)


def messages_of(session: Session, case_id: int) -> list[Message]:
    return list(
        session.exec(
            select(Message).where(Message.case_id == case_id).order_by(col(Message.received_at), col(Message.id))
        )
    )


def events_of(session: Session, case_id: int) -> list[CaseEvent]:
    return list(session.exec(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(col(CaseEvent.id))))


def requester_history(
    session: Session, requester_id: str, *, exclude_case_id: int | None, since: datetime
) -> tuple[int, list[str]]:
    """Earlier cases of this requester since ``since``: how many, and their categories."""
    stmt = select(Case).where(Case.requester_id == requester_id, col(Case.last_message_at) >= since)
    if exclude_case_id is not None:
        stmt = stmt.where(Case.id != exclude_case_id)
    cases = list(session.exec(stmt))
    return len(cases), [c.category for c in cases if c.category]


def message_count(session: Session, case_id: int) -> int:
    return int(session.exec(select(func.count()).select_from(Message).where(Message.case_id == case_id)).one())


def prior_message_count(session: Session, requester_id: str, *, since: datetime, before_id: int) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(Message)
            .where(Message.sender_id == requester_id, col(Message.received_at) >= since, col(Message.id) < before_id)
        ).one()
    )


def window(days: int, now: datetime) -> datetime:
    return now - timedelta(days=days)
