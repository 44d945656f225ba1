"""Who am I, and user administration (admins)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field
from sqlmodel import col, select

from app.auth.deps import Admin, CurrentUser
from app.auth.models import Role, User
from app.auth.service import UserError, create_user
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
