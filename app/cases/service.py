"""Ingest: idempotent, threaded, and never loses an accepted message.

A message is accepted when its row and its draft job are committed in the same transaction, so a crash after the
202 cannot lose it. Replays (same ``(channel, external_id)`` or same ``Idempotency-Key``) answer exactly what the
first call answered; a replay whose content differs is a conflict the caller must hear about.

Ingest is the hottest write path, so it speaks SQL through Core on the session's connection (``app.rows``): a
lookup per identity, one INSERT per table. Only continuing an existing case goes through the ORM, because that is
where the lifecycle rules (``transition``) apply.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from app.cases.models import Case, IdempotencyKey, Message
from app.cases.schemas import IngestResult, MessageIn
from app.cases.states import CaseStatus, transition
from app.locks import lock_in_transaction, lock_key
from app.rows import insert_returning_id, insert_rows
from app.taxonomy import NO_FLAG_RANK

_REOPEN_WINDOW = timedelta(days=7)  # without a thread id, a resolved case older than this is not reopened


class IngestConflict(ValueError):
    """The same idempotency key or external id arrived with different content."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Ingested:
    result: IngestResult
    created: bool  # False for a replay
    needs_draft: bool
    new_case: bool = False  # the message opened a case, so it can have no jobs yet


def request_hash(message: MessageIn) -> str:
    """Hash of the content that identifies a message; delivery details (received_at, metadata) do not count."""
    identity = {
        "channel": message.channel.value,
        "external_id": message.external_id,
        "sender": message.sender.id,
        "thread_id": message.thread_id,
        "subject": message.subject,
        "body": message.body,
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


def thread_key(message: MessageIn) -> str:
    return f"{message.sender.id}|{message.thread_id or '-'}"


# Statements built once with bound parameters: building a WHERE clause costs more than SQLite running it.
_STORED = select(Message.id, Message.case_id, Message.ingest_status, Message.request_hash)
_BY_ID = _STORED.where(Message.id == bindparam("id"))
_BY_EXTERNAL_ID = _STORED.where(
    Message.channel == bindparam("channel"), Message.external_id == bindparam("external_id")
)
_BY_IDEMPOTENCY_KEY = select(IdempotencyKey.request_hash, IdempotencyKey.message_id).where(
    IdempotencyKey.key == bindparam("key")
)
_THREAD_CASE = (
    select(Case.id, Case.status, Case.last_message_at)
    .where(Case.channel == bindparam("channel"), Case.thread_key == bindparam("thread_key"))
    .order_by(col(Case.id).desc())
    .limit(1)
    .with_for_update()
)


def _replay(row: Any) -> Ingested:
    return Ingested(IngestResult(case_id=row.case_id, message_id=row.id, status=row.ingest_status), False, False)


def find_replay(session: Session, message: MessageIn, idem_key: str | None) -> Ingested | None:
    """The earlier answer for this message, None if it is new; raises ``IngestConflict`` on a content mismatch."""
    connection = session.connection()
    digest = request_hash(message)
    if idem_key:
        key_row = connection.execute(_BY_IDEMPOTENCY_KEY, {"key": idem_key}).first()
        if key_row is not None:
            if key_row.request_hash != digest:
                raise IngestConflict(
                    "this Idempotency-Key was already used with a different message; use a new key", "Idempotency-Key"
                )
            first = connection.execute(_BY_ID, {"id": key_row.message_id}).one()
            return _replay(first)
    existing = connection.execute(
        _BY_EXTERNAL_ID, {"channel": message.channel.value, "external_id": message.external_id}
    ).first()
    return _replay_of(existing, message, digest)


def _replay_of(existing: Any, message: MessageIn, digest: str) -> Ingested | None:
    if existing is None or existing.id is None:
        return None
    if existing.request_hash != digest:
        raise IngestConflict(
            f"external_id {message.external_id!r} on channel {message.channel.value!r} was already ingested "
            "with different content",
            "external_id",
        )
    return _replay(existing)


# PostgreSQL: take the thread's lock and look for the message in one round trip. The lookup's snapshot is taken
# before the lock is granted, so it can miss an identical message committed meanwhile; the unique constraint then
# refuses the second insert, and the caller retries the request, which finds the first as a replay.
_LOCK_AND_FIND_PG = text(
    "SELECT pg_advisory_xact_lock(:key) AS locked, m.id, m.case_id, m.ingest_status, m.request_hash "
    "FROM (SELECT 1) AS one LEFT JOIN messages AS m ON m.channel = :channel AND m.external_id = :external_id"
)


def _lock_thread_and_find_replay(session: Session, message: MessageIn, idem_key: str | None) -> Ingested | None:
    """Take the thread's transaction lock, then the earlier answer for this message if it is a replay."""
    name = f"thread:{message.channel.value}:{thread_key(message)}"
    if idem_key is None and session.get_bind().dialect.name == "postgresql":
        row = (
            session.connection()
            .execute(
                _LOCK_AND_FIND_PG,
                {"key": lock_key(name), "channel": message.channel.value, "external_id": message.external_id},
            )
            .one()
        )
        return _replay_of(row, message, request_hash(message))
    lock_in_transaction(session, name)
    return find_replay(session, message, idem_key)


def ingest(
    session: Session,
    message: MessageIn,
    *,
    idem_key: str | None,
    actor: str,
    now: datetime,
    audit: list[dict[str, Any]],
) -> Ingested:
    """Store the message in its case (new, continued or reopened); the caller enqueues the draft and commits.

    Messages of one thread take turns (a transaction-scoped lock on the thread): twenty simultaneous first messages
    of a thread make one case, not twenty, and identical retries find each other's row instead of colliding. The
    audit events of the message are appended to ``audit`` (``CaseEvent`` rows) for the caller to write with its
    other rows, in one statement for a whole batch.
    """
    replay = _lock_thread_and_find_replay(session, message, idem_key)
    if replay is not None:
        return replay
    connection = session.connection()
    case_id, status, new_case = _case_for(session, connection, message, now)
    message_id = insert_returning_id(connection, Message, message_row(message, case_id, status, now))
    if idem_key:
        insert_rows(
            connection,
            IdempotencyKey,
            [{"key": idem_key, "request_hash": request_hash(message), "message_id": message_id, "created_at": now}],
        )
    audit.extend(received_events(case_id, message_id, message, actor, now, new_case=new_case))
    return Ingested(IngestResult(case_id=case_id, message_id=message_id, status=status), True, True, new_case)


def new_case_row(message: MessageIn, now: datetime) -> dict[str, Any]:
    """The ``cases`` row of a case that ``message`` opens."""
    at = message.received_at or now
    return {
        "channel": message.channel.value,
        "thread_key": thread_key(message),
        "requester_id": message.sender.id,
        "requester_kind": message.sender.kind.value,
        "requester_name": message.sender.name,
        "subject": message.subject,
        "locale": message.locale,
        "status": CaseStatus.NEW.value,
        "severity_rank": NO_FLAG_RANK,
        "flag_codes": [],
        "version": 1,
        "first_received_at": at,
        "last_message_at": at,
        "created_at": now,
        "updated_at": now,
    }


def message_row(message: MessageIn, case_id: int, status: str, now: datetime) -> dict[str, Any]:
    """The ``messages`` row of an inbound ``message`` stored in case ``case_id``."""
    return {
        "case_id": case_id,
        "direction": "inbound",
        "channel": message.channel.value,
        "external_id": message.external_id,
        "sender_id": message.sender.id,
        "sender_kind": message.sender.kind.value,
        "sender_name": message.sender.name,
        "subject": message.subject,
        "body": message.body,
        "locale": message.locale,
        "received_at": message.received_at or now,
        "meta": _jsonable(message.metadata),
        "request_hash": request_hash(message),
        "ingest_status": status,
        "created_at": now,
    }


def received_events(
    case_id: int, message_id: int, message: MessageIn, actor: str, now: datetime, *, new_case: bool
) -> list[dict[str, Any]]:
    """The audit events of a stored message: ``case_created`` first when it opened the case."""
    channel = message.channel.value
    events = [_event(case_id, "case_created", "system", {"channel": channel}, now)] if new_case else []
    events.append(_event(case_id, "message_received", actor, {"message_id": message_id, "channel": channel}, now))
    return events


def _event(case_id: int, kind: str, actor: str, detail: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "kind": kind,
        "actor": actor,
        "from_status": None,
        "to_status": None,
        "detail": detail,
        "created_at": now,
    }


def _case_for(session: Session, connection: Connection, message: MessageIn, now: datetime) -> tuple[int, str, bool]:
    """``(case id, status after this message, whether the case is new)``.

    The thread's newest case is read under a row lock (``FOR UPDATE`` on PostgreSQL; SQLite's transactions already
    hold the write lock), so a decision or a draft job cannot write a status over the one this message sets.
    """
    key = thread_key(message)
    found = connection.execute(_THREAD_CASE, {"channel": message.channel.value, "thread_key": key}).first()
    stale = found is not None and now - found.last_message_at > _REOPEN_WINDOW
    if found is None or (found.status == CaseStatus.RESOLVED and message.thread_id is None and stale):
        case_id = insert_returning_id(connection, Case, new_case_row(message, now))
        return case_id, CaseStatus.NEW.value, True
    case = session.get(Case, found.id)
    assert case is not None and case.id is not None
    case.version += 1
    case.last_message_at = max(case.last_message_at, message.received_at or now)
    case.locale = message.locale or case.locale
    if case.status in (CaseStatus.RESOLVED, CaseStatus.AWAITING_REVIEW, CaseStatus.DRAFT_FAILED):
        reason = "reopened by a new message" if case.status == CaseStatus.RESOLVED else "new message: draft is stale"
        transition(session, case, CaseStatus.NEW, actor="system", reason=reason, now=now)
    session.add(case)
    session.flush()  # the status change is written (and audited) before the message that caused it
    return case.id, case.status, False


def _jsonable(value: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(value, default=str))
    return loaded
