"""One row per counted attempt (a failed sign-in, a web-form submission), shared by every API process."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class RateLimitHit(SQLModel, table=True):
    __tablename__ = "rate_limit_hits"
    __table_args__ = (
        Index("ix_rate_limit_hits_client", "scope", "client", "at"),
        Index("ix_rate_limit_hits_expiry", "scope", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=32)  # which limit counts it: "login", "webform"
    client: str = Field(max_length=200)  # the client address the ASGI server reported
    at: datetime = Field(default_factory=utcnow)
