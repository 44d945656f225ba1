"""Real peers on loopback for the channel tests, and a light app that needs no model.

- ``Mailbox``: an aiosmtpd server standing in for the requester's mail server; it keeps every message it is
  handed and deduplicates by Message-ID, as a mail store does.
- ``Receiver``: a real HTTP server standing in for the platform's messaging API; it verifies our signature and
  timestamp and deduplicates by ``Idempotency-Key``. It can be stopped and started again on the same port.
- ``light_services``: ``Services`` on a fresh SQLite file with a ``ManualClock`` and nothing heavy built (the
  tests run only the delivery job, so no embedder, index or model is loaded).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from sqlmodel import Session

from app.auth.service import create_user
from app.channels.smtp import ListenerController
from app.clock import ManualClock
from app.config import Settings
from app.delivery.outbox import DELIVERY_JOB
from app.escalation.webhook import sign, verify
from app.jobs.worker import Worker
from app.migrate import upgrade
from app.services import Services

SECRET = "reply-secret-for-tests"
INBOUND_SECRET = "inbound-secret-for-tests"


class Mailbox:
    """aiosmtpd handler: RCPT can be refused (``refuse_with``), DATA is stored."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.refuse_with: str | None = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return "250 OK"

    @property
    def unique(self) -> dict[str, EmailMessage]:
        """What a mail store keeps: one message per Message-ID."""
        kept: dict[str, EmailMessage] = {}
        for message in self.received:
            kept.setdefault(str(message["Message-ID"]), message)
        return kept


def start_mailbox() -> tuple[Mailbox, ListenerController]:
    mailbox = Mailbox()
    server = ListenerController(mailbox, hostname="127.0.0.1", port=0)
    server.start()
    return mailbox, server


@dataclass
class Receiver:
    """The platform's messaging API: verifies every request, stores each Idempotency-Key once."""

    secret: str = SECRET
    tolerance_s: int = 300
    clock: ManualClock | None = None  # the receiver's clock: ours, so the replay window is checked for real
    requests: list[dict[str, Any]] = field(default_factory=list)
    stored: dict[str, dict[str, Any]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    answer: int = 200
    port: int = 0
    _server: ThreadingHTTPServer | None = None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                timestamp = self.headers.get("X-Triage-Timestamp", "")
                signature = self.headers.get("X-Triage-Signature", "")
                key = self.headers.get("Idempotency-Key", "")
                now = (receiver.clock.now().timestamp()) if receiver.clock else time.time()
                status = receiver.answer
                if not verify(receiver.secret, timestamp, body, signature):
                    receiver.rejected.append("signature")
                    status = 401
                elif abs(now - int(timestamp)) > receiver.tolerance_s:
                    receiver.rejected.append("stale")
                    status = 401
                elif status < 300:
                    receiver.requests.append({"key": key, "payload": json.loads(body)})
                    receiver.stored.setdefault(key, json.loads(body))  # a second copy is acknowledged, not stored
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

        return Handler

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/replies"

    def start(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def reserve_port() -> int:
    """A port that is free now (for a receiver that starts later: it must be down at first)."""
    receiver = Receiver()
    receiver.start()
    port = receiver.port
    receiver.stop()
    return port


def light_services(tmp_path: Path, clock: ManualClock, database_url: str | None = None, **settings: Any) -> Services:
    config = Settings(
        data_dir=tmp_path,
        database_url=database_url or f"sqlite:///{tmp_path / 'triage.db'}",
        embedded_worker=False,
        **{"job_backoff_base_s": 0, "job_backoff_max_s": 0, **settings},
    )
    upgrade(config.resolved_database_url)
    return Services(config, clock=clock)


def token(services: Services, role: str, name: str | None = None) -> str:
    with Session(services.engine, expire_on_commit=False) as session:
        _user, value = create_user(session, name=name or f"t-{role}", role=role)
        session.commit()
    return value


def delivery_worker(services: Services, **kwargs: Any) -> Worker:
    """A worker that runs only delivery jobs (screening and drafting need the models; these tests do not)."""
    handler = services.delivery_handler() if not kwargs else kwargs["handler"]
    return Worker(services.engine, {DELIVERY_JOB: handler}, services.clock, services.settings)


def run_jobs(worker: Worker) -> int:
    return asyncio.run(worker.drain())


def signed(body: bytes, *, secret: str = INBOUND_SECRET, timestamp: int) -> dict[str, str]:
    stamp = str(timestamp)
    return {
        "content-type": "application/json",
        "X-Triage-Timestamp": stamp,
        "X-Triage-Signature": sign(secret, stamp, body),
    }
