"""Publish a macro version and read the current ones."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlmodel import Session, col, func, select

from app.macros.models import MacroVersion
from app.validation import text_problem

SLUG = r"^[a-z0-9][a-z0-9-]{0,79}$"


class MacroIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str = Field(pattern=SLUG, description="lower-case letters, digits and dashes")
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=8000)

    @field_validator("title", "body")
    @classmethod
    def _storable(cls, value: str) -> str:
        problem = text_problem(value)
        if problem is not None:
            raise ValueError(problem)
        if not value.strip():
            raise ValueError("needs some text")
        return value.strip()


def publish(session: Session, body: MacroIn, *, author: str, now: datetime) -> MacroVersion:
    """A new version of the macro (version 1 for a new slug); earlier versions stay as they were."""
    latest = session.exec(select(func.max(MacroVersion.version)).where(MacroVersion.slug == body.slug)).one()
    row = MacroVersion(
        slug=body.slug, version=int(latest or 0) + 1, title=body.title, body=body.body, author=author, created_at=now
    )
    session.add(row)
    session.flush()
    return row


def current_macros(session: Session) -> list[MacroVersion]:
    """The newest version of every macro, by title."""
    newest = (
        select(MacroVersion.slug, func.max(MacroVersion.version).label("v")).group_by(col(MacroVersion.slug)).subquery()
    )
    rows = session.exec(
        select(MacroVersion).join(
            newest, (col(MacroVersion.slug) == newest.c.slug) & (col(MacroVersion.version) == newest.c.v)
        )
    )
    return sorted(rows, key=lambda m: m.title.lower())


def history(session: Session, slug: str) -> list[MacroVersion]:
    return list(session.exec(select(MacroVersion).where(MacroVersion.slug == slug).order_by(col(MacroVersion.version))))


def macro_view(row: MacroVersion) -> dict[str, Any]:
    return {
        "slug": row.slug,
        "version": row.version,
        "title": row.title,
        "body": row.body,
        "author": row.author,
        "created_at": row.created_at,
    }
