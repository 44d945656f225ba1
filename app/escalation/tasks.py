"""The escalation outbox: a durable job per escalation that retries until the receiver accepts it.

The job row is written in the same transaction as the escalation, so a receiver that is down (or a crash right
after) loses nothing: the worker keeps delivering with backoff, and a job that finally gives up is recorded on
the case's audit log and visible in the console.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.cases.models import Case
from app.cases.states import record_event
from app.clock import Clock
from app.config import Settings
from app.escalation.webhook import WebhookSender, encode, sign
from app.jobs import queue
from app.jobs.models import Job, JobPriority
from app.jobs.worker import JobFailed
from app.safety.hooks import on_escalated

WEBHOOK_JOB = "escalation_webhook"
WEBHOOK_MAX_ATTEMPTS = 30  # with backoff capped at TRIAGE_JOB_BACKOFF_MAX_S this covers hours of receiver outage


def enqueue_escalation(
    session: Session, case: Case, *, flags: list[str], reason: str, now: datetime, settings: Settings
) -> None:
    """Queue the signed notification for an escalated case, if a webhook is configured; start its
    acknowledgement clock and preservation holds (app/safety) either way."""
    on_escalated(session, case, flags=flags, now=now, settings=settings)
    if not settings.escalation_webhook_url:
        return
    assert case.id is not None
    payload: dict[str, Any] = {
        "event": "case.escalated",
        "case_id": case.id,
        "category": case.category,
        "priority": case.priority,
        "risk_flags": flags,
        "reason": reason,
        "escalated_at": now.isoformat(),
        "case_path": f"/v1/cases/{case.id}",
    }
    job = Job(
        kind=WEBHOOK_JOB,
        case_id=case.id,
        payload=payload,
        max_attempts=WEBHOOK_MAX_ATTEMPTS,
        priority=JobPriority.CRITICAL,  # the alert leaves before any backlog of drafts
        run_at=now,
        created_at=now,
    )
    session.add(job)


class EscalationWebhookHandler:
    def __init__(self, engine: Engine, sender: WebhookSender, clock: Clock, settings: Settings) -> None:
        self._engine = engine
        self._sender = sender
        self._clock = clock
        self._settings = settings

    async def run(self, job: Job) -> None:
        url = self._settings.escalation_webhook_url
        if not url:
            raise JobFailed("TRIAGE_ESCALATION_WEBHOOK_URL is not set", retryable=False)
        secret = self._settings.escalation_webhook_secret
        body = encode(job.payload)
        timestamp = str(int(self._clock.now().timestamp()))
        headers = {"content-type": "application/json", "X-Triage-Timestamp": timestamp}
        if secret is not None:
            headers["X-Triage-Signature"] = sign(secret.get_secret_value(), timestamp, body)
        try:
            status = await self._sender.post(url, body, headers)
        except Exception as exc:
            raise JobFailed(f"webhook delivery failed: {type(exc).__name__}: {exc}") from exc
        if not 200 <= status < 300:
            raise JobFailed(f"webhook receiver answered HTTP {status}")
        with Session(self._engine, expire_on_commit=False) as session:
            if not queue.complete(session, job, now=self._clock.now()):
                session.rollback()
                return
            if job.case_id is not None:
                record_event(
                    session,
                    job.case_id,
                    "escalation_webhook_delivered",
                    actor="worker",
                    detail={"attempt": job.attempts, "status": status},
                )
            session.commit()

    def on_dead(self, session: Session, job: Job, error: str) -> None:
        if job.case_id is not None:
            record_event(
                session,
                job.case_id,
                "escalation_webhook_failed",
                actor="worker",
                detail={"attempts": job.attempts, "error": error[:500]},
            )
