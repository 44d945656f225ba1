"""The outbox: queue an approved reply for delivery (same transaction as the approval), retry one, list them.

One ``deliver_reply`` job per case delivers that case's queued replies in order, so two replies never overtake
each other during an outage; the job's attempts and backoff are the delivery's retries.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.cases.models import Case, Message
from app.cases.states import record_event
from app.delivery.models import Delivery, DeliveryStatus, Transport
from app.jobs import queue
from app.jobs.models import Job, JobPriority, JobStatus

DELIVERY_JOB = "deliver_reply"
DELIVERY_MAX_ATTEMPTS = 30  # with backoff capped at TRIAGE_JOB_BACKOFF_MAX_S (300 s) that is over two hours
MAX_REFERENCES = 20
TRANSPORTS = {
    "email": Transport.SMTP,
    "web_form": Transport.SMTP,  # the form asks for an email address; the answer goes there
    "in_app_chat": Transport.WEBHOOK,
    "social_dm": Transport.WEBHOOK,
    "api": Transport.WEBHOOK,
}


class RetryRefused(Exception):
    """The delivery cannot be retried (answered 409 with this message)."""


def last_inbound(session: Session, case_id: int) -> Message | None:
    return session.exec(
        select(Message)
        .where(Message.case_id == case_id, Message.direction == "inbound")
        .order_by(col(Message.id).desc())
    ).first()


def thread_of(case: Case) -> str | None:
    """The channel's thread id, recovered from ``thread_key`` (``sender|thread``, '-' when there was none)."""
    thread = case.thread_key[len(case.requester_id) + 1 :]
    return None if thread in ("", "-") else thread


def reply_subject(subject: str | None) -> str:
    text = " ".join((subject or "").split())  # unfolded: no CR/LF can reach a header
    if not text:
        return "Re: your message to support"
    return text if text[:3].lower() == "re:" else f"Re: {text}"


def _email_routing(case: Case, inbound: Message | None) -> tuple[str, dict[str, Any]]:
    meta: dict[str, Any] = inbound.meta if inbound else {}
    email: dict[str, Any] = meta["email"] if isinstance(meta.get("email"), dict) else {}
    form: dict[str, Any] = meta["web_form"] if isinstance(meta.get("web_form"), dict) else {}
    requester = case.requester_id if "@" in case.requester_id else ""
    recipient = str(email.get("reply_to") or email.get("from") or form.get("reply_to") or requester)
    parent = email.get("message_id")
    references = [str(r) for r in (email.get("references") or []) if r]
    if parent:
        references.append(str(parent))
    if len(references) > MAX_REFERENCES:
        references = references[:1] + references[-(MAX_REFERENCES - 1) :]
    routing = {
        "to": recipient,
        "subject": reply_subject(case.subject),
        "in_reply_to": parent,
        "references": references,
    }
    return recipient, routing


def enqueue_delivery(session: Session, case: Case, message: Message, *, now: datetime) -> Delivery:
    """Give the outbound ``message`` its threading details and queue its delivery; the caller commits both."""
    assert case.id is not None
    transport = TRANSPORTS.get(case.channel, Transport.WEBHOOK)
    inbound = last_inbound(session, case.id)
    key = uuid.uuid4().hex
    if transport is Transport.SMTP:
        recipient, routing = _email_routing(case, inbound)
        message.meta = {"email": routing, "delivery": {"idempotency_key": key}}
    else:
        recipient = case.requester_id
        routing = {"thread_id": thread_of(case), "in_reply_to": inbound.external_id if inbound else None}
        message.meta = {"webhook": routing, "delivery": {"idempotency_key": key}}
    session.add(message)
    session.flush()
    assert message.id is not None
    delivery = Delivery(
        case_id=case.id,
        message_id=message.id,
        channel=case.channel,
        transport=transport.value,
        recipient=recipient[:320],
        idempotency_key=key,
        created_at=now,
        updated_at=now,
    )
    session.add(delivery)
    _schedule(session, case.id, now=now)
    return delivery


def _schedule(session: Session, case_id: int, *, now: datetime) -> None:
    job = queue.enqueue(
        session,
        kind=DELIVERY_JOB,
        case_id=case_id,
        payload={},
        max_attempts=DELIVERY_MAX_ATTEMPTS,
        now=now,
        priority=JobPriority.HIGH,  # a requester waiting for an answer goes before the drafting backlog
    )
    if job.status == JobStatus.QUEUED.value and job.run_at > now:
        job.run_at = now  # a retry asked for by a person runs now, not after the backoff
        session.add(job)


def retry(session: Session, delivery: Delivery, *, actor: str, now: datetime) -> Delivery:
    """Queue a failed (or waiting) delivery again, now; the idempotency key stays, so a receiver that did get an
    earlier attempt drops this one."""
    if delivery.status == DeliveryStatus.SENT.value:
        raise RetryRefused(f"delivery {delivery.id} was already sent at {delivery.sent_at}; there is nothing to retry")
    delivery.status = DeliveryStatus.QUEUED.value
    delivery.updated_at = now
    session.add(delivery)
    _schedule(session, delivery.case_id, now=now)
    record_event(
        session, delivery.case_id, "reply_delivery_retry", actor=actor, detail={"delivery_id": delivery.id}, now=now
    )
    return delivery


def deliveries_of(session: Session, case_id: int) -> list[Delivery]:
    return list(session.exec(select(Delivery).where(Delivery.case_id == case_id).order_by(col(Delivery.id))))


def _next_attempt(session: Session, case_id: int) -> datetime | None:
    job = session.exec(
        select(Job).where(
            Job.kind == DELIVERY_JOB,
            Job.case_id == case_id,
            col(Job.status).in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]),
        )
    ).first()
    return job.run_at if job is not None else None


def delivery_view(delivery: Delivery, next_attempt_at: datetime | None = None) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "message_id": delivery.message_id,
        "status": delivery.status,
        "transport": delivery.transport,
        "channel": delivery.channel,
        "recipient": delivery.recipient,
        "attempts": delivery.attempts,
        "last_error": delivery.last_error,
        "idempotency_key": delivery.idempotency_key,
        "message_id_header": delivery.message_id_header,
        "decision_id": delivery.decision_id,
        "created_at": delivery.created_at,
        "sent_at": delivery.sent_at,
        "next_attempt_at": next_attempt_at if delivery.status == DeliveryStatus.QUEUED.value else None,
    }


def deliveries_view(session: Session, case_id: int) -> list[dict[str, Any]]:
    """The case's deliveries for the API (``deliveries`` in the case JSON) and the console."""
    rows = deliveries_of(session, case_id)
    upcoming = _next_attempt(session, case_id) if any(d.status == DeliveryStatus.QUEUED.value for d in rows) else None
    return [delivery_view(d, upcoming) for d in rows]
