"""Decisions: what a specialist did with a draft. The ground truth QA evaluates against."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class Action(StrEnum):
    APPROVE = "approve"
    EDIT = "edit"
    REJECT = "reject"
    ESCALATE = "escalate"
    REDRAFT = "redraft"


class RejectReason(StrEnum):
    WRONG_CATEGORY = "wrong_category"
    WRONG_POLICY = "wrong_policy"
    FACTUALLY_WRONG = "factually_wrong"
    TONE = "tone"
    UNSAFE = "unsafe"
    NEEDS_INVESTIGATION = "needs_investigation"
    OTHER = "other"


class Decision(SQLModel, table=True):
    __tablename__ = "decisions"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    draft_id: int | None = Field(default=None, foreign_key="drafts.id")
    action: str = Field(max_length=16)
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    reason: str | None = Field(default=None, max_length=32)
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    edit_distance: int | None = None
    category: str | None = Field(default=None, max_length=64)
    prompt_version: str | None = Field(default=None, max_length=80)
    actor: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, index=True)
