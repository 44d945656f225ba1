"""The web form's CAPTCHA hook: one small protocol, a no-op default, and a verifier for the common services.

hCaptcha, reCAPTCHA and Cloudflare Turnstile share one "siteverify" API (POST ``secret``, ``response``,
``remoteip``; JSON ``{"success": true|false}``), so one class serves all three: set
``TRIAGE_CAPTCHA_VERIFY_URL`` and ``TRIAGE_CAPTCHA_SECRET``.
"""

from __future__ import annotations

from typing import Protocol

import httpx


class CaptchaUnavailable(Exception):
    """The verification service could not be asked (answered 503: the form may be sent again)."""


class CaptchaVerifier(Protocol):
    async def verify(self, token: str | None, remote_ip: str | None) -> bool:
        """True if ``token`` proves a person filled in the form."""
        ...


class NoCaptcha:
    """Default: no CAPTCHA (the per-IP rate limit and the honeypot field still apply)."""

    async def verify(self, token: str | None, remote_ip: str | None) -> bool:
        return True


class SiteverifyCaptcha:
    def __init__(
        self, url: str, secret: str, *, timeout_s: float = 5.0, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._url = url
        self._secret = secret
        self._timeout = timeout_s
        self._transport = transport

    async def verify(self, token: str | None, remote_ip: str | None) -> bool:
        if not token:
            return False
        form = {"secret": self._secret, "response": token}
        if remote_ip:
            form["remoteip"] = remote_ip
        try:
            async with httpx.AsyncClient(timeout=self._timeout, transport=self._transport) as client:
                response = await client.post(self._url, data=form)
            answer = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise CaptchaUnavailable(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code != 200 or not isinstance(answer, dict):
            raise CaptchaUnavailable(f"verification service answered HTTP {response.status_code}")
        return answer.get("success") is True
