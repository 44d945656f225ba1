"""Users, roles and hashed API tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from app.clock import utcnow


class Role(StrEnum):
    SPECIALIST = "specialist"
    LEAD = "lead"  # a senior specialist: everything a specialist does, plus assigning cases and releasing holds
    POLICY_WRITER = "policy_writer"
    QA = "qa"
    ADMIN = "admin"
    INTEGRATION = "integration"  # may only ingest messages


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=100)
    role: str = Field(max_length=32)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)


class ApiToken(SQLModel, table=True):
    """Only the SHA-256 of a token is stored: tokens are 256-bit random, so a slow hash adds nothing."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    label: str = Field(default="default", max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked: bool = Field(default=False)
