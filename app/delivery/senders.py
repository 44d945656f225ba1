"""Where replies leave: SMTP for email, a signed POST for chat and DMs. Each behind a small interface, fakes beside.

The webhook side reuses ``app.escalation.webhook`` (``WebhookSender``, ``sign``, ``encode``): the same signature
scheme both ways, so a platform verifies our replies exactly as it verifies our escalation alerts.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from typing import Literal, Protocol

import httpx


class DeliveryRefused(Exception):
    """The receiver refused for good (a 5xx SMTP reply, a 4xx HTTP status): retrying would not help."""


class DeliveryDeferred(Exception):
    """Could not deliver now (connection refused, timeout, 4xx SMTP, 5xx HTTP): retried with backoff."""


class MailSender(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Hand ``message`` to the next hop; raise ``DeliveryRefused`` or ``DeliveryDeferred``."""
        ...


class SmtpMailSender:
    """smtplib on a worker thread (one connection per message: replies are few, and a fresh connection never
    carries a half-broken session from the last one)."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        security: Literal["none", "starttls", "tls"] = "none",
        username: str | None = None,
        password: str | None = None,
        timeout_s: float = 30.0,
    ) -> None:
        self._host = host
        self._port = port
        self._security = security
        self._username = username
        self._password = password
        self._timeout = timeout_s

    async def send(self, message: EmailMessage) -> None:
        await asyncio.to_thread(self._send, message)

    def _send(self, message: EmailMessage) -> None:
        try:
            if self._security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self._host, self._port, timeout=self._timeout, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
            with client:
                if self._security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if self._username:
                    client.login(self._username, self._password or "")
                client.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            # Not the address itself: this text is stored on the delivery and logged by the worker.
            detail = "; ".join(f"{code} {text.decode('utf-8', 'replace')}" for code, text in exc.recipients.values())
            if codes and all(code >= 500 for code in codes):
                raise DeliveryRefused(f"recipient refused: {detail}") from exc
            raise DeliveryDeferred(f"recipient deferred: {detail}") from exc
        except smtplib.SMTPResponseException as exc:
            text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
            message_text = f"SMTP {exc.smtp_code} {text}"
            if exc.smtp_code >= 500:
                raise DeliveryRefused(message_text) from exc
            raise DeliveryDeferred(message_text) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryDeferred(f"{type(exc).__name__}: {exc}") from exc


class RecordingMailSender:
    """A fake: keeps what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    async def send(self, message: EmailMessage) -> None:
        self.sent.append(message)


class ReplyWebhookSender:
    """``app.escalation.webhook.WebhookSender`` with one TLS context per process: building a context reads the CA
    bundle (~30 ms), which a burst of retries after an outage would otherwise pay on every request."""

    def __init__(self, timeout_s: float = 10.0) -> None:
        self._timeout = timeout_s
        self._tls = httpx.create_ssl_context()

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        async with httpx.AsyncClient(timeout=self._timeout, verify=self._tls) as client:
            response = await client.post(url, content=body, headers=headers)
            return response.status_code


def classify_http(status: int) -> type[Exception] | None:
    """None for success; which failure an HTTP status is (408/425/429/5xx are worth retrying)."""
    if 200 <= status < 300:
        return None
    if status in (408, 425, 429) or status >= 500:
        return DeliveryDeferred
    return DeliveryRefused
