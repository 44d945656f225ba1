"""Raw RFC 822 bytes to the facts an inbox needs: who, which thread, the new text, and what was attached.

Real mail is messy (unknown charsets, broken MIME, headers that do not parse), so every step degrades instead of
failing: an undecodable part is decoded with replacement characters, a header that does not parse is read as
raw text, a missing body becomes a note. Attachments are hashed and measured, never decoded further, executed
or rendered; HTML is turned to text (``app.channels.html_text``), never shown as HTML.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from typing import Any

from app.channels.html_text import html_to_text
from app.channels.reply_text import latest_reply

MAX_ATTACHMENTS_LISTED = 20
MAX_REFERENCES = 20
_MSG_ID = re.compile(r"<([^<>\s]{1,250})>")
_AUTO_PRECEDENCE = {"bulk", "junk", "auto_reply", "list"}
_DAEMONS = ("mailer-daemon", "postmaster")


@dataclass(frozen=True)
class Attachment:
    filename: str | None
    content_type: str
    size: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"filename": self.filename, "content_type": self.content_type, "size": self.size, "sha256": self.sha256}


@dataclass(frozen=True)
class ParsedEmail:
    raw_sha256: str
    message_id: str | None
    in_reply_to: list[str]
    references: list[str]
    from_address: str | None
    from_name: str | None
    reply_to: str | None
    to: list[str]
    subject: str | None
    date: datetime | None
    language: str | None
    text: str  # the whole text body
    reply: str  # the newest reply only: quoted history and signature removed
    stripped: bool
    html_body: bool
    attachments: list[Attachment] = field(default_factory=list)
    auto_reason: str | None = None  # why it looks machine-sent (bounce, auto-reply, bulk), else None


def _header(msg: Message, name: str) -> str | None:
    """A header as text; a header the policy cannot parse is read raw rather than failing the message."""
    try:
        value = msg.get(name)
    except Exception:
        raw = [v for k, v in msg.raw_items() if k.lower() == name.lower()] if isinstance(msg, EmailMessage) else []
        value = raw[0] if raw else None
    if value is None:
        return None
    text = clean_text(str(value)).strip()
    return text or None


def _ids(value: str | None) -> list[str]:
    if not value:
        return []
    found = _MSG_ID.findall(value)
    if not found and value.strip() and " " not in value.strip():
        found = [value.strip().strip("<>")]  # a bare id without brackets, seen from some clients
    return found


def clean_text(value: str) -> str:
    """Text the database can store: no NUL, no lone surrogates (``app.validation.text_problem``)."""
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _decoded(part: Message) -> str:
    try:
        content = part.get_content() if isinstance(part, EmailMessage) else None
        if isinstance(content, str):
            return clean_text(content)
    except (LookupError, UnicodeError, ValueError, AssertionError, KeyError):
        pass
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        charset = part.get_content_charset() or "utf-8"
        try:
            return clean_text(payload.decode(charset, "replace"))
        except (LookupError, ValueError, TypeError):  # an unknown or malformed charset name
            return clean_text(payload.decode("utf-8", "replace"))
    return clean_text(str(part.get_payload()))


def _bytes_of(part: Message) -> bytes:
    """The part's bytes as sent (decoded from base64/quoted-printable); an enclosed message as serialised."""
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return payload
    body = part.get_payload()
    if isinstance(body, list) and body and isinstance(body[0], Message):
        body = body[0]
    if isinstance(body, Message):
        try:
            return body.as_bytes()
        except Exception:  # a malformed enclosed message cannot always be re-serialised
            return str(body.get_payload()).encode("utf-8", "replace")
    return str(body).encode("utf-8", "replace")


def _attachment(part: Message) -> Attachment:
    payload = _bytes_of(part)
    try:
        filename = part.get_filename()
    except Exception:
        filename = None
    return Attachment(
        filename=clean_text(filename)[:200] if filename else None,
        content_type=part.get_content_type()[:100],
        size=len(payload),
        sha256=hashlib.sha256(payload).hexdigest(),
    )


def _is_attachment(part: Message) -> bool:
    disposition = (part.get_content_disposition() or "").lower()
    return disposition == "attachment" or part.get_content_maintype() not in ("text", "multipart")


def _walk(msg: Message, plain: list[str], html: list[str], attachments: list[Attachment]) -> None:
    """Collect text parts and attachments; an enclosed message (message/rfc822) is one attachment, not opened."""
    if msg.is_multipart() and msg.get_content_maintype() == "multipart":
        for part in msg.get_payload():
            if isinstance(part, Message):
                _walk(part, plain, html, attachments)
        return
    try:
        _leaf(msg, plain, html, attachments)
    except Exception:  # a part the email package cannot read is listed, empty, rather than failing the message
        attachments.append(Attachment(None, "application/octet-stream", 0, hashlib.sha256(b"").hexdigest()))


def _leaf(msg: Message, plain: list[str], html: list[str], attachments: list[Attachment]) -> None:
    if _is_attachment(msg):
        attachments.append(_attachment(msg))
        return
    subtype = msg.get_content_subtype()
    if subtype == "plain":
        plain.append(_decoded(msg))
    elif subtype == "html":
        html.append(_decoded(msg))
    else:  # text/x-whatever, text/rfc822-headers, text/calendar …: kept as a file, not shown as the message
        attachments.append(_attachment(msg))


def _auto_reason(msg: Message, from_address: str | None) -> str | None:
    """RFC 3834 and common practice: mail that no human wrote, which must never get an automatic reply."""
    auto = (_header(msg, "Auto-Submitted") or "no").lower()
    if auto != "no":
        return f"Auto-Submitted: {auto}"
    if msg.get_content_type() == "multipart/report":
        return "delivery or read report (multipart/report)"
    precedence = (_header(msg, "Precedence") or "").lower()
    if precedence in _AUTO_PRECEDENCE:
        return f"Precedence: {precedence}"
    if _header(msg, "X-Autoreply") or _header(msg, "X-Autorespond"):
        return "auto-reply header"
    local = (from_address or "").split("@", 1)[0].lower()
    if local in _DAEMONS or (from_address is None and (_header(msg, "From") or "").lower().startswith(_DAEMONS)):
        return f"sent by {local or 'a mail daemon'}"
    return None


def _date(msg: Message) -> datetime | None:
    value = _header(msg, "Date")
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _address(msg: Message, name: str) -> tuple[str | None, str | None]:
    value = _header(msg, name)
    if not value:
        return None, None
    display, address = parseaddr(value)
    address = address.strip().lower()
    if "@" not in address or len(address) > 200 or any(c.isspace() for c in address):  # 200: MessageIn's sender.id
        return None, display or None
    return address, (display.strip()[:200] or None)


def _message(raw: bytes) -> Message:
    """The parsed message; input the parser chokes on (NUL bytes in a charset name) is retried without NULs, then
    with the lenient legacy policy."""
    try:
        return message_from_bytes(raw, policy=policy.default)
    except Exception:
        cleaned = raw.replace(b"\x00", b"")
    try:
        return message_from_bytes(cleaned, policy=policy.default)
    except Exception:
        return message_from_bytes(cleaned, policy=policy.compat32)


def parse_email(raw: bytes) -> ParsedEmail:
    """Parse raw RFC 822 bytes; never raises for malformed mail (defects degrade to less information)."""
    msg = _message(raw)
    plain: list[str] = []
    html: list[str] = []
    attachments: list[Attachment] = []
    _walk(msg, plain, html, attachments)
    html_body = not any(p.strip() for p in plain) and bool(html)
    text = "\n\n".join(p.strip() for p in plain if p.strip())
    if html_body:
        text = "\n\n".join(t for t in (html_to_text(h) for h in html) if t)
    reply = latest_reply(text) if text else None
    from_address, from_name = _address(msg, "From")
    reply_to, _ = _address(msg, "Reply-To")
    try:
        to = [a.lower() for _n, a in getaddresses([_header(msg, "To") or ""]) if "@" in a][:10]
    except Exception:
        to = []
    language = (_header(msg, "Content-Language") or "").split(",")[0].strip() or None
    message_ids = _ids(_header(msg, "Message-ID"))
    return ParsedEmail(
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        message_id=message_ids[0] if message_ids else None,
        in_reply_to=_ids(_header(msg, "In-Reply-To"))[:5],
        references=_ids(_header(msg, "References")),
        from_address=from_address,
        from_name=from_name,
        reply_to=reply_to,
        to=to,
        subject=(_header(msg, "Subject") or "")[:500] or None,
        date=_date(msg),
        language=language,
        text=text,
        reply=reply.text if reply else "",
        stripped=reply.stripped if reply else False,
        html_body=html_body,
        attachments=attachments,
        auto_reason=_auto_reason(msg, from_address),
    )
