"""Preservation holds: what a case held for a child-safety report, extortion, a threat or a legal request keeps.

A hold is placed automatically when a case gets ``minor_safety``, ``extortion`` or ``violence_threat`` or is a
law-enforcement request, and lasts ``TRIAGE_HOLD_DAYS`` (365 by default: US law now requires providers to keep
what they report to NCMEC for a year). It stores a snapshot of the case as it was (message digests and metadata,
flags, drafts, the length of the audit trail), and while it lasts the database itself refuses to change or delete
the case's messages and audit events (triggers from migration 0005). Only a lead releases a hold; one past its
period is released by the system with that reason, so nothing is kept longer than the period without a decision.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.cases import repository
from app.cases.models import Case
from app.cases.states import record_event
from app.config import Settings
from app.jobs.models import Job, JobPriority
from app.safety.errors import SafetyRefused
from app.safety.models import PreservationHold
from app.taxonomy import Category
from app.triage.models import Draft

HOLD_FLAGS = frozenset({"minor_safety", "extortion", "violence_threat"})
LAW_ENFORCEMENT = Category.LAW_ENFORCEMENT_REQUEST.value
SYSTEM = "system"


class CasePreserved(Exception):
    """The change would alter or delete what a preservation hold keeps (answered 423 Locked)."""

    def __init__(self, case_id: int, holds: list[PreservationHold]) -> None:
        reasons = ", ".join(sorted({h.reason for h in holds}))
        until = max(h.expires_at for h in holds).date().isoformat()
        super().__init__(
            f"case {case_id} is under a preservation hold ({reasons}) until {until}: its messages, metadata and "
            "audit trail cannot be edited or deleted; a lead can release the hold"
        )
        self.case_id = case_id


def active_holds(session: Session, case_id: int) -> list[PreservationHold]:
    return list(
        session.exec(
            select(PreservationHold)
            .where(PreservationHold.case_id == case_id, col(PreservationHold.released_at).is_(None))
            .order_by(col(PreservationHold.id))
        )
    )


def all_active(session: Session) -> list[PreservationHold]:
    return list(
        session.exec(
            select(PreservationHold)
            .where(col(PreservationHold.released_at).is_(None))
            .order_by(col(PreservationHold.expires_at))
        )
    )


def ensure_not_held(session: Session, case_id: int) -> None:
    holds = active_holds(session, case_id)
    if holds:
        raise CasePreserved(case_id, holds)


def hold_reasons(case: Case) -> list[str]:
    reasons = sorted(set(case.flag_codes) & HOLD_FLAGS)
    if case.category == LAW_ENFORCEMENT:
        reasons.append(LAW_ENFORCEMENT)
    return reasons


HOLD_EXPIRY_JOB = "hold_expiry"
HOLD_EXPIRY_MAX_ATTEMPTS = 10


def schedule_expiry(session: Session, case_id: int, hold_id: int, expires_at: datetime) -> None:
    """Queue the job that ends hold ``hold_id`` at ``expires_at``."""
    session.add(
        Job(
            kind=HOLD_EXPIRY_JOB,
            case_id=case_id,
            payload={"hold_id": hold_id},
            max_attempts=HOLD_EXPIRY_MAX_ATTEMPTS,
            priority=JobPriority.BACKGROUND,
            run_at=expires_at,
            created_at=expires_at,
        )
    )


def place_holds(
    session: Session, case: Case, *, reasons: list[str], actor: str, now: datetime, settings: Settings
) -> list[PreservationHold]:
    """One hold per reason not already held; returns the new ones."""
    assert case.id is not None
    held = {h.reason for h in active_holds(session, case.id)}
    placed = []
    for reason in reasons:
        if reason in held:
            continue
        hold = PreservationHold(
            case_id=case.id,
            reason=reason,
            snapshot=snapshot(session, case, now=now),
            placed_by=actor,
            placed_at=now,
            expires_at=now + timedelta(days=settings.hold_days),
        )
        session.add(hold)
        session.flush()
        record_event(
            session,
            case.id,
            "preservation_hold_placed",
            actor=actor,
            detail={"hold_id": hold.id, "reason": reason, "expires_at": hold.expires_at.isoformat()},
            now=now,
        )
        assert hold.id is not None
        schedule_expiry(session, case.id, hold.id, hold.expires_at)
        placed.append(hold)
    return placed


def snapshot(session: Session, case: Case, *, now: datetime) -> dict[str, Any]:
    """What the case was when the hold was placed: digests prove later that nothing preserved changed."""
    assert case.id is not None
    messages = repository.messages_of(session, case.id)
    drafts = list(session.exec(select(Draft).where(Draft.case_id == case.id).order_by(col(Draft.id))))
    return {
        "taken_at": now.isoformat(),
        "case": {
            "id": case.id,
            "status": case.status,
            "category": case.category,
            "priority": case.priority,
            "flags": list(case.flag_codes),
            "requester": {"id": case.requester_id, "kind": case.requester_kind, "name": case.requester_name},
            "channel": case.channel,
            "version": case.version,
        },
        "messages": [
            {
                "id": m.id,
                "direction": m.direction,
                "external_id": m.external_id,
                "sender_id": m.sender_id,
                "received_at": m.received_at.isoformat(),
                "sha256": hashlib.sha256(m.body.encode()).hexdigest(),
                "metadata": m.meta,  # attachment metadata, transaction ids, stream ids: whatever the channel gave
            }
            for m in messages
        ],
        "drafts": [{"id": d.id, "risk_flags": [f.get("code") for f in d.risk_flags]} for d in drafts],
        "audit_events": len(repository.events_of(session, case.id)),
    }


class HoldRefused(SafetyRefused):
    """The release does not apply (answered 409)."""


def release(session: Session, hold: PreservationHold, *, actor: str, note: str, now: datetime) -> None:
    if hold.released_at is not None:
        raise HoldRefused(f"hold {hold.id} was already released by {hold.released_by}")
    hold.released_at, hold.released_by, hold.release_note = now, actor, note
    session.add(hold)
    record_event(
        session,
        hold.case_id,
        "preservation_hold_released",
        actor=actor,
        detail={"hold_id": hold.id, "reason": hold.reason, "note": note, "early": now < hold.expires_at},
        now=now,
    )


def release_expired(session: Session, *, now: datetime) -> list[PreservationHold]:
    """Holds past their period end (the system releases them, saying so on the case)."""
    expired = [h for h in all_active(session) if h.expires_at <= now]
    for hold in expired:
        release(session, hold, actor=SYSTEM, note="preservation period ended", now=now)
    return expired
