"""Accept a message: store it and queue its draft in one transaction, the one way every channel takes in work.

The API, the ``triage ingest`` command, the channel adapters and the demo seeder all call ``accept_message``, so a
message can never be stored without its draft job (or get a second job on replay) depending on which door it
came through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection
from sqlmodel import Session

from app.cases.models import CaseEvent
from app.cases.schemas import MessageIn
from app.cases.service import Ingested, ingest
from app.jobs import queue
from app.jobs.models import JobPriority
from app.rows import insert_rows
from app.triage.screen import SCREEN_JOB
from app.triage.tasks import DRAFT_JOB

# Screening (risk detection only) runs ahead of every draft, so a critical case escalates at once.
_JOBS_PER_MESSAGE = [(SCREEN_JOB, JobPriority.SCREEN), (DRAFT_JOB, JobPriority.NORMAL)]


@dataclass
class PendingWrites:
    """Rows that ingests in one transaction write together just before it commits: audit events, and the first
    jobs of the cases they opened. A batch of fifty messages then costs two INSERTs for these, not a hundred."""

    events: list[dict[str, Any]] = field(default_factory=list)
    first_jobs: dict[int, dict[str, Any]] = field(default_factory=dict)  # new case id -> payload of its jobs

    def write(self, connection: Connection, *, max_attempts: int, now: datetime) -> None:
        insert_rows(connection, CaseEvent, self.events)
        queue.enqueue_first_jobs(
            connection, payloads=self.first_jobs, jobs=_JOBS_PER_MESSAGE, max_attempts=max_attempts, now=now
        )
        self.events = []
        self.first_jobs = {}


def accept_message(
    session: Session,
    message: MessageIn,
    *,
    idem_key: str | None,
    actor: str,
    now: datetime,
    max_attempts: int,
    pending: PendingWrites | None = None,
) -> Ingested:
    """Ingest idempotently and enqueue the draft for a new message; the caller commits (or rolls back) both.

    With ``pending``, the events and a new case's jobs are left there for the caller to ``write`` before it
    commits (the group-commit writer does); without, they are written before this returns.
    """
    deferred = pending if pending is not None else PendingWrites()
    outcome = ingest(session, message, idem_key=idem_key, actor=actor, now=now, audit=deferred.events)
    if outcome.needs_draft:
        payload = {"message_id": outcome.result.message_id}
        case_id = outcome.result.case_id
        if outcome.new_case or case_id in deferred.first_jobs:
            # Its jobs are not written yet: a later message of the same new case only updates what they carry.
            deferred.first_jobs[case_id] = payload
        else:
            for kind, priority in _JOBS_PER_MESSAGE:
                queue.enqueue(
                    session,
                    kind=kind,
                    case_id=case_id,
                    payload=payload,
                    max_attempts=max_attempts,
                    now=now,
                    priority=priority,
                )
    if pending is None:
        deferred.write(session.connection(), max_attempts=max_attempts, now=now)
    return outcome
