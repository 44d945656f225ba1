"""One email in, through ``accept_message``: the HTTP endpoint and the SMTP listener both call ``accept_email``.

Threading: a reply names its parents in ``In-Reply-To`` and ``References``. Each id is looked up in the thread
index (``EmailThread``: every Message-ID seen, our own replies' included); the first hit gives the thread.
Otherwise the root of ``References`` (or the ``In-Reply-To`` parent) names the thread, so two replies to a
conversation we never saw still meet; a message with neither starts a thread named by its own Message-ID.
The thread id becomes ``MessageIn.thread_id``, and the existing sender+thread rule picks the case.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import ValidationError
from sqlmodel import Session, col, select

from app.cases.intake import accept_message
from app.cases.schemas import Channel, MessageIn, SenderIn, SenderKind
from app.channels.email_parse import MAX_ATTACHMENTS_LISTED, MAX_REFERENCES, ParsedEmail, parse_email
from app.channels.models import EmailThread
from app.delivery.bounces import record_bounce

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_ID_LIMIT = 200  # MessageIn.external_id and thread_id
_FAILURE_NOTICE = re.compile(r"report|failure|daemon|postmaster", re.IGNORECASE)  # not an out-of-office reply


class EmailRefused(ValueError):
    """The message cannot become a case (answered 422 over HTTP, 550 over SMTP); the text says why."""


@dataclass(frozen=True)
class EmailOutcome:
    status: Literal["accepted", "replay", "ignored"]
    case_id: int | None = None
    message_id: int | None = None
    thread_id: str | None = None
    reason: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def _fit(identifier: str, prefix: str) -> str:
    """An id within the 200-character limit: long ones are replaced by a stable hash."""
    if len(identifier) <= _ID_LIMIT:
        return identifier
    return f"{prefix}-sha256:{hashlib.sha256(identifier.encode()).hexdigest()}"


def lookup_thread(session: Session, header_ids: list[str]) -> str | None:
    """The thread of the first of ``header_ids`` we have seen (inbound or our own reply), or None."""
    if not header_ids:
        return None
    rows = session.exec(select(EmailThread).where(col(EmailThread.header_id).in_(header_ids))).all()
    found = {row.header_id: row.thread_id for row in rows}
    for header_id in header_ids:
        if header_id in found:
            return found[header_id]
    return None


def thread_for(session: Session, parsed: ParsedEmail) -> str:
    parents = parsed.in_reply_to + list(reversed(parsed.references))
    known = lookup_thread(session, parents)
    if known is not None:
        return known
    if parsed.references:
        return _fit(parsed.references[0], "mid")
    if parsed.in_reply_to:
        return _fit(parsed.in_reply_to[0], "mid")
    if parsed.message_id:
        return _fit(parsed.message_id, "mid")
    return f"raw-sha256:{parsed.raw_sha256}"


def remember(session: Session, header_id: str, *, thread_id: str, case_id: int | None, direction: str) -> None:
    """Index a Message-ID under its thread (first writer wins: a replay or a resend changes nothing)."""
    header_id = header_id[:255]
    exists = session.exec(select(EmailThread.id).where(EmailThread.header_id == header_id)).first()
    if exists is None:
        session.add(EmailThread(header_id=header_id, thread_id=thread_id, case_id=case_id, direction=direction))


def _body(parsed: ParsedEmail, max_bytes: int) -> tuple[str, bool]:
    text = parsed.reply or parsed.text
    if not text.strip():
        count = len(parsed.attachments)
        text = f"(no text in this email{f'; {count} attachment(s)' if count else ''})"
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text, False
    marker = "\n[… truncated: the email's text was longer than the message limit]"
    cut = encoded[: max_bytes - len(marker.encode())].decode("utf-8", "ignore")
    return cut + marker, True


def _metadata(parsed: ParsedEmail, truncated: bool) -> dict[str, Any]:
    references = parsed.references
    if len(references) > MAX_REFERENCES:  # keep the root and the newest parents (RFC 5322 §3.6.4)
        references = references[:1] + references[-(MAX_REFERENCES - 1) :]
    email: dict[str, Any] = {
        "message_id": parsed.message_id,
        "in_reply_to": parsed.in_reply_to,
        "references": references,
        "from": parsed.from_address,
        "reply_to": parsed.reply_to,
        "to": parsed.to,
        "html_body": parsed.html_body,
        "quoted_text_removed": parsed.stripped,
        "truncated": truncated,
        "raw_sha256": parsed.raw_sha256,
    }
    meta: dict[str, Any] = {
        "email": email,
        "attachments": [a.as_json() for a in parsed.attachments[:MAX_ATTACHMENTS_LISTED]],
    }
    if len(parsed.attachments) > MAX_ATTACHMENTS_LISTED:
        meta["attachments_total"] = len(parsed.attachments)
    while len(json.dumps(meta)) > 15 * 1024 and (email["references"] or meta["attachments"]):
        if email["references"]:
            email["references"] = email["references"][:-1]
        else:
            meta["attachments"] = meta["attachments"][:-1]
            meta["attachments_total"] = len(parsed.attachments)
    return meta


def to_message(session: Session, parsed: ParsedEmail, *, now: datetime, max_body_bytes: int) -> MessageIn:
    """The ingest shape for ``parsed``; raises ``EmailRefused`` when no one could be answered."""
    if parsed.from_address is None:
        raise EmailRefused("the email has no usable From address, so no one could be answered")
    body, truncated = _body(parsed, max_body_bytes)
    received = parsed.date if parsed.date and EARLIEST <= parsed.date <= now + timedelta(days=1) else None
    locale = parsed.language if parsed.language and len(parsed.language) <= 16 else None
    fields: dict[str, Any] = {
        "channel": Channel.EMAIL,
        "external_id": _fit(parsed.message_id, "mid") if parsed.message_id else f"raw-sha256:{parsed.raw_sha256}",
        "sender": SenderIn(id=parsed.from_address, kind=SenderKind.USER, name=parsed.from_name),
        "thread_id": thread_for(session, parsed),
        "subject": parsed.subject,
        "body": body,
        "locale": locale,
        "received_at": received,
        "metadata": _metadata(parsed, truncated),
    }
    try:
        return MessageIn(**fields)
    except ValidationError:
        pass  # a header value MessageIn refuses (an odd Content-Language, say) must not cost the message
    try:
        return MessageIn(**{**fields, "locale": None, "received_at": None})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:3])
        raise EmailRefused(f"the email cannot be stored as a message: {problems}") from exc


def accept_email(
    session: Session,
    raw: bytes,
    *,
    actor: str,
    now: datetime,
    max_attempts: int,
    max_body_bytes: int,
    idem_key: str | None = None,
) -> EmailOutcome:
    """Ingest one raw email (the caller commits); machine-sent mail is ignored, so we never answer a bounce."""
    parsed = parse_email(raw)
    if parsed.auto_reason is not None:
        bounced = record_bounce(session, raw, now=now) if _FAILURE_NOTICE.search(parsed.auto_reason) else None
        if bounced is not None:
            return EmailOutcome(status="ignored", reason=f"bounce of delivery {bounced}: recorded on its case")
        return EmailOutcome(status="ignored", reason=f"not a person's message: {parsed.auto_reason}")
    message = to_message(session, parsed, now=now, max_body_bytes=max_body_bytes)
    outcome = accept_message(session, message, idem_key=idem_key, actor=actor, now=now, max_attempts=max_attempts)
    assert message.thread_id is not None
    if parsed.message_id:
        remember(
            session, parsed.message_id, thread_id=message.thread_id, case_id=outcome.result.case_id, direction="inbound"
        )
    return EmailOutcome(
        status="accepted" if outcome.created else "replay",
        case_id=outcome.result.case_id,
        message_id=outcome.result.message_id,
        thread_id=message.thread_id,
    )
