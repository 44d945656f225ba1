"""The service report for a period: what came in, how fast it was handled, and what specialists did with drafts.

Two kinds of number, on purpose:
- **cohort** numbers (volumes, flags, escalations, response times, SLA) follow the cases *first received* in the
  period through to now, so a slow case still counts against the week it arrived in;
- **activity** numbers (decisions, draft failures) count what *happened* in the period, whatever case it was on.

Times are read from columns the service clock stamps (message receipt, job completion, decisions), so a report
built under a test's manual clock agrees with the clock. Percentiles are computed in Python (linear
interpolation between ranks, like numpy's default) because SQLite has no percentile function.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from app.cases.models import Case, CaseEvent, Message
from app.cases.schemas import Channel, SenderKind
from app.cases.states import CaseStatus
from app.insights.gaps import GapReport, kb_gaps
from app.insights.period import Period
from app.insights.repeat import RepeatReport, repeat_clusters
from app.insights.trends import Spike, find_spikes
from app.jobs.models import Job, JobStatus
from app.review.models import Action, Decision
from app.review.queue import SLA_BY_PRIORITY
from app.taxonomy import Category, Severity, severity_of
from app.triage.models import Draft
from app.triage.tasks import DRAFT_JOB

UNCATEGORISED = "uncategorised"  # a case not drafted yet has no category
_RESOLVING = (Action.APPROVE.value, Action.EDIT.value)  # the decisions that send a reply and resolve the case
_REVIEWED = (Action.APPROVE.value, Action.EDIT.value, Action.REJECT.value)
Cohort = SelectOfScalar[int | None]  # ids of the cases first received in the period, used as a subquery


class PeriodOut(BaseModel):
    since: datetime
    until: datetime
    days: float
    generated_at: datetime


class Volume(BaseModel):
    cases: int
    inbound_messages: int  # received in the period, follow-ups on older cases included
    by_category: dict[str, int]
    by_channel: dict[str, int]
    by_requester_kind: dict[str, int]
    by_day: dict[str, int]


class Flags(BaseModel):
    cases_flagged: int
    by_severity: dict[str, int]  # flag occurrences of that severity (a case with two high flags counts twice)
    by_code: dict[str, int]


class Escalations(BaseModel):
    cases: int
    automatic: int  # escalated by the system on a critical flag
    by_specialist: int
    rate: float | None


class Timing(BaseModel):
    cases: int  # cases that reached the milestone
    median_minutes: float | None
    p90_minutes: float | None


class SlaRow(BaseModel):
    target_hours: float
    cases: int
    met: int
    breached: int
    pending: int  # open and still inside the target
    breach_rate: float | None  # breached / (met + breached)


class Decisions(BaseModel):
    total: int
    by_action: dict[str, int]
    reviewed: int  # approve + edit + reject: the decisions that judge a draft
    acceptance_rate: float | None  # approved unchanged / reviewed
    edit_rate: float | None
    reject_rate: float | None
    reject_reasons: dict[str, int]
    mean_edit_distance: float | None


class Drafting(BaseModel):
    drafts: int
    by_provider: dict[str, int]
    median_latency_ms: float | None
    p90_latency_ms: float | None
    dead_jobs: int  # draft jobs that exhausted their attempts in the period
    recovered_after_retry: int
    cases_draft_failed: int  # cohort cases still waiting in draft_failed
    errors: dict[str, int]


class ServiceReport(BaseModel):
    period: PeriodOut
    volume: Volume
    flags: Flags
    escalations: Escalations
    response_times: dict[str, Timing]
    sla: dict[str, SlaRow]
    decisions: Decisions
    drafting: Drafting
    spikes: list[Spike]
    repeat_complaints: RepeatReport
    kb_gaps: GapReport


def percentile(values: list[float], q: float) -> float | None:
    """The ``q`` quantile (0–1) with linear interpolation between closest ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _round(value: float | None, digits: int = 1) -> float | None:
    return round(value, digits) if value is not None else None


def _ranked(counts: Counter[str], names: list[str]) -> dict[str, int]:
    """Every known name (zeros included, so an empty category shows), then unknown ones; largest first."""
    keys = list(dict.fromkeys([*names, *counts]))
    return {k: counts.get(k, 0) for k in sorted(keys, key=lambda k: (-counts.get(k, 0), k))}


def _timing(minutes: list[float]) -> Timing:
    return Timing(
        cases=len(minutes),
        median_minutes=_round(percentile(minutes, 0.5)),
        p90_minutes=_round(percentile(minutes, 0.9)),
    )


def _in_period(column: datetime | None, period: Period) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return col(column) >= period.since, col(column) < period.until


def build_service_report(session: Session, *, period: Period, now: datetime) -> ServiceReport:
    """The whole report: service metrics plus spikes (as of the period's end), repeat clusters and KB gaps."""
    cases = list(session.exec(select(Case).where(*_in_period(Case.first_received_at, period))))
    cohort = select(col(Case.id)).where(*_in_period(Case.first_received_at, period))
    first_decision, resolved = _decision_times(session, cohort)
    return ServiceReport(
        period=PeriodOut(since=period.since, until=period.until, days=round(period.days, 2), generated_at=now),
        volume=_volume(session, cases, period),
        flags=_flags(cases),
        escalations=_escalations(session, cohort, len(cases)),
        response_times=_response_times(session, cases, cohort, first_decision),
        sla=_sla(cases, resolved, now),
        decisions=_decisions(session, period),
        drafting=_drafting(session, cases, cohort, period),
        spikes=find_spikes(session, as_of=min(period.until, now)).spikes,
        repeat_complaints=repeat_clusters(session, period=period),
        kb_gaps=kb_gaps(session, period=period),
    )


def _volume(session: Session, cases: list[Case], period: Period) -> Volume:
    inbound = session.exec(
        select(func.count())
        .select_from(Message)
        .where(Message.direction == "inbound", *_in_period(Message.received_at, period))
    ).one()
    days = Counter(c.first_received_at.date().isoformat() for c in cases)
    return Volume(
        cases=len(cases),
        inbound_messages=int(inbound),
        by_category=_ranked(Counter(c.category or UNCATEGORISED for c in cases), [c.value for c in Category]),
        by_channel=_ranked(Counter(c.channel for c in cases), [c.value for c in Channel]),
        by_requester_kind=_ranked(Counter(c.requester_kind for c in cases), [k.value for k in SenderKind]),
        by_day={day: days.get(day, 0) for day in period.day_keys()},
    )


def _flags(cases: list[Case]) -> Flags:
    codes = Counter(code for c in cases for code in set(c.flag_codes or []))
    severities = Counter(severity_of(code).value for code in codes.elements())
    return Flags(
        cases_flagged=sum(1 for c in cases if c.flag_codes),
        by_severity={s.value: severities.get(s.value, 0) for s in Severity},
        by_code=dict(sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def _escalations(session: Session, cohort: Cohort, total: int) -> Escalations:
    rows = session.exec(
        select(CaseEvent.case_id, CaseEvent.actor).where(
            CaseEvent.kind == "status_changed",
            CaseEvent.to_status == CaseStatus.ESCALATED.value,
            col(CaseEvent.case_id).in_(cohort),
        )
    ).all()
    automatic = {case_id for case_id, actor in rows if actor == "system"}
    manual = {case_id for case_id, actor in rows if actor != "system"} - automatic
    escalated = automatic | manual
    return Escalations(
        cases=len(escalated), automatic=len(automatic), by_specialist=len(manual), rate=_rate(len(escalated), total)
    )


def _first_draft_at(session: Session, cohort: Cohort) -> dict[int, datetime]:
    """When each case's first draft job finished.

    The job is completed in the same transaction that stores the draft, and its ``finished_at`` comes from the
    service clock, whereas ``Draft.created_at`` is stamped by the wall clock at insert; under a manual clock
    (tests, replays) only the job agrees with the message and decision times.
    """
    rows = session.exec(
        select(Job.case_id, Job.finished_at).where(
            Job.kind == DRAFT_JOB,
            Job.status == JobStatus.DONE.value,
            col(Job.finished_at).is_not(None),
            col(Job.case_id).in_(cohort),
        )
    ).all()
    first: dict[int, datetime] = {}
    for case_id, finished in rows:
        if case_id is not None and finished is not None:
            first[case_id] = min(first.get(case_id, finished), finished)
    return first


def _decision_times(session: Session, cohort: Cohort) -> tuple[dict[int, datetime], dict[int, datetime]]:
    """(first decision of any kind, first decision that resolved the case) per case."""
    rows = session.exec(
        select(Decision.case_id, Decision.action, Decision.created_at).where(col(Decision.case_id).in_(cohort))
    ).all()
    first: dict[int, datetime] = {}
    resolved: dict[int, datetime] = {}
    for case_id, action, at in rows:
        first[case_id] = min(first.get(case_id, at), at)
        if action in _RESOLVING:
            resolved[case_id] = min(resolved.get(case_id, at), at)
    return first, resolved


def _minutes_since_first_message(cases: list[Case], reached: dict[int, datetime]) -> list[float]:
    out = []
    for case in cases:
        if case.id in reached:
            delta = reached[case.id] - case.first_received_at
            out.append(max(0.0, delta.total_seconds() / 60))
    return out


def _response_times(
    session: Session, cases: list[Case], cohort: Cohort, first_decision: dict[int, datetime]
) -> dict[str, Timing]:
    return {
        "first_draft": _timing(_minutes_since_first_message(cases, _first_draft_at(session, cohort))),
        "first_decision": _timing(_minutes_since_first_message(cases, first_decision)),
    }


def _sla_outcome(resolved_at: datetime | None, due: datetime, now: datetime) -> str:
    if resolved_at is not None:
        return "met" if resolved_at <= due else "breached"
    return "breached" if now > due else "pending"


def _sla(cases: list[Case], resolved: dict[int, datetime], now: datetime) -> dict[str, SlaRow]:
    """Met when an approve/edit resolved the case within its priority's target, as the queue counts it."""
    tallies = {p: Counter[str]() for p in SLA_BY_PRIORITY}
    for case in cases:
        priority = case.priority if case.priority in SLA_BY_PRIORITY else "P3"  # the queue's default too
        due = case.first_received_at + SLA_BY_PRIORITY[priority]
        done = resolved.get(case.id) if case.id is not None else None
        tallies[priority][_sla_outcome(done, due, now)] += 1
    return {
        priority: SlaRow(
            target_hours=SLA_BY_PRIORITY[priority].total_seconds() / 3600,
            cases=sum(t.values()),
            met=t["met"],
            breached=t["breached"],
            pending=t["pending"],
            breach_rate=_rate(t["breached"], t["met"] + t["breached"]),
        )
        for priority, t in tallies.items()
    }


def _decisions(session: Session, period: Period) -> Decisions:
    rows = session.exec(
        select(Decision.action, Decision.reason, Decision.edit_distance).where(*_in_period(Decision.created_at, period))
    ).all()
    actions = Counter(action for action, _reason, _distance in rows)
    reasons = Counter(reason or "unspecified" for action, reason, _d in rows if action == Action.REJECT.value)
    distances = [d for action, _r, d in rows if action == Action.EDIT.value and d is not None]
    reviewed = sum(actions[a] for a in _REVIEWED)
    return Decisions(
        total=len(rows),
        by_action={a.value: actions.get(a.value, 0) for a in Action},
        reviewed=reviewed,
        acceptance_rate=_rate(actions[Action.APPROVE.value], reviewed),
        edit_rate=_rate(actions[Action.EDIT.value], reviewed),
        reject_rate=_rate(actions[Action.REJECT.value], reviewed),
        reject_reasons=dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        mean_edit_distance=_round(sum(distances) / len(distances), 1) if distances else None,
    )


def _drafting(session: Session, cases: list[Case], cohort: Cohort, period: Period) -> Drafting:
    drafts = session.exec(
        select(Draft.provider, Draft.origin, Draft.latency_ms).where(col(Draft.case_id).in_(cohort))
    ).all()
    latencies = [float(ms) for _p, origin, ms in drafts if origin != "specialist"]
    finished = session.exec(
        select(Job.status, Job.attempts, Job.last_error).where(
            Job.kind == DRAFT_JOB, *_in_period(Job.finished_at, period)
        )
    ).all()
    dead = [error for status, _a, error in finished if status == JobStatus.DEAD.value]
    errors = Counter((error or "unknown error").splitlines()[0][:160] for error in dead)
    return Drafting(
        drafts=len(drafts),
        by_provider=dict(sorted(Counter(p for p, _o, _l in drafts).items(), key=lambda kv: (-kv[1], kv[0]))),
        median_latency_ms=_round(percentile(latencies, 0.5)),
        p90_latency_ms=_round(percentile(latencies, 0.9)),
        dead_jobs=len(dead),
        recovered_after_retry=sum(1 for s, attempts, _e in finished if s == JobStatus.DONE.value and attempts > 1),
        cases_draft_failed=sum(1 for c in cases if c.status == CaseStatus.DRAFT_FAILED.value),
        errors=dict(errors.most_common(10)),
    )
