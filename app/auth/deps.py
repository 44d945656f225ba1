"""Who is calling, and may they? Bearer tokens for the API, a session cookie for the console."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy.engine import Engine
from sqlmodel import Session

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
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing credentials: send 'Authorization: Bearer <token>' (create one with `triage users add`)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    with Session(engine, expire_on_commit=False) as session:
        user = user_for_token(session, token)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "invalid or revoked token", headers={"WWW-Authenticate": "Bearer"}
        )
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_roles(*roles: Role) -> Callable[[User], User]:
    """A dependency that lets only ``roles`` through (403 names the roles that may)."""
    allowed = {r.value for r in roles}

    def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                f"role '{user.role}' may not do this; allowed: {', '.join(sorted(allowed))}",
            )
        return user

    return check


R = Role
Specialist = Annotated[User, Depends(require_roles(R.SPECIALIST, R.ADMIN))]
Ingestor = Annotated[User, Depends(require_roles(R.SPECIALIST, R.ADMIN, R.INTEGRATION))]
PolicyWriter = Annotated[User, Depends(require_roles(R.POLICY_WRITER, R.ADMIN))]
QA = Annotated[User, Depends(require_roles(R.QA, R.ADMIN))]
Admin = Annotated[User, Depends(require_roles(R.ADMIN))]
AnyRole = Annotated[User, Depends(require_roles(R.SPECIALIST, R.POLICY_WRITER, R.QA, R.ADMIN))]
