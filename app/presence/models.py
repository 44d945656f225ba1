"""``CasePresence``: one person on one case — viewing or editing — and when their page last said so."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class CasePresence(SQLModel, table=True):
    __tablename__ = "case_presence"
    __table_args__ = (UniqueConstraint("case_id", "user_name", name="uq_case_presence_case_user"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    user_name: str = Field(max_length=100)
    state: str = Field(max_length=16)  # viewing | editing
    seen_at: datetime = Field(default_factory=utcnow)
