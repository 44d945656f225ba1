"""Who is calling, and may they? Bearer tokens for the API, a session cookie for the console."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.auth.authorize import INGEST_ROLES, Credentials, check_role, invalid_token, missing_credentials
from app.auth.models import Role, User
from app.auth.service import user_for_token
from app.deps import get_engine

SESSION_COOKIE = "triage_session"


def _token_from(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "Authorization header must be 'Bearer <token>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return value.strip()
    return None


def current_user(request: Request, engine: Annotated[Engine, Depends(get_engine)]) -> User:
    token = _token_from(request)
    if token is None:
        cookie_user = getattr(request.state, "console_user", None)
        if isinstance(cookie_user, User):
            return cookie_user
        raise missing_credentials()
    with Session(engine, expire_on_commit=False) as session:
        user = user_for_token(session, token)
    if user is None:
        raise invalid_token()
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_roles(*roles: Role) -> Callable[[User], Coroutine[Any, Any, User]]:
    """A dependency that lets only ``roles`` through (403 names the roles that may)."""
    allowed = {r.value for r in roles}

    async def check(user: CurrentUser) -> User:
        check_role(user.role, allowed)
        return user

    return check


async def credentials(request: Request) -> Credentials:
    token = _token_from(request)
    if token is not None:
        return Credentials(token=token, console_user=None)
    cookie_user = getattr(request.state, "console_user", None)
    if isinstance(cookie_user, User):
        return Credentials(token=None, console_user=cookie_user)
    raise missing_credentials()


R = Role
Specialist = Annotated[User, Depends(require_roles(R.SPECIALIST, R.LEAD, R.ADMIN))]
Ingestor = Annotated[User, Depends(require_roles(*INGEST_ROLES))]
PolicyWriter = Annotated[User, Depends(require_roles(R.POLICY_WRITER, R.ADMIN))]
QA = Annotated[User, Depends(require_roles(R.QA, R.ADMIN))]
Admin = Annotated[User, Depends(require_roles(R.ADMIN))]
Lead = Annotated[User, Depends(require_roles(R.LEAD, R.ADMIN))]
AnyRole = Annotated[User, Depends(require_roles(R.SPECIALIST, R.LEAD, R.POLICY_WRITER, R.QA, R.ADMIN))]

PresentedCredentials = Annotated[Credentials, Depends(credentials)]
