"""Group commit for ingest: concurrent requests share one transaction, and each answers only after it commits.

Per message, ingest is a handful of indexed reads and inserts; the commit is what costs (a quarter of the time on
SQLite, a network round trip plus a WAL flush on PostgreSQL), and SQLite lets one writer in at a time anyway. So
requests queue here and a writer thread takes every request waiting (up to ``max_batch``) into one transaction:
under load a commit is shared by tens of messages, and with one request at a time nothing changes.

Nothing is acknowledged before it is durable: a request's future resolves after the commit that holds its row.
A request that is refused (bad token, wrong role, an idempotency conflict) is refused before it writes anything, so
it does not spoil its batch. If the batch fails in the database (a race that breaks a unique constraint, a lost
connection), it is rolled back and every request in it is retried alone, exactly as if it had come by itself.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.auth.authorize import INGEST_ROLES, Credentials, authorize
from app.auth.service import Caller
from app.cases.bulk_ingest import Candidate, ingest_first_messages
from app.cases.intake import PendingWrites, accept_message
from app.cases.schemas import IngestResult, MessageIn
from app.cases.service import IngestConflict, find_replay
from app.clock import Clock
from app.metrics import INGEST_BATCH_SIZE

log = logging.getLogger(__name__)

Stored = tuple[IngestResult, bool]  # the answer, and whether the message was new (False: a replay)


@dataclass
class _Request:
    message: MessageIn
    presented: Credentials
    idempotency_key: str | None
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Stored]
    outcome: Stored | BaseException | None = field(default=None)


class IngestWriter:
    """Writer threads that store queued ingests in shared transactions; ``submit`` awaits one's durable answer."""

    def __init__(
        self, engine: Engine, clock: Clock, *, max_attempts: int, threads: int = 1, max_batch: int = 64
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._max_attempts = max_attempts
        self._threads = threads
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Request | None] = queue.SimpleQueue()
        self._workers: list[threading.Thread] = []
        self._start_lock = threading.Lock()

    async def submit(self, message: MessageIn, presented: Credentials, idempotency_key: str | None) -> Stored:
        """Store ``message`` for the caller behind ``presented``; raises what the request deserves (401/403/422)."""
        self._ensure_started()
        loop = asyncio.get_running_loop()
        request = _Request(message, presented, idempotency_key, loop, loop.create_future())
        self._queue.put(request)
        return await request.future

    def close(self) -> None:
        """Stop the writer threads after the requests already queued."""
        for _ in self._workers:
            self._queue.put(None)
        for worker in self._workers:
            worker.join(timeout=10)
        self._workers.clear()

    def _ensure_started(self) -> None:
        if self._workers:
            return
        with self._start_lock:
            while len(self._workers) < self._threads:
                worker = threading.Thread(target=self._run, name=f"ingest-writer-{len(self._workers)}", daemon=True)
                worker.start()
                self._workers.append(worker)

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self._max_batch:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._queue.put(None)  # keep the stop signal for this thread's next turn
                    break
                batch.append(more)
            self._write(batch)

    def _write(self, batch: list[_Request]) -> None:
        try:
            self._write_together(batch)
        except Exception:
            if len(batch) > 1:
                log.info("ingest batch of %d failed in the database; retrying its requests one by one", len(batch))
            for request in batch:
                try:
                    request.outcome = self._write_alone(request)
                except Exception as exc:
                    request.outcome = exc
        for request in batch:
            _resolve(request)

    def _write_together(self, batch: list[_Request]) -> None:
        with Session(self._engine, expire_on_commit=False) as session:
            pending = PendingWrites()
            callers: dict[str, Caller] = {}  # one token lookup per token per transaction
            authorized: list[tuple[_Request, Caller]] = []
            for request in batch:
                request.outcome = None
                try:
                    authorized.append((request, self._caller(session, request, callers)))
                except _Refused as exc:
                    request.outcome = exc
            now = self._clock.now()
            candidates = [Candidate(r.message, r.idempotency_key, caller.name) for r, caller in authorized]
            firsts = ingest_first_messages(session.connection(), candidates, now=now, audit=pending.events)
            for (request, caller), first in zip(authorized, firsts, strict=True):
                if first is not None:
                    pending.first_jobs[first.result.case_id] = {"message_id": first.result.message_id}
                    request.outcome = (first.result, True)
                    continue
                try:
                    request.outcome = self._accept(session, request, pending, caller)
                except IngestConflict as exc:  # raised before the request wrote anything
                    request.outcome = exc
            pending.write(session.connection(), max_attempts=self._max_attempts, now=self._clock.now())
            session.commit()
        INGEST_BATCH_SIZE.observe(len(batch))

    def _write_alone(self, request: _Request) -> Stored:
        for attempt in range(2):
            with Session(self._engine, expire_on_commit=False) as session:
                try:
                    stored = self._accept(session, request, None, self._caller(session, request, {}))
                    session.commit()
                    return stored
                except IntegrityError:
                    # A concurrent identical request won the race: answer as its replay.
                    session.rollback()
                    if attempt == 0:
                        continue
                    raise
        with Session(self._engine) as session:  # pragma: no cover - second race, extremely unlikely
            replay = find_replay(session, request.message, request.idempotency_key)
            assert replay is not None
            return replay.result, False

    def _caller(self, session: Session, request: _Request, callers: dict[str, Caller]) -> Caller:
        """Who presented this request's credentials; raises ``_Refused`` (401/403) when they may not ingest."""
        token = request.presented.token
        if token is not None and token in callers:
            return callers[token]
        try:
            caller = authorize(session.connection(), request.presented, *INGEST_ROLES)
        except Exception as exc:  # an HTTPException (401/403): nothing was written
            raise _Refused(exc) from exc
        if token is not None:
            callers[token] = caller
        return caller

    def _accept(self, session: Session, request: _Request, pending: PendingWrites | None, caller: Caller) -> Stored:
        outcome = accept_message(
            session,
            request.message,
            idem_key=request.idempotency_key,
            actor=caller.name,
            now=self._clock.now(),
            max_attempts=self._max_attempts,
            pending=pending,
        )
        return outcome.result, outcome.created


class _Refused(Exception):
    """The caller may not ingest; carries the HTTP error to raise in the request."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def _resolve(request: _Request) -> None:
    outcome = request.outcome
    if isinstance(outcome, _Refused):
        outcome = outcome.error
    failed = isinstance(outcome, BaseException)
    setter: Callable[[Any], None] = request.future.set_exception if failed else request.future.set_result
    try:
        request.loop.call_soon_threadsafe(_settle, request.future, setter, outcome)
    except RuntimeError:  # the event loop is gone (shutdown): nobody is waiting for this answer any more
        log.debug("ingest answer dropped: its event loop has closed")


def _settle(future: asyncio.Future[Stored], setter: Callable[[Any], None], value: Any) -> None:
    if not future.done():  # the client may have gone away and the request been cancelled
        setter(value)
