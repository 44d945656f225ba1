"""The SMTP listener (``triage smtp``): mail for the support address becomes cases, for self-hosting.

An MTA (or the world, behind one) delivers to it like to any mail server. The message is committed through
``accept_email`` before we answer ``250``, so an accepted email is never lost; a database problem answers
``451`` (the sender retries), a message no one could be answered answers ``550``. Recipients are checked at
``RCPT`` against ``TRIAGE_SMTP_LISTEN_RECIPIENTS``, so the listener is an inbox, never a relay: it forwards
nothing anywhere.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.cases.service import IngestConflict
from app.channels.email_intake import EmailOutcome, EmailRefused, accept_email
from app.channels.router import in_transaction
from app.clock import Clock
from app.config import Settings

log = logging.getLogger("triage.smtp")


def _reply_text(text: str) -> str:
    """One printable ASCII line, as an SMTP reply must be."""
    return "".join(c if 32 <= ord(c) < 127 else " " for c in text)[:400]


class InboundMailHandler:
    """aiosmtpd handler: ``RCPT`` checks the recipient, ``DATA`` ingests the message."""

    def __init__(self, engine: Engine, clock: Clock, settings: Settings) -> None:
        self._engine = engine
        self._clock = clock
        self._settings = settings
        entries = [e.strip().lower() for e in settings.smtp_listen_recipients.split(",") if e.strip()]
        self._addresses = {e for e in entries if not e.startswith("@")}
        self._domains = {e[1:] for e in entries if e.startswith("@")}

    def accepts(self, address: str) -> bool:
        if not self._addresses and not self._domains:
            return True
        address = address.strip().lower()
        return address in self._addresses or address.rpartition("@")[2] in self._domains

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if not self.accepts(address):
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def _ingest(self, raw: bytes) -> EmailOutcome:
        def work(session: Session) -> EmailOutcome:
            return accept_email(
                session,
                raw,
                actor="smtp",
                now=self._clock.now(),
                max_attempts=self._settings.job_max_attempts,
                max_body_bytes=self._settings.max_body_bytes,
            )

        return in_transaction(self._engine, work)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            outcome = await asyncio.to_thread(self._ingest, raw)
        except EmailRefused as exc:
            return f"550 5.6.0 {_reply_text(str(exc))}"
        except IngestConflict as exc:
            return f"554 5.6.0 {_reply_text(str(exc))}"
        except Exception:
            log.exception("smtp ingest failed")
            return "451 4.3.0 temporary failure storing the message; try again later"
        log.info("smtp message", extra={"status": outcome.status, "case_id": outcome.case_id})
        return f"250 2.0.0 {outcome.status}"


class ListenerController(Controller):
    """aiosmtpd's threaded controller; port 0 picks a free port (``.port`` tells which once started)."""

    def _trigger_server(self) -> None:
        if self.port == 0 and isinstance(self.server, asyncio.Server):
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


def listener(
    engine: Engine, clock: Clock, settings: Settings, *, host: str | None = None, port: int | None = None
) -> ListenerController:
    """A not-yet-started listener; ``.start()`` runs it on its own thread, ``.stop()`` ends it."""
    handler = InboundMailHandler(engine, clock, settings)
    # aiosmtpd logs every SMTP command line (addresses included) at INFO: we log no PII at INFO (STYLE.md, 9).
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    return ListenerController(
        handler,
        hostname=host or settings.smtp_listen_host,
        port=settings.smtp_listen_port if port is None else port,
        data_size_limit=settings.inbound_email_max_bytes,
        enable_SMTPUTF8=True,
        server_hostname="triage-desk",
    )
