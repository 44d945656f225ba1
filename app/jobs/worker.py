"""The worker loop: claim a due job, run its handler, record the outcome. Many may run, in many processes.

A handler does its slow part (the LLM call) outside any transaction and writes its result in one transaction
that also marks the job done; if the lease was lost meanwhile (the worker was presumed dead and the job
re-run elsewhere), the write is rolled back, so a job's effect lands exactly once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
import uuid
from typing import Protocol

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.clock import Clock
from app.config import Settings
from app.jobs import queue
from app.jobs.models import Job, JobStatus
from app.logs import safe_message

log = logging.getLogger("triage.worker")


class JobFailed(Exception):
    """A handler's failure; ``retryable=False`` sends the job straight to the dead-letter state."""

    def __init__(self, message: str, *, retryable: bool = True, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after_s = retry_after_s


class JobHandler(Protocol):
    async def run(self, job: Job) -> None:
        """Do the work; must call ``queue.complete`` inside its final transaction."""
        ...

    def on_dead(self, session: Session, job: Job, error: str) -> None:
        """Make an exhausted job visible (e.g. the case becomes ``draft_failed`` with the reason)."""
        ...


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    def __init__(
        self,
        engine: Engine,
        handlers: dict[str, JobHandler],
        clock: Clock,
        settings: Settings,
        worker_id: str | None = None,
    ) -> None:
        self._engine = engine
        self._handlers = handlers
        self._clock = clock
        self._settings = settings
        self.worker_id = worker_id or new_worker_id()

    async def run_once(self) -> bool:
        """Claim and run at most one job; True if one was run."""
        job = queue.claim(
            self._engine,
            worker_id=self.worker_id,
            lease_s=self._settings.job_lease_s,
            clock=self._clock,
            kinds=list(self._handlers),
        )
        if job is None:
            return False
        handler = self._handlers[job.kind]
        try:
            await handler.run(job)
        except Exception as exc:
            retryable = getattr(exc, "retryable", True)
            error = f"{type(exc).__name__}: {safe_message(exc)}"  # stored and logged: never quote row values
            log.warning(
                "job failed", extra={"job_id": job.id, "kind": job.kind, "attempt": job.attempts, "error": error}
            )
            self._record_failure(job, handler, error, bool(retryable), getattr(exc, "retry_after_s", None))
        return True

    def _record_failure(
        self, job: Job, handler: JobHandler, error: str, retryable: bool, retry_after_s: float | None
    ) -> None:
        with Session(self._engine, expire_on_commit=False) as session:
            status = queue.fail(
                session,
                job,
                error=error,
                now=self._clock.now(),
                base=self._settings.job_backoff_base_s,
                cap=self._settings.job_backoff_max_s,
                retryable=retryable,
                retry_after_s=retry_after_s,
            )
            if status is JobStatus.DEAD:
                handler.on_dead(session, job, error)
            session.commit()

    async def run_forever(self, stop: threading.Event | asyncio.Event) -> None:
        log.info("worker started", extra={"worker_id": self.worker_id})
        while not stop.is_set():
            try:
                ran = await self.run_once()
            except Exception:
                log.exception("worker loop error")
                ran = False
            if not ran:
                await asyncio.sleep(self._settings.worker_poll_s)
        log.info("worker stopped", extra={"worker_id": self.worker_id})

    async def drain(self, max_jobs: int = 10_000) -> int:
        """Run due jobs until none is left (tests, ``triage demo``); returns how many ran."""
        count = 0
        while count < max_jobs and await self.run_once():
            count += 1
        return count


class BackgroundWorker:
    """A worker on its own thread and event loop, for the embedded single-process setup."""

    def __init__(self, worker: Worker) -> None:
        self._worker = worker
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._main, name="triage-worker", daemon=True)

    def _main(self) -> None:
        asyncio.run(self._worker.run_forever(self._stop))

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
