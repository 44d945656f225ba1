"""Signed console session cookies and the CSRF tokens derived from them (crypto only; no database here).

The cookie carries the ids of two token rows (the one the user signed in with, and one minted for this console
session) plus an expiry and a nonce, signed with HMAC-SHA256. The signature lets us drop forged or tampered
cookies without touching the database; the token rows make a session revocable server-side (logout revokes the
session row, revoking the user's API token ends every console session it opened).

CSRF tokens are HMACs of the session nonce, so they need no storage and change with every login. The login form
(no session yet) uses a signed double-submit value instead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from app.config import Settings

SECRET_FILE = "session_secret"  # noqa: S105 - a file name, not a secret
LOGIN_CSRF_COOKIE = "triage_login_csrf"


def load_secret(settings: Settings) -> bytes:
    """The configured secret, or one generated once and kept (mode 0600) under ``data_dir``.

    Creation uses ``O_EXCL`` so two processes starting together agree on one secret instead of each writing its
    own (which would sign the other's cookies out).
    """
    if settings.session_secret is not None:
        configured = settings.session_secret.get_secret_value().encode()
        if len(configured) < 32:
            raise ValueError("TRIAGE_SESSION_SECRET must be at least 32 characters (use `openssl rand -hex 32`)")
        return configured
    path = Path(settings.data_dir) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        existing = path.read_text(encoding="ascii").strip()
        if len(existing) < 32:
            raise ValueError(
                f"{path} holds a secret shorter than 32 characters; delete it to generate a new one"
            ) from None
        return existing.encode()
    value = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    return value.encode()


@dataclass(frozen=True)
class SessionClaims:
    """What a session cookie asserts; valid only together with a good signature and live token rows."""

    user_id: int
    login_token_id: int
    session_token_id: int
    nonce: str
    expires_at: int  # unix seconds


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Signs and verifies session cookies and derives CSRF tokens; every MAC is domain-separated by a prefix."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _mac(self, purpose: str, data: str) -> str:
        return hmac.new(self._secret, f"{purpose}|{data}".encode(), hashlib.sha256).hexdigest()

    def dumps(self, claims: SessionClaims) -> str:
        payload = _b64(json.dumps(asdict(claims), separators=(",", ":"), sort_keys=True).encode())
        return f"{payload}.{self._mac('session', payload)}"

    def loads(self, value: str, *, now: float) -> SessionClaims | None:
        """The claims of a well-signed, unexpired cookie; None for anything else (never raises)."""
        payload, _, signature = value.partition(".")
        if not payload or not hmac.compare_digest(signature, self._mac("session", payload)):
            return None
        try:
            raw = json.loads(_unb64(payload))
            claims = SessionClaims(
                user_id=int(raw["user_id"]),
                login_token_id=int(raw["login_token_id"]),
                session_token_id=int(raw["session_token_id"]),
                nonce=str(raw["nonce"]),
                expires_at=int(raw["expires_at"]),
            )
        except (ValueError, KeyError, TypeError):
            return None
        return claims if claims.expires_at > now else None

    def csrf_token(self, claims: SessionClaims) -> str:
        return self._mac("csrf", f"{claims.session_token_id}:{claims.nonce}")

    def check_csrf(self, claims: SessionClaims, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(str(token), self.csrf_token(claims))

    def login_csrf_token(self, cookie_value: str) -> str:
        """The form half of the login double-submit pair; signed so a planted cookie alone cannot forge it."""
        return self._mac("login-csrf", cookie_value)

    def check_login_csrf(self, cookie_value: str | None, token: str | None) -> bool:
        if not cookie_value or not token:
            return False
        return hmac.compare_digest(str(token), self.login_csrf_token(cookie_value))


def new_nonce() -> str:
    return secrets.token_urlsafe(16)
