"""Signed escalation webhooks: ``X-Triage-Signature: sha256=HMAC(secret, timestamp + "." + body)``.

Receivers verify the signature and reject stale timestamps, so a captured request cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any, Protocol

import httpx


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


class WebhookSender(Protocol):
    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        """POST and return the HTTP status; raise on a network error."""
        ...


class HttpxWebhookSender:
    def __init__(self, timeout_s: float = 10.0, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._timeout = timeout_s
        self._transport = transport

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        async with httpx.AsyncClient(timeout=self._timeout, transport=self._transport) as client:
            response = await client.post(url, content=body, headers=headers)
            return response.status_code
