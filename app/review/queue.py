"""The review queue: most urgent first — severity of the worst flag, then priority, then age."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, cast, or_
from sqlalchemy import case as when
from sqlmodel import Session, col, func, select

from app.cases.models import Case, Message
from app.cases.schemas import CaseSummary
from app.cases.states import CaseStatus
from app.jobs.models import Job
from app.safety.models import CaseWatch, FollowUpTask, TaskStatus
from app.safety.views import queue_facts
from app.taxonomy import NO_FLAG_RANK, SEVERITY_RANK, Severity
from app.triage.tasks import DRAFT_JOB
from app.validation import add_clamped

SLA_BY_PRIORITY: dict[str, timedelta] = {
    "P0": timedelta(hours=1),
    "P1": timedelta(hours=4),
    "P2": timedelta(hours=24),
    "P3": timedelta(hours=72),
}
OPEN_STATUSES = [s.value for s in CaseStatus if s is not CaseStatus.RESOLVED]
_SEVERITY_BY_RANK = {rank: severity.value for severity, rank in SEVERITY_RANK.items()}


def list_queue(
    session: Session,
    *,
    now: datetime,
    category: str | None = None,
    flag: str | None = None,
    priority: str | None = None,
    status: str | None = None,
    channel: str | None = None,
    severity: str | None = None,
    owner: str | None = None,
    unassigned: bool = False,
    breaching: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[CaseSummary], int]:
    """One page of the queue and the total matching. ``owner``/``unassigned`` look at the case's owner;
    ``breaching`` keeps cases past their SLA (the same per-priority windows as ``sla_due_at``)."""
    stmt = select(Case).outerjoin(
        CaseWatch, and_(col(CaseWatch.case_id) == col(Case.id), col(CaseWatch.closed_at).is_(None))
    )
    promised = select(FollowUpTask.case_id).where(FollowUpTask.status == TaskStatus.OPEN.value)
    # A resolved case whose reply promised a follow-up stays in the queue until the follow-up is done.
    stmt = (
        stmt.where(Case.status == status)
        if status
        else stmt.where(or_(col(Case.status).in_(OPEN_STATUSES), col(Case.id).in_(promised)))
    )
    if category:
        stmt = stmt.where(Case.category == category)
    if priority:
        stmt = stmt.where(Case.priority == priority)
    if channel:
        stmt = stmt.where(Case.channel == channel)
    if flag:
        stmt = stmt.where(cast(Case.flag_codes, String).like(f'%"{flag}"%'))
    if severity:
        stmt = stmt.where(Case.severity_rank == SEVERITY_RANK[Severity(severity)])
    if owner:
        stmt = stmt.where(CaseWatch.owner == owner)
    if unassigned:
        stmt = stmt.where(col(CaseWatch.owner).is_(None))
    if breaching:
        stmt = stmt.where(Case.status != CaseStatus.RESOLVED.value, _past_sla(now))
    total = int(session.exec(select(func.count()).select_from(stmt.subquery())).one())
    stmt = stmt.order_by(
        col(Case.severity_rank),
        # an escalation nobody has acknowledged stays at the very top of its severity
        when((and_(col(CaseWatch.id).is_not(None), col(CaseWatch.acked_at).is_(None)), 0), else_=1),
        func.coalesce(Case.priority, "P9"),
        col(Case.first_received_at),
        col(Case.id),
    )
    cases = list(session.exec(stmt.offset(offset).limit(limit)))
    facts = queue_facts(session, [c.id for c in cases if c.id is not None], now=now)
    return [summarize(session, c, now=now, safety=facts.get(c.id or 0)) for c in cases], total


def _past_sla(now: datetime) -> Any:
    """``first_received_at + SLA(priority) < now`` as one portable condition (SQLite and PostgreSQL): a cutoff
    per priority, the P3 window for a case not yet prioritised."""
    known = [p for p in SLA_BY_PRIORITY if p != "P3"]
    clauses = [and_(col(Case.priority) == p, col(Case.first_received_at) < now - SLA_BY_PRIORITY[p]) for p in known]
    clauses.append(
        and_(
            or_(col(Case.priority).is_(None), col(Case.priority).not_in(known)),
            col(Case.first_received_at) < now - SLA_BY_PRIORITY["P3"],
        )
    )
    return or_(*clauses)


def summarize(session: Session, case: Case, *, now: datetime, safety: dict[str, Any] | None = None) -> CaseSummary:
    assert case.id is not None
    last = session.exec(
        select(Message)
        .where(Message.case_id == case.id, Message.direction == "inbound")
        .order_by(col(Message.id).desc())
    ).first()
    count = int(session.exec(select(func.count()).select_from(Message).where(Message.case_id == case.id)).one())
    sla = SLA_BY_PRIORITY.get(case.priority or "P3", SLA_BY_PRIORITY["P3"])
    # clamped: a row stored before ingest bounded received_at (year 9999) must not take the queue down
    due = add_clamped(case.first_received_at, sla) if case.status != CaseStatus.RESOLVED else None
    error = None
    if case.status in (CaseStatus.DRAFT_FAILED, CaseStatus.DRAFTING):
        job = session.exec(
            select(Job).where(Job.case_id == case.id, Job.kind == DRAFT_JOB).order_by(col(Job.id).desc())
        ).first()
        error = job.last_error if job else None
    return CaseSummary(
        **(safety if safety is not None else queue_facts(session, [case.id], now=now).get(case.id, {})),
        id=case.id,
        status=case.status,
        category=case.category,
        priority=case.priority,
        severity=_SEVERITY_BY_RANK.get(case.severity_rank) if case.severity_rank < NO_FLAG_RANK else None,
        risk_flags=list(case.flag_codes),
        channel=case.channel,
        requester={"id": case.requester_id, "kind": case.requester_kind, "name": case.requester_name},
        subject=case.subject,
        preview=(last.body[:160] if last else ""),
        message_count=count,
        last_message_at=case.last_message_at,
        age_minutes=max(0, int((now - case.first_received_at).total_seconds() // 60)),
        sla_due_at=due,
        sla_breached=bool(due and now > due),
        last_error=error,
    )
