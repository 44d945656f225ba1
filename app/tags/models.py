"""``CaseTag``: one label on one case (a case carries each tag once)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.clock import utcnow

TAG_MAX = 40


class CaseTag(SQLModel, table=True):
    __tablename__ = "case_tags"
    __table_args__ = (UniqueConstraint("case_id", "tag", name="uq_case_tags_case_tag"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    tag: str = Field(max_length=TAG_MAX, index=True)
    added_by: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
