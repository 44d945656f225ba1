"""Bounces of our own replies: a relay accepted the email (``sent``), then the recipient's server refused it.

The delivery status notification names our Message-ID (``<triage.KEY@…>``) in its returned headers, which gives
the delivery; a permanent failure (``Status: 5.x.x``, or a mailer daemon's failure notice without a status) turns it
``failed`` with the diagnostic, so the case shows that the requester did not hear back. A delay notice
(``4.x.x``) changes nothing.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session, select

from app.cases.states import record_event
from app.delivery.models import Delivery, DeliveryStatus

_OUR_ID = re.compile(rb"<triage\.([0-9a-f]{32})@[^>\s]{1,200}>")
_STATUS = re.compile(rb"^Status:\s*([245])\.\d{1,3}\.\d{1,3}", re.IGNORECASE | re.MULTILINE)
_DIAGNOSTIC = re.compile(rb"^Diagnostic-Code:\s*(.{1,300})$", re.IGNORECASE | re.MULTILINE)


def record_bounce(session: Session, raw: bytes, *, now: datetime) -> int | None:
    """Fail the delivery a permanent bounce names; returns its id, or None when ``raw`` is no bounce of ours."""
    keys = dict.fromkeys(m.group(1).decode() for m in _OUR_ID.finditer(raw))
    if not keys:
        return None
    classes = {m.group(1) for m in _STATUS.finditer(raw)}
    if classes and b"5" not in classes:
        return None  # delayed, not refused: the relay keeps trying
    diagnostic = _DIAGNOSTIC.search(raw)
    reason = (
        diagnostic.group(1).decode("utf-8", "replace").strip() if diagnostic else "the recipient's server refused it"
    )
    for key in keys:
        delivery = session.exec(select(Delivery).where(Delivery.idempotency_key == key)).first()
        if delivery is None or delivery.status == DeliveryStatus.FAILED.value:
            continue
        delivery.status = DeliveryStatus.FAILED.value
        delivery.last_error = f"bounced after sending: {reason}"[:2000]
        delivery.updated_at = now
        session.add(delivery)
        record_event(
            session,
            delivery.case_id,
            "reply_bounced",
            actor="mailer-daemon",
            detail={"delivery_id": delivery.id, "reason": reason[:500]},
            now=now,
        )
        return delivery.id
    return None
