"""Specialists correct risk flags; every correction is audited and becomes training data for the next model.

A correction adds or removes one flag on a case, with a reason. It changes the case at once (its flags, its
severity and priority; an added critical flag escalates it like a detected one) and it sticks: a later draft of
the same case keeps a removed flag removed and an added flag added. The inbound text at the time is kept with
the correction, so ``triage model train`` can learn from it even after the case changes, and the correction
names the model version that was current, so the QA page can show which corrections no model has seen yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from app.cases import repository
from app.cases.models import Case
from app.cases.states import CaseStatus, record_event, transition
from app.config import Settings
from app.escalation.tasks import enqueue_escalation
from app.taxonomy import CRITICAL_FLAGS, NO_FLAG_RANK, RISK_FLAGS, SEVERITY_RANK, FlagSource, priority_for
from app.triage.flag_corpus import FlagExample
from app.triage.models import Draft, FlagCorrection

_TEXT_LIMIT = 20_000


class CorrectionAction(StrEnum):
    ADD = "add"
    REMOVE = "remove"


class CorrectionRefused(ValueError):
    """A correction that makes no sense for this case (removing a flag it does not have…)."""


def case_text(session: Session, case_id: int) -> str:
    """The requester's side of the conversation: what a model would have had to read."""
    messages = repository.messages_of(session, case_id)
    return "\n".join(m.body for m in messages if m.direction == "inbound")[:_TEXT_LIMIT]


def latest_draft(session: Session, case_id: int) -> Draft | None:
    return session.exec(select(Draft).where(Draft.case_id == case_id).order_by(col(Draft.id).desc()).limit(1)).first()


def correct_flag(
    session: Session,
    case: Case,
    *,
    code: str,
    action: CorrectionAction,
    reason: str,
    actor: str,
    model_version: str | None,
    settings: Settings,
    now: datetime,
) -> FlagCorrection:
    """Record the correction and apply it to the case and its current draft (caller holds the case lock)."""
    assert case.id is not None
    if code not in RISK_FLAGS:
        raise CorrectionRefused(f"unknown flag {code!r}")
    present = code in case.flag_codes
    if action is CorrectionAction.ADD and present:
        raise CorrectionRefused(f"the case already has {code}")
    if action is CorrectionAction.REMOVE and not present:
        raise CorrectionRefused(f"the case does not have {code}")
    correction = FlagCorrection(
        case_id=case.id,
        code=code,
        action=action.value,
        reason=reason,
        actor=actor,
        text=case_text(session, case.id),
        lang=(case.locale or "en")[:2],
        model_version=model_version,
        created_at=now,
    )
    session.add(correction)
    draft = latest_draft(session, case.id)
    if draft is not None:
        draft.risk_flags = apply_corrections(draft.risk_flags, [correction])
        session.add(draft)
    codes = (
        sorted(set(case.flag_codes) | {code})
        if action is CorrectionAction.ADD
        else [c for c in case.flag_codes if c != code]
    )
    _carry(case, codes)
    session.flush()
    record_event(
        session,
        case.id,
        "flag_corrected",
        actor=actor,
        detail={"code": code, "action": action.value, "reason": reason, "correction_id": correction.id},
        now=now,
    )
    if action is CorrectionAction.ADD and code in CRITICAL_FLAGS and case.status != CaseStatus.ESCALATED:
        transition(
            session,
            case,
            CaseStatus.ESCALATED,
            actor=actor,
            reason="critical risk flag added by a specialist",
            detail={"flags": [code]},
            now=now,
        )
        enqueue_escalation(session, case, flags=codes, reason="critical risk flag", now=now, settings=settings)
    session.add(case)
    return correction


def _carry(case: Case, codes: list[str]) -> None:
    case.flag_codes = codes
    case.severity_rank = min((SEVERITY_RANK[RISK_FLAGS[c].severity] for c in codes), default=NO_FLAG_RANK)
    if case.category:
        case.priority = priority_for(case.category, codes).value


def corrections_of(session: Session, case_id: int) -> list[FlagCorrection]:
    return list(
        session.exec(
            select(FlagCorrection).where(FlagCorrection.case_id == case_id).order_by(col(FlagCorrection.id))
        ).all()
    )


def apply_corrections(risk_flags: list[dict[str, Any]], corrections: Sequence[FlagCorrection]) -> list[dict[str, Any]]:
    """A draft's flags with the case's corrections applied (the latest correction of a code wins)."""
    final: dict[str, FlagCorrection] = {}
    for correction in corrections:
        final[correction.code] = correction
    flags = [f for f in risk_flags if f.get("code") not in final or final[f["code"]].action == "add"]
    have = {f.get("code") for f in flags}
    for code, correction in final.items():
        if correction.action == "add" and code not in have:
            flags.append(
                {
                    "code": code,
                    "severity": RISK_FLAGS[code].severity.value,
                    "source": FlagSource.SPECIALIST.value,
                    "evidence": correction.reason[:300],
                    "confidence": 1.0,
                }
            )
    order = ["critical", "high", "medium", "info"]
    return sorted(flags, key=lambda f: (order.index(str(f.get("severity", "info"))), str(f.get("code"))))


def all_corrections(session: Session, limit: int = 10_000) -> list[FlagCorrection]:
    return list(session.exec(select(FlagCorrection).order_by(col(FlagCorrection.id)).limit(limit)).all())


def as_examples(corrections: Sequence[FlagCorrection]) -> list[FlagExample]:
    """Training rows: each correction teaches its one flag (the latest correction per case and code wins)."""
    final: dict[tuple[int, str], FlagCorrection] = {}
    for correction in corrections:
        final[(correction.case_id, correction.code)] = correction
    lang = {"es": "es", "pt": "pt"}
    return [
        FlagExample(
            text=c.text,
            flags=frozenset({c.code}) if c.action == "add" else frozenset(),
            lang=lang.get(c.lang, "en"),
            kind="correction",
            source="correction",
            teaches_only=frozenset({c.code}),
        )
        for c in final.values()
        if c.text.strip()
    ]
