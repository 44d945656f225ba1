"""The Draft table (one answer for one version of a case) and specialists' flag corrections."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class Draft(SQLModel, table=True):
    __tablename__ = "drafts"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    case_version: int = Field(default=0)
    origin: str = Field(default="model", max_length=16)  # model | safety_template | specialist
    category: str = Field(max_length=64)
    priority: str = Field(max_length=4)
    risk_flags: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    reply: str = Field(sa_column=Column(Text, nullable=False))
    citations: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    findings: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    blocking: bool = Field(default=False)  # a blocking guardrail finding: cannot be approved without an edit
    provider: str = Field(max_length=64)
    model: str = Field(max_length=200)
    prompt_version: str = Field(max_length=80)
    taxonomy_version: str = Field(max_length=40)
    flag_model_version: str | None = Field(default=None, max_length=80)  # the risk-flag model that scored it
    confidence: float | None = None
    prompt_tokens: int = Field(default=0)
    completion_tokens: int = Field(default=0)
    latency_ms: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)


class FlagCorrection(SQLModel, table=True):
    __tablename__ = "flag_corrections"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    code: str = Field(max_length=40)
    action: str = Field(max_length=8)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    actor: str = Field(max_length=100)
    text: str = Field(sa_column=Column(Text, nullable=False))
    lang: str = Field(default="en", max_length=8)
    model_version: str | None = Field(default=None, max_length=80)
    created_at: datetime = Field(default_factory=utcnow, index=True)
