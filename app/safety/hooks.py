"""Where critical-case handling joins the existing flow: an escalation, and a case's classification."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.cases.models import Case
from app.config import Settings
from app.safety.holds import HOLD_FLAGS, hold_reasons, place_holds
from app.safety.ownership import open_watch


def on_escalated(session: Session, case: Case, *, flags: list[str], now: datetime, settings: Settings) -> None:
    """Start the acknowledgement clock, and preserve the case when its flags require it."""
    open_watch(session, case, flags=flags, now=now, settings=settings)
    reasons = sorted((set(flags) & HOLD_FLAGS) | set(hold_reasons(case)))
    place_holds(session, case, reasons=reasons, actor="system", now=now, settings=settings)


def on_classified(session: Session, case: Case, *, now: datetime, settings: Settings) -> None:
    """A law-enforcement request (or a held flag found without escalation) is preserved as soon as it is known."""
    reasons = hold_reasons(case)
    if reasons:
        place_holds(session, case, reasons=reasons, actor="system", now=now, settings=settings)
