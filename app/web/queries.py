"""Read-only queries the console needs beyond the review API: queue neighbours, counts, requester context."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from app.cases.models import Case
from app.jobs.models import Job, JobStatus
from app.review.queue import OPEN_STATUSES
from app.taxonomy import SEVERITY_RANK
from app.triage.tasks import DRAFT_JOB

_NEIGHBOUR_WINDOW = 2000  # j/k over the first 2,000 open cases; the queue page itself pages further

# Spend tiers for the requester panel. The taxonomy's high_value_user flag is raised by the detectors with
# their own rule; these bands only help a specialist read the number at a glance.
SPEND_TIERS: tuple[tuple[float, str], ...] = (
    (1000.0, "top spender"),
    (200.0, "regular spender"),
    (0.01, "light spender"),
)


def open_case_ids(session: Session) -> list[int]:
    """Open case ids in the review queue's order (``app.review.queue.list_queue``: severity, priority, age, id)."""
    stmt = (
        select(Case.id)
        .where(col(Case.status).in_(OPEN_STATUSES))
        .order_by(
            col(Case.severity_rank), func.coalesce(Case.priority, "P9"), col(Case.first_received_at), col(Case.id)
        )
        .limit(_NEIGHBOUR_WINDOW)
    )
    return [int(i) for i in session.exec(stmt) if i is not None]


def neighbours(session: Session, case_id: int) -> tuple[int | None, int | None, int | None]:
    """(previous, next, 1-based position) of ``case_id`` in the open queue; position is None if not queued."""
    ids = open_case_ids(session)
    if case_id not in ids:
        return None, (ids[0] if ids else None), None
    at = ids.index(case_id)
    return (ids[at - 1] if at > 0 else None), (ids[at + 1] if at + 1 < len(ids) else None), at + 1


def counts_by_status(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(Case.status, func.count()).where(col(Case.status).in_(OPEN_STATUSES)).group_by(col(Case.status))
    )
    return {str(status): int(n) for status, n in rows}


def counts_by_severity(session: Session) -> dict[str, int]:
    names = {rank: severity.value for severity, rank in SEVERITY_RANK.items()}
    rows = session.exec(
        select(Case.severity_rank, func.count())
        .where(col(Case.status).in_(OPEN_STATUSES))
        .group_by(col(Case.severity_rank))
    )
    return {names[int(rank)]: int(n) for rank, n in rows if int(rank) in names}


@dataclass(frozen=True)
class RequesterContext:
    previous: list[Case]
    previous_total: int
    lifetime_spend_usd: float | None
    spend_tier: str | None
    account_age_days: int | None


def _number(value: Any) -> float | None:
    """A finite number from channel metadata, else None: '1e400', 'NaN' or a 400-digit integer must not crash
    the case page (``float()`` and ``int()`` of those raise or give infinity)."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value) if isinstance(value, int | float | str) else None
    except (ValueError, OverflowError):
        return None
    return number if number is not None and math.isfinite(number) else None


def spend_tier(spend: float | None) -> str | None:
    if spend is None:
        return None
    for floor, name in SPEND_TIERS:
        if spend >= floor:
            return name
    return "no spend"


def requester_context(session: Session, case: Case, metadata: list[dict[str, Any]]) -> RequesterContext:
    """Earlier cases of the same requester, and what the channel told us (``metadata`` oldest first; newest wins)."""
    base = select(Case).where(Case.requester_id == case.requester_id, Case.id != case.id)
    total = int(session.exec(select(func.count()).select_from(base.subquery())).one())
    previous = list(session.exec(base.order_by(col(Case.last_message_at).desc()).limit(10)))
    spend: float | None = None
    account_age: float | None = None
    for meta in metadata:
        if "lifetime_spend_usd" in meta:
            spend = _number(meta["lifetime_spend_usd"])
        if "account_age_days" in meta:
            account_age = _number(meta["account_age_days"])
    return RequesterContext(
        previous=previous,
        previous_total=total,
        lifetime_spend_usd=spend,
        spend_tier=spend_tier(spend),
        account_age_days=int(account_age) if account_age is not None else None,
    )


def draft_pending(session: Session, case_id: int) -> bool:
    """True while a draft job for the case is queued or running (the page then waits for it)."""
    job = session.exec(
        select(Job)
        .where(Job.case_id == case_id, Job.kind == DRAFT_JOB)
        .where(col(Job.status).in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]))
        .limit(1)
    ).first()
    return job is not None


def last_draft_error(session: Session, case_id: int) -> str | None:
    """Why the newest draft job failed (retrying or dead), so the page can say it instead of spinning."""
    job = session.exec(
        select(Job).where(Job.case_id == case_id, Job.kind == DRAFT_JOB).order_by(col(Job.id).desc()).limit(1)
    ).first()
    return job.last_error if job is not None else None
