"""Who am I, and user administration (admins)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, status
from pydantic import BaseModel, Field
from sqlmodel import col, select

from app.auth.deps import Admin, CurrentUser
from app.auth.models import Role, User
from app.auth.service import UserError, create_user, revoke_tokens, rotate_token, set_active
from app.deps import SessionDep

router = APIRouter(prefix="/v1", tags=["users"])


class UserIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    role: Role


@router.get("/me")
def me(user: CurrentUser) -> dict[str, Any]:
    return {"id": user.id, "name": user.name, "role": user.role}


@router.get("/users")
def list_users(session: SessionDep, _admin: Admin) -> dict[str, Any]:
    users = session.exec(select(User).order_by(col(User.id))).all()
    return {"items": [{"id": u.id, "name": u.name, "role": u.role, "active": u.active} for u in users]}


@router.post("/users", status_code=status.HTTP_201_CREATED)
def add_user(body: UserIn, session: SessionDep, _admin: Admin) -> dict[str, Any]:
    try:
        user, token = create_user(session, name=body.name, role=body.role.value)
    except UserError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    return {"id": user.id, "name": user.name, "role": user.role, "token": token}


UserName = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f]+$")]


def _user_change(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except UserError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc


@router.post("/users/{name}/deactivate")
def deactivate_user(name: UserName, session: SessionDep, admin: Admin) -> dict[str, Any]:
    """Stop a user at once: their API tokens and console sessions are refused from the next request."""
    if name == admin.name:
        raise HTTPException(status.HTTP_409_CONFLICT, "you cannot deactivate yourself; ask another admin")
    user = _user_change(lambda: set_active(session, name, active=False))
    return {"name": user.name, "active": user.active}


@router.post("/users/{name}/activate")
def activate_user(name: UserName, session: SessionDep, _admin: Admin) -> dict[str, Any]:
    user = _user_change(lambda: set_active(session, name, active=True))
    return {"name": user.name, "active": user.active}


@router.delete("/users/{name}/tokens")
def revoke_user_tokens(name: UserName, session: SessionDep, _admin: Admin) -> dict[str, Any]:
    """Revoke every API token of a user (a leaked token); the user stays, and can be given a new one."""
    return {"name": name, "revoked": _user_change(lambda: revoke_tokens(session, name))}


@router.post("/users/{name}/tokens", status_code=status.HTTP_201_CREATED)
def rotate_user_token(name: UserName, session: SessionDep, _admin: Admin) -> dict[str, Any]:
    """Revoke every token of a user and issue one new token, shown once."""
    return {"name": name, "token": _user_change(lambda: rotate_token(session, name))}
