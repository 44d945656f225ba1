"""The ``ack_check`` job: an escalated case nobody acknowledged in time alerts again, and again, until someone does.

The job is scheduled for the acknowledgement deadline when the case escalates. When it runs and the case is still
escalated and unacknowledged, it queues another signed escalation webhook (``event: case.ack_overdue``, through
the same durable outbox as the first alert), records the re-alert on the case, and schedules itself for the next
deadline. An acknowledged or closed case ends the chain; a deadline moved by a hand-over is simply waited for.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.cases import repository
from app.cases.states import CaseStatus, record_event
from app.clock import Clock
from app.config import Settings
from app.escalation.tasks import WEBHOOK_JOB, WEBHOOK_MAX_ATTEMPTS
from app.jobs import queue
from app.jobs.models import Job, JobPriority
from app.safety.ownership import ack_window, schedule_check, unacknowledged, watch_of


class AckCheckHandler:
    def __init__(self, engine: Engine, clock: Clock, settings: Settings) -> None:
        self._engine = engine
        self._clock = clock
        self._settings = settings

    async def run(self, job: Job) -> None:
        now = self._clock.now()
        with Session(self._engine, expire_on_commit=False) as session:
            case = repository.lock_case(session, job.case_id) if job.case_id is not None else None
            if case is None or not queue.complete(session, job, now=now):
                session.rollback()
                return
            assert case.id is not None
            watch = watch_of(session, case.id)
            if watch is None or not unacknowledged(watch) or case.status != CaseStatus.ESCALATED:
                session.commit()
                return
            if now < watch.ack_due_at:  # the deadline moved (a hand-over): wait for the new one
                schedule_check(session, case.id, watch.ack_due_at)
                session.commit()
                return
            watch.realerts += 1
            watch.last_alert_at = now
            overdue_since = watch.ack_due_at
            watch.ack_due_at = now + ack_window(self._settings, watch.flags)
            session.add(watch)
            sent = self._alert(session, case.id, watch.flags, watch.owner, watch.realerts, overdue_since.isoformat())
            record_event(
                session,
                case.id,
                "ack_overdue_realert",
                actor="system",
                detail={"realert": watch.realerts, "owner": watch.owner, "webhook": sent},
                now=now,
            )
            schedule_check(session, case.id, watch.ack_due_at)
            session.commit()

    def _alert(self, session: Session, case_id: int, flags: list[str], owner: str | None, count: int, due: str) -> bool:
        if not self._settings.escalation_webhook_url:
            return False
        now = self._clock.now()
        session.add(
            Job(
                kind=WEBHOOK_JOB,
                case_id=case_id,
                payload={
                    "event": "case.ack_overdue",
                    "case_id": case_id,
                    "risk_flags": flags,
                    "owner": owner,
                    "realert": count,
                    "ack_was_due_at": due,
                    "alerted_at": now.isoformat(),
                    "case_path": f"/v1/cases/{case_id}",
                },
                max_attempts=WEBHOOK_MAX_ATTEMPTS,
                priority=JobPriority.CRITICAL,
                run_at=now,
                created_at=now,
            )
        )
        return True

    def on_dead(self, session: Session, job: Job, error: str) -> None:
        if job.case_id is not None:
            record_event(session, job.case_id, "ack_check_failed", actor="worker", detail={"error": error[:500]})
