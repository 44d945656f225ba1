"""One row per LLM (or offline provider) call: cost, latency and outcome, never the message text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class LLMCall(SQLModel, table=True):
    __tablename__ = "llm_calls"

    id: int | None = Field(default=None, primary_key=True)
    correlation_id: str = Field(index=True, max_length=100)
    provider: str = Field(max_length=64)
    model: str = Field(max_length=200)
    prompt_name: str = Field(max_length=100)
    prompt_version: str = Field(max_length=80)
    prompt_tokens: int = Field(default=0)
    completion_tokens: int = Field(default=0)
    latency_ms: int = Field(default=0)
    outcome: str = Field(max_length=32)  # ok | invalid_output | error | timeout | rate_limited
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, index=True)
