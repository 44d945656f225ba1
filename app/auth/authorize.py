"""Authorisation that needs no request: the credentials a caller presented, checked on a given connection.

Kept apart from ``app.auth.deps`` (the FastAPI dependencies) so code below the routers, such as the ingest writer
that checks tokens inside its own transaction, can use it without importing the web layer's dependencies.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, status
from sqlalchemy.engine import Connection

from app.auth.models import Role, User
from app.auth.service import Caller, caller_for_token

INGEST_ROLES = (Role.SPECIALIST, Role.LEAD, Role.ADMIN, Role.INTEGRATION)


def check_role(role: str, allowed: frozenset[str] | set[str]) -> None:
    if role not in allowed:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, f"role '{role}' may not do this; allowed: {', '.join(sorted(allowed))}"
        )


@dataclass(frozen=True)
class Credentials:
    """What the caller presented, not yet checked against the database: a bearer token or a console user.

    For hot paths (ingest) that verify the token inside their own transaction with ``authorize``: one connection
    and one round trip fewer than ``current_user``, and still never a cached answer.
    """

    token: str | None
    console_user: User | None


def authorize(connection: Connection, presented: Credentials, *roles: Role) -> Caller:
    """The caller behind ``presented`` if it is valid and has one of ``roles`` (401 or 403 otherwise)."""
    if presented.console_user is not None:
        user = presented.console_user
        assert user.id is not None
        caller = Caller(user_id=user.id, name=user.name, role=user.role)
    else:
        assert presented.token is not None
        found = caller_for_token(connection, presented.token)
        if found is None:
            raise invalid_token()
        caller = found
    check_role(caller.role, {r.value for r in roles})
    return caller


def missing_credentials() -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        "missing credentials: send 'Authorization: Bearer <token>' (create one with `triage users add`)",
        headers={"WWW-Authenticate": "Bearer"},
    )


def invalid_token() -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, "invalid or revoked token", headers={"WWW-Authenticate": "Bearer"}
    )
