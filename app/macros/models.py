"""``MacroVersion``: one version of one macro (``slug`` + ``version`` is unique; the newest is current)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class MacroVersion(SQLModel, table=True):
    __tablename__ = "macro_versions"
    __table_args__ = (UniqueConstraint("slug", "version", name="uq_macro_versions_slug_version"),)

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, index=True)
    version: int
    title: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    author: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
