"""Closing a critical case: an explicit confirmation and a resolution code, never one keystroke.

``false_positive`` needs the reason and removes the case's critical flags through the flag-corrections path, so
the correction is audited, sticks on later drafts and becomes training data for the next flag model.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from app.cases.models import Case
from app.cases.states import record_event
from app.config import Settings
from app.safety.errors import SafetyRefused
from app.safety.models import Resolution
from app.safety.ownership import close_watch
from app.taxonomy import CRITICAL_FLAGS
from app.triage.corrections import CorrectionAction, correct_flag


class ResolutionCode(StrEnum):
    RESOURCES_GIVEN = "resources_given"
    REFERRED_NCMEC = "referred_ncmec"
    REFERRED_LAW_ENFORCEMENT = "referred_law_enforcement"
    REFERRED_EMERGENCY_SERVICES = "referred_emergency_services"
    ACCOUNT_ACTIONED = "account_actioned"
    REQUESTER_CONFIRMED_SAFE = "requester_confirmed_safe"
    FALSE_POSITIVE = "false_positive"


RESOLUTION_LABELS: dict[ResolutionCode, str] = {
    ResolutionCode.RESOURCES_GIVEN: "Resources given (crisis lines, take-down help)",
    ResolutionCode.REFERRED_NCMEC: "Referred to NCMEC (CyberTipline packet)",
    ResolutionCode.REFERRED_LAW_ENFORCEMENT: "Referred to law enforcement",
    ResolutionCode.REFERRED_EMERGENCY_SERVICES: "Emergency services contacted",
    ResolutionCode.ACCOUNT_ACTIONED: "Reported account actioned",
    ResolutionCode.REQUESTER_CONFIRMED_SAFE: "Requester confirmed safe",
    ResolutionCode.FALSE_POSITIVE: "False positive (say why)",
}


class CloseRefused(SafetyRefused):
    """The critical case cannot be closed as asked (answered 409 with this message)."""


def critical_flags(case: Case) -> list[str]:
    return sorted(set(case.flag_codes) & CRITICAL_FLAGS)


def check_close(case: Case, *, confirmed: bool, code: ResolutionCode | None, note: str | None) -> None:
    """Refuse to resolve a case with a critical flag unless the closer confirmed it and gave a code."""
    flags = critical_flags(case)
    if not flags:
        return
    problems = []
    if not confirmed:
        problems.append("confirm_critical: true (you confirm the case is safe to close)")
    if code is None:
        problems.append("resolution: one of " + ", ".join(c.value for c in ResolutionCode))
    if code is ResolutionCode.FALSE_POSITIVE and not (note and len(note.strip()) >= 3):
        problems.append("note: why the flag was wrong (it becomes a flag correction)")
    if problems:
        raise CloseRefused(
            f"case {case.id} has critical flag(s) {', '.join(flags)}: closing it needs " + "; ".join(problems)
        )


def record_close(
    session: Session,
    case: Case,
    *,
    code: ResolutionCode,
    note: str | None,
    decision_id: int | None,
    actor: str,
    now: datetime,
    settings: Settings,
    model_version: str | None = None,
) -> Resolution:
    """Store the resolution, close the escalation watch, and turn a false positive into flag corrections."""
    assert case.id is not None
    flags = critical_flags(case)
    resolution = Resolution(
        case_id=case.id, decision_id=decision_id, code=code.value, note=note, flags=flags, actor=actor, created_at=now
    )
    session.add(resolution)
    if code is ResolutionCode.FALSE_POSITIVE:
        for flag in flags:
            correct_flag(
                session,
                case,
                code=flag,
                action=CorrectionAction.REMOVE,
                reason=f"false positive at close: {(note or '').strip()}"[:500],
                actor=actor,
                model_version=model_version,
                settings=settings,
                now=now,
            )
    close_watch(session, case.id, now=now)
    session.flush()
    record_event(
        session,
        case.id,
        "critical_case_closed",
        actor=actor,
        detail={"resolution_id": resolution.id, "code": code.value, "flags": flags, "confirmed": True},
        now=now,
    )
    return resolution


def resolutions_of(session: Session, case_id: int) -> list[Resolution]:
    return list(session.exec(select(Resolution).where(Resolution.case_id == case_id).order_by(col(Resolution.id))))


def resolution_of_decision(session: Session, decision_id: int) -> Resolution | None:
    return session.exec(select(Resolution).where(Resolution.decision_id == decision_id)).first()
