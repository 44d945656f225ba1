"""Who owns an escalated case, and by when someone must acknowledge it.

Every escalation opens (or reopens) the case's watch with an acknowledgement deadline — the shortest configured
for its critical flags — and schedules an ``ack_check`` job for that moment (:mod:`app.safety.realert`). Claiming
a case acknowledges it; a lead may assign it to someone, who must then acknowledge; a hand-over passes it on and
starts a new deadline for the new owner. Every change is an audit event on the case.

Any other case in the queue can be owned the same way (:func:`take`, :func:`give`, :func:`release`, issue 14): the
same row with ``escalated`` false holds its owner, with no acknowledgement clock. An owned case that is then
escalated keeps its owner, who must acknowledge it like anyone else.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.auth.models import Role, User
from app.cases.models import Case
from app.cases.states import record_event
from app.config import Settings
from app.jobs.models import Job, JobPriority, JobStatus
from app.safety.errors import SafetyRefused
from app.safety.models import CaseWatch
from app.taxonomy import CRITICAL_FLAGS

ACK_CHECK_JOB = "ack_check"
ACK_CHECK_MAX_ATTEMPTS = 10
DESK_ROLES = frozenset({Role.SPECIALIST.value, Role.LEAD.value, Role.ADMIN.value})


class OwnershipRefused(SafetyRefused):
    """The ownership change does not apply (answered 409 with this message)."""


def ack_window(settings: Settings, flags: list[str]) -> timedelta:
    """The shortest acknowledgement window among the case's critical flags (the default for none listed)."""
    minutes = [settings.ack_minutes_by_flag.get(f, settings.ack_minutes) for f in flags if f in CRITICAL_FLAGS]
    return timedelta(minutes=min(minutes, default=settings.ack_minutes))


def watch_of(session: Session, case_id: int) -> CaseWatch | None:
    return session.exec(select(CaseWatch).where(CaseWatch.case_id == case_id)).first()


def open_watch(session: Session, case: Case, *, flags: list[str], now: datetime, settings: Settings) -> CaseWatch:
    """Start (or restart, for a case escalated again) the acknowledgement clock; an open watch keeps its state."""
    assert case.id is not None
    watch = watch_of(session, case.id)
    due = now + ack_window(settings, flags)
    if watch is not None and watch.closed_at is None and watch.escalated:
        watch.flags = sorted(set(watch.flags) | set(flags))
        session.add(watch)
        return watch
    if watch is None:
        watch = CaseWatch(case_id=case.id, flags=sorted(set(flags)), ack_due_at=due, opened_at=now)
    else:  # reopened, or owned from the queue: a new escalation needs a new acknowledgement, by the same owner
        watch.flags, watch.ack_due_at, watch.opened_at = sorted(set(flags)), due, now
        watch.acked_at = watch.acked_by = watch.closed_at = None
        watch.escalated = True
    session.add(watch)
    schedule_check(session, case.id, due)
    record_event(session, case.id, "ack_clock_started", actor="system", detail={"ack_due_at": due.isoformat()}, now=now)
    return watch


def schedule_check(session: Session, case_id: int, due: datetime) -> None:
    """One queued ``ack_check`` per case, due at the current deadline."""
    queued = session.exec(
        select(Job).where(Job.kind == ACK_CHECK_JOB, Job.case_id == case_id, Job.status == JobStatus.QUEUED.value)
    ).first()
    if queued is not None:
        queued.run_at = due
        session.add(queued)
        return
    session.add(
        Job(
            kind=ACK_CHECK_JOB,
            case_id=case_id,
            payload={"due": due.isoformat()},
            max_attempts=ACK_CHECK_MAX_ATTEMPTS,
            priority=JobPriority.CRITICAL,
            run_at=due,
            created_at=due,
        )
    )


def _open(session: Session, case: Case) -> CaseWatch:
    assert case.id is not None
    watch = watch_of(session, case.id)
    if watch is None or watch.closed_at is not None or not watch.escalated:
        raise OwnershipRefused(f"case {case.id} is not on the escalation queue (it has no open escalation)")
    return watch


def _desk_user(session: Session, name: str) -> User:
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None or not user.active or user.role not in DESK_ROLES:
        raise OwnershipRefused(f"'{name}' is not an active specialist, lead or admin; choose someone who can work it")
    return user


def claim(session: Session, case: Case, *, actor: str, now: datetime) -> CaseWatch:
    """Take an unowned case; claiming acknowledges it."""
    watch = _open(session, case)
    if watch.owner and watch.owner != actor:
        raise OwnershipRefused(
            f"case {case.id} is owned by {watch.owner}; they can hand it over, or a lead can assign it"
        )
    _set_owner(session, watch, actor, actor=actor, kind="case_claimed", now=now)
    _ack(session, watch, actor=actor, now=now)
    return watch


def acknowledge(session: Session, case: Case, *, actor: str, now: datetime) -> CaseWatch:
    """The owner says they are on it; an unowned case is claimed by whoever acknowledges it."""
    watch = _open(session, case)
    if watch.owner and watch.owner != actor:
        raise OwnershipRefused(f"case {case.id} is owned by {watch.owner}; only the owner acknowledges it")
    if not watch.owner:
        _set_owner(session, watch, actor, actor=actor, kind="case_claimed", now=now)
    _ack(session, watch, actor=actor, now=now)
    return watch


def assign(session: Session, case: Case, *, owner: str, actor: str, now: datetime, settings: Settings) -> CaseWatch:
    """A lead gives the case to someone; unless they assign it to themselves, the new owner must acknowledge."""
    watch = _open(session, case)
    _desk_user(session, owner)
    _set_owner(session, watch, owner, actor=actor, kind="case_assigned", now=now)
    if owner == actor:
        _ack(session, watch, actor=actor, now=now)
    else:
        _restart(session, watch, now=now, settings=settings)
    return watch


def hand_over(
    session: Session, case: Case, *, to: str, note: str, actor: str, now: datetime, settings: Settings
) -> CaseWatch:
    """The owner passes the case on with a note; the new owner's acknowledgement clock starts now."""
    watch = _open(session, case)
    if watch.owner != actor:
        raise OwnershipRefused(f"only the owner ({watch.owner or 'nobody'}) hands case {case.id} over; a lead assigns")
    if to == actor:
        raise OwnershipRefused("a hand-over needs someone else to take the case")
    _desk_user(session, to)
    _set_owner(session, watch, to, actor=actor, kind="case_handed_over", now=now, note=note)
    _restart(session, watch, now=now, settings=settings)
    return watch


def close_watch(session: Session, case_id: int, *, now: datetime) -> None:
    watch = watch_of(session, case_id)
    if watch is not None and watch.closed_at is None:
        watch.closed_at = now
        session.add(watch)


def _set_owner(
    session: Session, watch: CaseWatch, owner: str, *, actor: str, kind: str, now: datetime, note: str | None = None
) -> None:
    previous = watch.owner
    watch.owner, watch.owner_since = owner, now
    session.add(watch)
    detail: dict[str, str | None] = {"from": previous, "to": owner}
    if note:
        detail["note"] = note
    record_event(session, watch.case_id, kind, actor=actor, detail=detail, now=now)


def _ack(session: Session, watch: CaseWatch, *, actor: str, now: datetime) -> None:
    if watch.acked_at is not None and watch.acked_by == actor:
        return
    watch.acked_at, watch.acked_by = now, actor
    session.add(watch)
    late = now > watch.ack_due_at
    record_event(session, watch.case_id, "case_acknowledged", actor=actor, detail={"late": late}, now=now)


def _restart(session: Session, watch: CaseWatch, *, now: datetime, settings: Settings) -> None:
    watch.acked_at = watch.acked_by = None
    watch.ack_due_at = now + ack_window(settings, watch.flags)
    session.add(watch)
    schedule_check(session, watch.case_id, watch.ack_due_at)


def unacknowledged(watch: CaseWatch | None) -> bool:
    return watch is not None and watch.closed_at is None and watch.acked_at is None


def open_watches(session: Session) -> list[CaseWatch]:
    """The escalation queue's rows: unacknowledged first, then by deadline."""
    rows = session.exec(select(CaseWatch).where(col(CaseWatch.closed_at).is_(None), col(CaseWatch.escalated)))
    return sorted(rows, key=lambda w: (w.acked_at is not None, w.ack_due_at))


# --- any case in the queue (issue 14) ------------------------------------------------------------------------


def owner_of(session: Session, case_id: int) -> str | None:
    watch = watch_of(session, case_id)
    return watch.owner if watch is not None and watch.closed_at is None else None


def _escalated(watch: CaseWatch | None) -> bool:
    return watch is not None and watch.closed_at is None and watch.escalated


def _desk_watch(session: Session, case: Case, *, now: datetime) -> CaseWatch:
    """The case's open ownership row, opened (owner-only, no clock) if it has none."""
    assert case.id is not None
    watch = watch_of(session, case.id)
    if watch is None:
        watch = CaseWatch(case_id=case.id, flags=[], ack_due_at=now, opened_at=now, escalated=False)
    elif watch.closed_at is not None:
        watch.flags, watch.ack_due_at, watch.opened_at, watch.escalated = [], now, now, False
        watch.owner = watch.owner_since = watch.acked_at = watch.acked_by = watch.closed_at = None
    return watch


def _resolved(case: Case) -> None:
    if case.status == "resolved":
        raise OwnershipRefused(f"case {case.id} is resolved; it reopens (and can be owned) when the requester writes")


def take(session: Session, case: Case, *, actor: str, now: datetime) -> CaseWatch:
    """Claim any case: an escalation as :func:`claim` does (acknowledging it), another case owner-only."""
    assert case.id is not None
    watch = watch_of(session, case.id)
    if _escalated(watch):
        return claim(session, case, actor=actor, now=now)
    _resolved(case)
    current = owner_of(session, case.id)
    if current and current != actor:
        raise OwnershipRefused(f"case {case.id} is owned by {current}; they can release it, or someone can assign it")
    watch = _desk_watch(session, case, now=now)
    if watch.owner != actor:
        _set_owner(session, watch, actor, actor=actor, kind="case_claimed", now=now)
    return watch


def give(
    session: Session, case: Case, *, owner: str, actor: str, role: str, now: datetime, settings: Settings
) -> CaseWatch:
    """Assign any case: an escalation only by a lead or admin (as :func:`assign`), another by anyone on the desk."""
    assert case.id is not None
    if _escalated(watch_of(session, case.id)):
        if role not in (Role.LEAD.value, Role.ADMIN.value):
            raise OwnershipRefused(f"case {case.id} is an escalation: a lead assigns it (or claim it yourself)")
        return assign(session, case, owner=owner, actor=actor, now=now, settings=settings)
    _resolved(case)
    _desk_user(session, owner)
    watch = _desk_watch(session, case, now=now)
    if watch.owner != owner:
        _set_owner(session, watch, owner, actor=actor, kind="case_assigned", now=now)
    return watch


def release(session: Session, case: Case, *, actor: str, role: str, now: datetime, settings: Settings) -> CaseWatch:
    """Give a case back to the queue: its owner, or a lead or admin, may. A released escalation needs a new
    acknowledgement (its clock restarts); an ordinary case simply has no owner again."""
    assert case.id is not None
    watch = watch_of(session, case.id)
    if watch is None or watch.closed_at is not None or not watch.owner:
        raise OwnershipRefused(f"case {case.id} has no owner to release")
    if watch.owner != actor and role not in (Role.LEAD.value, Role.ADMIN.value):
        raise OwnershipRefused(f"case {case.id} is owned by {watch.owner}; only they (or a lead) release it")
    previous = watch.owner
    watch.owner = watch.owner_since = None
    if watch.escalated:
        _restart(session, watch, now=now, settings=settings)
    else:
        watch.closed_at = now
    session.add(watch)
    record_event(session, case.id, "case_released", actor=actor, detail={"from": previous}, now=now)
    return watch
