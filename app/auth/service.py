"""Create users and tokens, and resolve a bearer token to its user."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, false
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from app.auth.models import ApiToken, Role, User

TOKEN_PREFIX = "tdk_"  # noqa: S105 - a prefix, not a secret
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$")


class UserError(ValueError):
    """A user cannot be created as asked; the message says why."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(session: Session, *, name: str, role: str) -> tuple[User, str]:
    """Create a user with one token; returns the token in clear exactly once."""
    if not _NAME.match(name):
        raise UserError(f"invalid user name {name!r}: use 1-100 letters, digits, '_', '.', '@' or '-'")
    try:
        parsed_role = Role(role)
    except ValueError as exc:
        raise UserError(f"unknown role {role!r}: choose one of {', '.join(r.value for r in Role)}") from exc
    if session.exec(select(User).where(User.name == name)).first() is not None:
        raise UserError(f"a user named {name!r} already exists")
    user = User(name=name, role=parsed_role.value)
    session.add(user)
    session.flush()
    token = issue_token(session, user)
    return user, token


def issue_token(session: Session, user: User, label: str = "default") -> str:
    assert user.id is not None
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), label=label))
    return token


@dataclass(frozen=True)
class Caller:
    """Who a valid token belongs to: enough to authorise a call without loading the ORM user."""

    user_id: int
    name: str
    role: str


_CALLER = (
    select(User.id, User.name, User.role)
    .join(ApiToken, col(ApiToken.user_id) == col(User.id))
    .where(ApiToken.token_hash == bindparam("token_hash"), col(ApiToken.revoked).is_(false()), col(User.active))
)


def caller_for_token(connection: Connection, token: str) -> Caller | None:
    """The active user owning ``token``, or None (unknown, revoked or deactivated): one indexed query.

    Never cached: a revoked token or a deactivated user is refused on the very next request, in every process.
    """
    row = connection.execute(_CALLER, {"token_hash": hash_token(token)}).first()
    return None if row is None else Caller(user_id=row.id, name=row.name, role=row.role)


def user_for_token(session: Session, token: str) -> User | None:
    """The active user owning ``token``, or None (unknown, revoked or deactivated)."""
    caller = caller_for_token(session.connection(), token)
    return None if caller is None else session.get(User, caller.user_id)


def _named(session: Session, name: str) -> User:
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None:
        raise UserError(f"no user named {name!r}")
    return user


def revoke_tokens(session: Session, name: str) -> int:
    """Revoke every token of ``name`` (a leaked token, a lost laptop); returns how many were live."""
    user = _named(session, name)
    live = list(session.exec(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked == False)))  # noqa: E712
    for row in live:
        row.revoked = True
        session.add(row)
    return len(live)


def rotate_token(session: Session, name: str) -> str:
    """Revoke every token of ``name`` and issue one new one (shown once)."""
    revoke_tokens(session, name)
    return issue_token(session, _named(session, name), label="rotated")


def set_active(session: Session, name: str, *, active: bool) -> User:
    """Deactivate (every token and console session stops working at once) or reactivate a user."""
    user = _named(session, name)
    user.active = active
    session.add(user)
    return user
