"""Console sessions in the database, and the middleware that turns a session cookie into ``console_user``.

A console session is an ``ApiToken`` row with the label ``console-session`` whose clear value is thrown away at
once: nobody can use it as a bearer token, but revoking it (logout) ends the session on every process, with no
new table. ``app.auth.deps.current_user`` already falls back to ``request.state.console_user``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import anyio.to_thread
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from app.auth.deps import SESSION_COOKIE
from app.auth.models import ApiToken, Role, User
from app.auth.service import hash_token
from app.services import Services
from app.web.session import SessionClaims, SessionSigner, load_secret, new_nonce

SESSION_LABEL = "console-session"
CONSOLE_ROLES = frozenset(
    {Role.SPECIALIST.value, Role.LEAD.value, Role.POLICY_WRITER.value, Role.QA.value, Role.ADMIN.value}
)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginRefused(ValueError):
    """The token cannot open a console session; the message is shown on the login page."""


@dataclass(frozen=True)
class OpenedSession:
    user: User
    claims: SessionClaims


def signer_for(app: Starlette) -> SessionSigner:
    """One signer per app, kept on ``app.state`` (the secret file is read once per process)."""
    cached = getattr(app.state, "console_signer", None)
    if isinstance(cached, SessionSigner):
        return cached
    services: Services = app.state.services
    signer = SessionSigner(load_secret(services.settings))
    app.state.console_signer = signer
    return signer


def open_session(session: Session, token: str, *, now: datetime, ttl: timedelta) -> OpenedSession:
    """Check ``token`` and mint a session row for it; raises ``LoginRefused`` saying what is wrong."""
    login = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token.strip()))).first()
    if login is None or login.revoked or login.label == SESSION_LABEL:
        raise LoginRefused(
            "That token is not valid (or was revoked). Create one with `triage users add NAME --role ROLE`."
        )
    user = session.get(User, login.user_id)
    if user is None or not user.active:
        raise LoginRefused("This user is deactivated; ask an admin.")
    if user.role not in CONSOLE_ROLES:
        raise LoginRefused(f"The '{user.role}' role can only call the API; the console is for people.")
    row = ApiToken(
        user_id=login.user_id,
        token_hash=hash_token(secrets.token_urlsafe(32)),  # the clear value is discarded on purpose
        label=SESSION_LABEL,
        created_at=now,
    )
    session.add(row)
    session.flush()
    assert login.id is not None and row.id is not None and user.id is not None
    claims = SessionClaims(
        user_id=user.id,
        login_token_id=login.id,
        session_token_id=row.id,
        nonce=new_nonce(),
        expires_at=int((now + ttl).timestamp()),
    )
    return OpenedSession(user=user, claims=claims)


def resolve_session(session: Session, claims: SessionClaims) -> User | None:
    """The user behind verified claims, if both token rows are live and still theirs."""
    ids = (claims.login_token_id, claims.session_token_id)
    rows = {r.id: r for r in session.exec(select(ApiToken).where(col(ApiToken.id).in_(ids)))}
    login, current = rows.get(claims.login_token_id), rows.get(claims.session_token_id)
    if login is None or current is None or login.revoked or current.revoked or current.label != SESSION_LABEL:
        return None
    if not (login.user_id == current.user_id == claims.user_id):
        return None
    user = session.get(User, claims.user_id)
    return user if user is not None and user.active and user.role in CONSOLE_ROLES else None


def close_session(session: Session, claims: SessionClaims) -> None:
    """Revoke the session row: the cookie stops working everywhere, even if someone kept a copy."""
    row = session.get(ApiToken, claims.session_token_id)
    if row is not None and row.label == SESSION_LABEL and row.user_id == claims.user_id:
        row.revoked = True
        session.add(row)


def _lookup(engine: Engine, claims: SessionClaims) -> User | None:
    with Session(engine, expire_on_commit=False) as session:
        return resolve_session(session, claims)


class ConsoleSessionMiddleware:
    """Sets ``request.state.console_user`` (and ``console_claims``) from a valid session cookie.

    Requests with an ``Authorization`` header are left to bearer auth. A cookie alone never authorises an unsafe
    call to the JSON API: ``/v1`` POST/PUT/DELETE also need the session's CSRF token in ``X-CSRF-Token``, so a
    cross-site form cannot ride the session even where SameSite is not honoured.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._attach(scope)
        await self.app(scope, receive, send)

    async def _attach(self, scope: Scope) -> None:
        headers = Headers(scope=scope)
        if "authorization" in headers:
            return
        value = cookie_parser(headers.get("cookie", "")).get(SESSION_COOKIE)
        if not value:
            return
        if str(scope.get("path", "")).startswith("/static/"):
            return
        app: Starlette = scope["app"]
        services: Services = app.state.services
        signer = signer_for(app)
        claims = signer.loads(value, now=services.clock.now().timestamp())
        if claims is None:
            return
        is_api = str(scope.get("path", "")).startswith("/v1/")
        unsafe = is_api and scope.get("method") not in _SAFE_METHODS
        if unsafe and not signer.check_csrf(claims, headers.get("x-csrf-token")):
            return
        user = await anyio.to_thread.run_sync(_lookup, services.engine, claims)
        if user is not None:
            state = scope.setdefault("state", {})
            state["console_user"] = user
            state["console_claims"] = claims
