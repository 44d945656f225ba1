"""Email thread index: which thread (and case) every Message-ID we have seen belongs to, ours included.

A reply names its parent in ``In-Reply-To``/``References``; looking those ids up here puts it in the parent's
thread even when the client trimmed ``References`` or the parent was our own outbound reply.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class EmailThread(SQLModel, table=True):
    __tablename__ = "email_threads"
    __table_args__ = (UniqueConstraint("header_id", name="uq_email_threads_header_id"),)

    id: int | None = Field(default=None, primary_key=True)
    header_id: str = Field(max_length=255)  # a Message-ID without its angle brackets, as received
    thread_id: str = Field(max_length=200)
    case_id: int | None = Field(default=None, foreign_key="cases.id", index=True)
    direction: str = Field(default="inbound", max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
