"""Accept a message: store it and queue its draft in one transaction, the one way every channel takes in work.

The API, the ``triage ingest`` command and the demo seeder all call ``accept_message``, so a message can never be
stored without its draft job (or get a second job on replay) depending on which door it came through.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.cases.schemas import MessageIn
from app.cases.service import Ingested, ingest
from app.jobs import queue
from app.jobs.models import JobPriority
from app.triage.screen import SCREEN_JOB
from app.triage.tasks import DRAFT_JOB


def accept_message(
    session: Session, message: MessageIn, *, idem_key: str | None, actor: str, now: datetime, max_attempts: int
) -> Ingested:
    """Ingest idempotently and enqueue the draft for a new message; the caller commits (or rolls back) both."""
    outcome = ingest(session, message, idem_key=idem_key, actor=actor, now=now)
    if outcome.needs_draft:
        payload = {"message_id": outcome.result.message_id}
        # Screening (risk detection only) runs ahead of every draft, so a critical case escalates at once.
        for kind, priority in ((SCREEN_JOB, JobPriority.SCREEN), (DRAFT_JOB, JobPriority.NORMAL)):
            queue.enqueue(
                session,
                kind=kind,
                case_id=outcome.result.case_id,
                payload=payload,
                max_attempts=max_attempts,
                now=now,
                priority=priority,
            )
    return outcome
