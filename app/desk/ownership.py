"""Claim / assign / release for any case in the queue, one at a time or in bulk — a thin layer over
:mod:`app.safety.ownership`, which holds the rules (an escalation keeps its acknowledgement clock)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlmodel import Session, col, select

from app.auth.models import User
from app.cases.models import Case
from app.config import Settings
from app.safety import ownership
from app.safety.ownership import DESK_ROLES, OwnershipRefused
from app.validation import DB_INT_MAX, text_problem

BULK_MAX = 200


class OwnerAction(StrEnum):
    CLAIM = "claim"
    ASSIGN = "assign"
    RELEASE = "release"


class OwnershipIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: OwnerAction
    owner: str | None = Field(default=None, min_length=1, max_length=100, description="for assign: a user name")

    @model_validator(mode="after")
    def _owner_for_assign(self) -> OwnershipIn:
        problem = text_problem(self.owner) if self.owner else None
        if problem is not None:
            raise ValueError(f"owner: {problem}")
        if self.action is OwnerAction.ASSIGN and not self.owner:
            raise ValueError("owner: assign needs the user name of a specialist, lead or admin")
        if self.action is not OwnerAction.ASSIGN and self.owner:
            raise ValueError(f"owner: only assign takes an owner ({self.action.value} acts for you)")
        return self


class BulkOwnershipIn(OwnershipIn):
    case_ids: list[Annotated[int, Field(ge=1, le=DB_INT_MAX)]] = Field(min_length=1, max_length=BULK_MAX)


def apply(
    session: Session, case: Case, body: OwnershipIn, *, user: User, now: datetime, settings: Settings
) -> str | None:
    """Apply one ownership change; the case's owner afterwards. Raises OwnershipRefused."""
    if body.action is OwnerAction.CLAIM:
        watch = ownership.take(session, case, actor=user.name, now=now)
    elif body.action is OwnerAction.ASSIGN:
        assert body.owner is not None
        watch = ownership.give(
            session, case, owner=body.owner, actor=user.name, role=user.role, now=now, settings=settings
        )
    else:
        watch = ownership.release(session, case, actor=user.name, role=user.role, now=now, settings=settings)
    return watch.owner if watch.closed_at is None else None


def desk_users(session: Session) -> list[str]:
    """Who a case can be assigned to (active specialists, leads and admins), by name."""
    rows = session.exec(select(User).where(col(User.active), col(User.role).in_(sorted(DESK_ROLES))))
    return sorted(u.name for u in rows)


__all__ = ["BULK_MAX", "BulkOwnershipIn", "OwnerAction", "OwnershipIn", "OwnershipRefused", "apply", "desk_users"]
