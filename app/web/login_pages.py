"""Sign in with a token, sign out, and send everyone to the page their role works on."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from app.auth.deps import SESSION_COOKIE
from app.auth.models import Role, User
from app.deps import ClockDep, SessionDep, SettingsDep
from app.web.guards import CsrfChecked, safe_next
from app.web.identity import LoginRefused, close_session, open_session, signer_for
from app.web.login_limiter import LoginLimiterDep, blocked_message, client_key, retry_after_header
from app.web.session import LOGIN_CSRF_COOKIE
from app.web.templating import current_claims, current_user, render

router = APIRouter(include_in_schema=False)

HOME_BY_ROLE = {
    Role.SPECIALIST.value: "/queue",
    Role.LEAD.value: "/escalations",
    Role.ADMIN.value: "/queue",
    Role.POLICY_WRITER.value: "/kb",
    Role.QA.value: "/qa",
}


def home_for(user: User) -> str:
    return HOME_BY_ROLE.get(user.role, "/kb")


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _login_form(request: Request, *, error: str | None, next_path: str, status_code: int = 200) -> Response:
    """The login page with a fresh double-submit CSRF pair (cookie + signed form field)."""
    nonce = secrets.token_urlsafe(16)
    response = render(
        request,
        "login.html",
        {"error": error, "next": next_path, "login_csrf": signer_for(request.app).login_csrf_token(nonce)},
        status_code=status_code,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, nonce, max_age=3600, path="/login", httponly=True, samesite="strict", secure=_secure(request)
    )
    return response


@router.get("/")
def index(request: Request) -> Response:
    user = current_user(request)
    return RedirectResponse(home_for(user) if user else "/login", status_code=303)


@router.get("/login")
def login_page(request: Request, next: Annotated[str | None, Query(max_length=500)] = None) -> Response:
    user = current_user(request)
    if user is not None:
        return RedirectResponse(safe_next(next) if next else home_for(user), status_code=303)
    return _login_form(request, error=None, next_path=safe_next(next))


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    limiter: LoginLimiterDep,
    token: Annotated[str, Form(max_length=500)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    signer = signer_for(request.app)
    next_path = safe_next(next)
    client = client_key(request)
    wait = limiter.retry_after(client)
    if wait is not None:  # refused before the token is even looked up
        response = _login_form(request, error=blocked_message(wait), next_path=next_path, status_code=429)
        response.headers["Retry-After"] = retry_after_header(wait)
        return response
    if not signer.check_login_csrf(request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token):
        error = "The sign-in form expired, or this browser blocks cookies. Please try again."
        return _login_form(request, error=error, next_path=next_path, status_code=403)
    if not token.strip():
        return _login_form(request, error="Paste your API token.", next_path=next_path, status_code=422)
    ttl = timedelta(hours=settings.session_ttl_hours)
    try:
        opened = open_session(session, token, now=clock.now(), ttl=ttl)
    except LoginRefused as exc:
        session.rollback()  # a refusal wrote nothing; end the transaction before the limiter takes its own
        limiter.failed(client)
        return _login_form(request, error=str(exc), next_path=next_path, status_code=401)
    session.commit()  # before the redirect: the next page must find the session row
    limiter.succeeded(client)
    target = next_path if next_path != "/" else home_for(opened.user)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signer.dumps(opened.claims),
        max_age=int(ttl.total_seconds()),
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, session: SessionDep) -> Response:
    claims = current_claims(request)
    if claims is not None:
        close_session(session, claims)
        session.commit()
    response = RedirectResponse("/login?notice=logged_out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response
