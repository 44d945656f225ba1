"""Case states and the one ``transition()`` every status change goes through."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from app.cases.models import Case, CaseEvent
from app.clock import utcnow


class CaseStatus(StrEnum):
    NEW = "new"
    DRAFTING = "drafting"
    AWAITING_REVIEW = "awaiting_review"
    RESOLVED = "resolved"
    ESCALATED = "escalated"
    DRAFT_FAILED = "draft_failed"


S = CaseStatus
ALLOWED_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.NEW: frozenset({S.DRAFTING, S.ESCALATED, S.RESOLVED}),
    S.DRAFTING: frozenset({S.AWAITING_REVIEW, S.ESCALATED, S.DRAFT_FAILED, S.NEW, S.RESOLVED}),
    S.AWAITING_REVIEW: frozenset({S.DRAFTING, S.RESOLVED, S.ESCALATED, S.NEW}),
    S.ESCALATED: frozenset({S.RESOLVED, S.AWAITING_REVIEW, S.DRAFTING}),
    S.DRAFT_FAILED: frozenset({S.DRAFTING, S.NEW, S.RESOLVED, S.ESCALATED, S.AWAITING_REVIEW}),
    # A new inbound message reopens it; a critical flag found afterwards (a redraft, a late screen) escalates it.
    S.RESOLVED: frozenset({S.NEW, S.ESCALATED}),
}


class InvalidTransition(Exception):
    """A status change the table does not allow; the API answers 409 with both states."""

    def __init__(self, case_id: int | None, current: str, target: str) -> None:
        super().__init__(f"case {case_id} cannot go from '{current}' to '{target}'")
        self.current = current
        self.target = target


def can_transition(current: str, target: str) -> bool:
    return CaseStatus(target) in ALLOWED_TRANSITIONS[CaseStatus(current)]


def transition(
    session: Session,
    case: Case,
    target: CaseStatus,
    *,
    actor: str,
    reason: str,
    detail: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> CaseEvent:
    """Move ``case`` to ``target`` if allowed and record the event; raises ``InvalidTransition`` otherwise."""
    current = case.status
    if not can_transition(current, target):
        raise InvalidTransition(case.id, current, target)
    case.status = target.value
    case.updated_at = now or utcnow()
    assert case.id is not None
    event = CaseEvent(
        case_id=case.id,
        kind="status_changed",
        actor=actor,
        from_status=current,
        to_status=target.value,
        detail={"reason": reason, **(detail or {})},
        created_at=now or utcnow(),
    )
    session.add(case)
    session.add(event)
    return event


def record_event(
    session: Session,
    case_id: int,
    kind: str,
    *,
    actor: str,
    detail: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> None:
    """Append an audit event that is not a status change (a decision, a draft stored, a webhook sent…)."""
    session.add(CaseEvent(case_id=case_id, kind=kind, actor=actor, detail=detail or {}, created_at=now or utcnow()))
