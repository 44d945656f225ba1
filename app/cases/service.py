"""Ingest: idempotent, threaded, and never loses an accepted message.

A message is accepted when its row and its draft job are committed in the same transaction, so a crash after the
202 cannot lose it. Replays (same ``(channel, external_id)`` or same ``Idempotency-Key``) answer exactly what the
first call answered; a replay whose content differs is a conflict the caller must hear about.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from app.cases import repository
from app.cases.models import Case, IdempotencyKey, Message
from app.cases.schemas import IngestResult, MessageIn
from app.cases.states import CaseStatus, record_event, transition
from app.locks import lock_in_transaction
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


def _replay(session: Session, existing: Message) -> Ingested:
    assert existing.id is not None
    return Ingested(
        IngestResult(case_id=existing.case_id, message_id=existing.id, status=existing.ingest_status), False, False
    )


def find_replay(session: Session, message: MessageIn, idem_key: str | None) -> Ingested | None:
    """The earlier answer for this message, None if it is new; raises ``IngestConflict`` on a content mismatch."""
    digest = request_hash(message)
    if idem_key:
        key_row = repository.idempotency_key(session, idem_key)
        if key_row is not None:
            if key_row.request_hash != digest:
                raise IngestConflict(
                    "this Idempotency-Key was already used with a different message; use a new key", "Idempotency-Key"
                )
            first = session.get(Message, key_row.message_id)
            assert first is not None
            return _replay(session, first)
    existing = repository.message_by_external_id(session, message.channel.value, message.external_id)
    if existing is not None:
        if existing.request_hash != digest:
            raise IngestConflict(
                f"external_id {message.external_id!r} on channel {message.channel.value!r} was already ingested "
                "with different content",
                "external_id",
            )
        return _replay(session, existing)
    return None


def ingest(session: Session, message: MessageIn, *, idem_key: str | None, actor: str, now: datetime) -> Ingested:
    """Store the message in its case (new, continued or reopened); the caller enqueues the draft and commits.

    Messages of one thread take turns (a transaction-scoped lock on the thread): twenty simultaneous first messages
    of a thread make one case, not twenty, and identical retries find each other's row instead of colliding.
    """
    lock_in_transaction(session, f"thread:{message.channel.value}:{thread_key(message)}")
    replay = find_replay(session, message, idem_key)
    if replay is not None:
        return replay
    received_at = message.received_at or now
    case = _case_for(session, message, now)
    assert case.id is not None
    row = Message(
        case_id=case.id,
        channel=message.channel.value,
        external_id=message.external_id,
        sender_id=message.sender.id,
        sender_kind=message.sender.kind.value,
        sender_name=message.sender.name,
        subject=message.subject,
        body=message.body,
        locale=message.locale,
        received_at=received_at,
        meta=_jsonable(message.metadata),
        request_hash=request_hash(message),
        ingest_status=case.status,
        created_at=now,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    if idem_key:
        session.add(IdempotencyKey(key=idem_key, request_hash=row.request_hash, message_id=row.id, created_at=now))
    record_event(
        session,
        case.id,
        "message_received",
        actor=actor,
        detail={"message_id": row.id, "channel": row.channel},
        now=now,
    )
    return Ingested(IngestResult(case_id=case.id, message_id=row.id, status=case.status), True, True)


def _case_for(session: Session, message: MessageIn, now: datetime) -> Case:
    key = thread_key(message)
    case = repository.open_case_for_thread(session, message.channel.value, key)
    stale = case is not None and now - case.last_message_at > _REOPEN_WINDOW
    if case is not None and case.status == CaseStatus.RESOLVED and message.thread_id is None and stale:
        case = None
    if case is None:
        case = Case(
            channel=message.channel.value,
            thread_key=key,
            requester_id=message.sender.id,
            requester_kind=message.sender.kind.value,
            requester_name=message.sender.name,
            subject=message.subject,
            locale=message.locale,
            status=CaseStatus.NEW.value,
            severity_rank=NO_FLAG_RANK,
            version=1,
            first_received_at=message.received_at or now,
            last_message_at=message.received_at or now,
            created_at=now,
            updated_at=now,
        )
        session.add(case)
        session.flush()
        assert case.id is not None
        record_event(session, case.id, "case_created", actor="system", detail={"channel": case.channel}, now=now)
        return case
    case.version += 1
    case.last_message_at = max(case.last_message_at, message.received_at or now)
    case.locale = message.locale or case.locale
    if case.status in (CaseStatus.RESOLVED, CaseStatus.AWAITING_REVIEW, CaseStatus.DRAFT_FAILED):
        reason = "reopened by a new message" if case.status == CaseStatus.RESOLVED else "new message: draft is stale"
        transition(session, case, CaseStatus.NEW, actor="system", reason=reason, now=now)
    session.add(case)
    return case


def _jsonable(value: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(value, default=str))
    return loaded
