"""The ``hold_expiry`` job: a preservation hold ends on its date even if nobody touches the case again.

A hold is placed with an end (``TRIAGE_HOLD_DAYS``); when it is placed, a job is queued for that moment
(``holds.schedule_expiry``). When it
runs, every hold past its end is released by the system (saying so on the case) and the privacy deletions that
were waiting only on those holds run. Without it, a hold past its end would keep blocking edits and deletions
until the next deletion request happened to look.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.clock import Clock
from app.jobs import queue
from app.jobs.models import Job
from app.safety import privacy


class HoldExpiryHandler:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    async def run(self, job: Job) -> None:
        now = self._clock.now()
        with Session(self._engine, expire_on_commit=False) as session:
            if not queue.complete(session, job, now=now):
                session.rollback()
                return
            privacy.run_queued(session, now=now)  # releases the holds past their end first
            session.commit()

    def on_dead(self, session: Session, job: Job, error: str) -> None:
        """Nothing to show on the case: the holds stay until a lead releases them, and the next run retries."""
