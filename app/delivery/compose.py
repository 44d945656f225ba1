"""What goes on the wire for a delivery: the threaded email, or the signed webhook request.

Both are rebuilt from the database for every attempt and come out byte-for-byte the same (the Date is the
reply's own time, the ids are fixed), except the webhook's timestamp and signature, which must be fresh for the
receiver's replay window.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

from app.cases.models import Case, Message
from app.config import Settings
from app.delivery.models import Delivery
from app.escalation.webhook import encode, sign


def message_id_for(delivery: Delivery, settings: Settings) -> str:
    """``<triage.KEY@domain>``: fixed by the idempotency key, so every attempt carries the same Message-ID."""
    domain = settings.email_message_id_domain or parseaddr(settings.email_from)[1].rpartition("@")[2] or "localhost"
    return f"<triage.{delivery.idempotency_key}@{domain}>"


def reply_email(delivery: Delivery, message: Message, case: Case, settings: Settings) -> EmailMessage:
    routing: dict[str, Any] = message.meta.get("email") or {}
    email = EmailMessage()
    email["From"] = settings.email_from
    email["To"] = delivery.recipient
    email["Subject"] = str(routing.get("subject") or "Re: your message to support")
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = delivery.message_id_header or message_id_for(delivery, settings)
    parent = routing.get("in_reply_to")
    if parent:
        email["In-Reply-To"] = f"<{parent}>"
        email["References"] = " ".join(f"<{r}>" for r in routing.get("references") or [parent])
    email["X-Triage-Case"] = str(case.id)
    email.set_content(message.body)
    return email


def webhook_payload(delivery: Delivery, message: Message, case: Case) -> bytes:
    routing: dict[str, Any] = message.meta.get("webhook") or {}
    payload = {
        "event": "reply.created",
        "delivery_id": delivery.id,
        "idempotency_key": delivery.idempotency_key,
        "case_id": case.id,
        "channel": case.channel,
        "thread_id": routing.get("thread_id"),
        "in_reply_to": routing.get("in_reply_to"),
        "recipient": {"id": case.requester_id, "kind": case.requester_kind},
        "text": message.body,
        "locale": message.locale,
        "created_at": message.created_at.isoformat(),
    }
    return encode(payload)


def webhook_headers(delivery: Delivery, body: bytes, *, secret: str | None, timestamp: str) -> dict[str, str]:
    headers = {
        "content-type": "application/json",
        "Idempotency-Key": delivery.idempotency_key,
        "X-Triage-Delivery": str(delivery.id),
        "X-Triage-Timestamp": timestamp,
    }
    if secret is not None:
        headers["X-Triage-Signature"] = sign(secret, timestamp, body)
    return headers
