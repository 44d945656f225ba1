"""Set-based ingest of a batch's first messages: one statement per table for the whole batch, not per message.

Under load most of a group-commit batch is messages that open a case: a new ``(channel, external_id)`` on a thread
with no case yet. Taken one by one, each costs four round trips (thread lock and replay lookup, thread lookup, case
INSERT, message INSERT), and on PostgreSQL those round trips, not the SQL, were the ingest path's cost. Here the
batch's candidates take their thread locks in one statement, are looked up in two, and are written in two
multi-row INSERTs whose RETURNING gives each row's id with its key.

Anything that is not plainly a first message (an Idempotency-Key, a replay, a thread that already has a case, two
messages of one thread or one external id in the same batch) is left to the one-message path, which holds every
rule; the result is the same rows that path would have written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text, tuple_
from sqlalchemy.engine import Connection
from sqlmodel import select

from app.cases.models import Case, Message
from app.cases.schemas import IngestResult, MessageIn
from app.cases.service import Ingested, message_row, new_case_row, received_events, thread_key
from app.cases.states import CaseStatus
from app.locks import lock_key
from app.rows import insert_rows_returning

# Sorted, so two API processes locking overlapping batches take the locks in the same order.
_LOCK_MANY_PG = text(
    "SELECT pg_advisory_xact_lock(k) FROM (SELECT unnest(CAST(:keys AS bigint[])) AS k ORDER BY 1) AS keys"
)


@dataclass(frozen=True)
class Candidate:
    """One authorized request of the batch: the message, its Idempotency-Key and who sent it."""

    message: MessageIn
    idem_key: str | None
    actor: str


def _identity(message: MessageIn) -> tuple[str, str]:
    return message.channel.value, message.external_id


def _thread(message: MessageIn) -> tuple[str, str]:
    return message.channel.value, thread_key(message)


def ingest_first_messages(
    connection: Connection, candidates: Sequence[Candidate], *, now: datetime, audit: list[dict[str, Any]]
) -> list[Ingested | None]:
    """Store every candidate that opens a new case; ``None`` for each one left to the one-message path.

    The audit events of the stored ones are appended to ``audit``; the caller enqueues their first jobs and
    commits. Call it before the batch's other requests, so they find the cases this opens.
    """
    threads = Counter(_thread(c.message) for c in candidates)
    identities = Counter(_identity(c.message) for c in candidates)
    eligible = [
        i
        for i, c in enumerate(candidates)
        if c.idem_key is None and threads[_thread(c.message)] == 1 and identities[_identity(c.message)] == 1
    ]
    results: list[Ingested | None] = [None] * len(candidates)
    if len(eligible) < 2:  # nothing to gain over the one-message path
        return results
    if connection.dialect.name == "postgresql":
        names = [f"thread:{candidates[i].message.channel.value}:{thread_key(candidates[i].message)}" for i in eligible]
        connection.execute(_LOCK_MANY_PG, {"keys": [lock_key(name) for name in names]}).all()
    eligible = _without_existing(connection, candidates, eligible)
    if not eligible:
        return results
    case_rows = [new_case_row(candidates[i].message, now) for i in eligible]
    case_by_thread = insert_rows_returning(connection, Case, case_rows, key=("channel", "thread_key"))
    case_ids = [case_by_thread[_thread(candidates[i].message)] for i in eligible]
    status = CaseStatus.NEW.value
    rows = [
        message_row(candidates[i].message, case_id, status, now) for i, case_id in zip(eligible, case_ids, strict=True)
    ]
    message_by_identity = insert_rows_returning(connection, Message, rows, key=("channel", "external_id"))
    message_ids = [message_by_identity[_identity(candidates[i].message)] for i in eligible]
    for i, case_id, message_id in zip(eligible, case_ids, message_ids, strict=True):
        c = candidates[i]
        audit.extend(received_events(case_id, message_id, c.message, c.actor, now, new_case=True))
        results[i] = Ingested(IngestResult(case_id=case_id, message_id=message_id, status=status), True, True, True)
    return results


def _without_existing(connection: Connection, candidates: Sequence[Candidate], eligible: list[int]) -> list[int]:
    """``eligible`` less the messages already stored (replays) and those whose thread already has a case."""
    identities = [_identity(candidates[i].message) for i in eligible]
    stored = {
        (row.channel, row.external_id)
        for row in connection.execute(
            select(Message.channel, Message.external_id).where(
                tuple_(Message.channel, Message.external_id).in_(identities)
            )
        )
    }
    threads = [_thread(candidates[i].message) for i in eligible]
    opened = {
        (row.channel, row.thread_key)
        for row in connection.execute(
            select(Case.channel, Case.thread_key).where(tuple_(Case.channel, Case.thread_key).in_(threads))
        )
    }
    return [
        i
        for i, identity, thread in zip(eligible, identities, threads, strict=True)
        if identity not in stored and thread not in opened
    ]
