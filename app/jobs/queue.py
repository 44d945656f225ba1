"""Enqueue, claim, finish and fail jobs.

Claiming is one short transaction: PostgreSQL uses ``FOR UPDATE SKIP LOCKED`` so N workers never take the same
row; SQLite has one writer at a time and our engine opens every transaction with ``BEGIN IMMEDIATE``, which gives
the same guarantee. A job whose worker died keeps ``running`` with an expired lease and is claimed again.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from app.clock import Clock
from app.db import is_sqlite
from app.jobs.models import Job, JobPriority, JobStatus
from app.rows import insert_rows


def enqueue(
    session: Session,
    *,
    kind: str,
    case_id: int | None,
    payload: dict[str, Any],
    max_attempts: int,
    now: datetime,
    priority: int = JobPriority.NORMAL,
) -> Job:
    """Add a job unless an unfinished one of the same kind already exists for the case (retries never duplicate).

    An existing job keeps the more urgent of its priority and ``priority``: new input never slows a case down.
    """
    if case_id is not None:
        existing = session.exec(
            select(Job).where(
                Job.kind == kind,
                Job.case_id == case_id,
                col(Job.status).in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]),
            )
        ).first()
        if existing is not None:
            existing.priority = min(existing.priority, priority)
            if existing.status == JobStatus.QUEUED.value:
                existing.payload = payload
                session.add(existing)
            else:
                # Running with stale input: ask for one more pass after it finishes.
                existing.payload = {**existing.payload, "rerun": True}
                session.add(existing)
            return existing
    job = Job(
        kind=kind,
        case_id=case_id,
        payload=payload,
        max_attempts=max_attempts,
        priority=priority,
        run_at=now,
        created_at=now,
    )
    session.add(job)
    session.flush()
    return job


def enqueue_first_jobs(
    connection: Connection,
    *,
    payloads: dict[int, dict[str, Any]],
    jobs: list[tuple[str, int]],
    max_attempts: int,
    now: datetime,
) -> None:
    """The first jobs of cases created in this transaction: each ``(kind, priority)`` for each case, one INSERT.

    ``payloads`` maps each new case to what its jobs carry. A new case can have no unfinished job, so the duplicate
    check of ``enqueue`` has nothing to find; skipping it (and the ORM) is what keeps ingest cheap.
    """
    insert_rows(
        connection,
        Job,
        [
            {
                "kind": kind,
                "case_id": case_id,
                "payload": payload,
                "status": JobStatus.QUEUED.value,
                "priority": priority,
                "attempts": 0,
                "max_attempts": max_attempts,
                "run_at": now,
                "created_at": now,
                "updated_at": now,
            }
            for case_id, payload in payloads.items()
            for kind, priority in jobs
        ],
    )


def claim(
    engine: Engine, *, worker_id: str, lease_s: float, clock: Clock, kinds: list[str] | None = None
) -> Job | None:
    """Lease the most urgent due job (queued and due, or running with an expired lease), or return None.

    Urgency is ``priority`` first (a critical case's work never waits behind a backlog of ordinary drafts), then
    the time it became due.
    """
    now = clock.now()
    with Session(engine, expire_on_commit=False) as session:
        stmt = (
            select(Job)
            .where(
                or_(
                    (col(Job.status) == JobStatus.QUEUED.value) & (col(Job.run_at) <= now),
                    (col(Job.status) == JobStatus.RUNNING.value) & (col(Job.lease_until) < now),
                )
            )
            .order_by(col(Job.priority), col(Job.run_at), col(Job.id))
            .limit(1)
        )
        if kinds:
            stmt = stmt.where(col(Job.kind).in_(kinds))
        if not is_sqlite(engine):
            stmt = stmt.with_for_update(skip_locked=True)
        job = session.exec(stmt).first()
        if job is None:
            session.rollback()
            return None
        job.status = JobStatus.RUNNING.value
        job.attempts += 1
        job.lease_until = now + timedelta(seconds=lease_s)
        job.locked_by = worker_id
        job.updated_at = now
        session.add(job)
        session.commit()
        return job


def _owned(session: Session, job: Job) -> Job | None:
    """The job row if this worker still holds it (another worker may have reclaimed an expired lease)."""
    current = session.get(Job, job.id, with_for_update=not is_sqlite(session.get_bind()))  # type: ignore[arg-type]
    if current is None or current.locked_by != job.locked_by or current.status != JobStatus.RUNNING.value:
        return None
    if current.attempts != job.attempts:
        return None
    return current


def complete(session: Session, job: Job, *, now: datetime) -> bool:
    """Mark done (or requeue once when new input arrived meanwhile); False if the lease was lost."""
    current = _owned(session, job)
    if current is None:
        return False
    if current.payload.get("rerun"):
        current.payload = {k: v for k, v in current.payload.items() if k != "rerun"}
        current.status = JobStatus.QUEUED.value
        current.attempts = 0
        current.run_at = now
    else:
        current.status = JobStatus.DONE.value
        current.finished_at = now
    current.lease_until = None
    current.locked_by = None
    current.updated_at = now
    session.add(current)
    return True


def backoff_seconds(attempt: int, *, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter: uniform(0, min(cap, base * 2**(attempt-1)))."""
    ceiling = min(cap, base * (2 ** max(0, attempt - 1)))
    return (rng or random).uniform(ceiling / 2, ceiling)


def fail(
    session: Session,
    job: Job,
    *,
    error: str,
    now: datetime,
    base: float,
    cap: float,
    retryable: bool = True,
    retry_after_s: float | None = None,
) -> JobStatus | None:
    """Schedule a retry with backoff, or mark the job dead when attempts are exhausted; None if lease lost."""
    current = _owned(session, job)
    if current is None:
        return None
    current.last_error = error[:2000]
    current.lease_until = None
    current.locked_by = None
    current.updated_at = now
    if retryable and current.attempts < current.max_attempts:
        current.status = JobStatus.QUEUED.value
        # A server's Retry-After (or the daily token budget) wins over our own backoff when it asks for longer.
        delay = max(backoff_seconds(current.attempts, base=base, cap=cap), retry_after_s or 0.0)
        current.run_at = now + timedelta(seconds=delay)
    else:
        current.status = JobStatus.DEAD.value
        current.finished_at = now
    session.add(current)
    return JobStatus(current.status)


def raise_priority(session: Session, *, kind: str, case_id: int, priority: int) -> None:
    """Make the case's unfinished ``kind`` job at least as urgent as ``priority`` (e.g. a critical flag found)."""
    for job in session.exec(
        select(Job).where(
            Job.kind == kind,
            Job.case_id == case_id,
            col(Job.status).in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]),
        )
    ):
        if job.priority > priority:
            job.priority = priority
            session.add(job)
