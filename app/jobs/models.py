"""Durable jobs: a row per unit of work with a lease, attempts and a next-run time."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class JobStatus(StrEnum):
    QUEUED = "queued"  # waiting for run_at
    RUNNING = "running"  # leased by a worker until lease_until
    DONE = "done"
    DEAD = "dead"  # attempts exhausted: kept with its last error, never dropped


class JobPriority:
    """Lower runs first: a critical case's draft, then screening of new messages, then ordinary drafting."""

    CRITICAL = 0
    SCREEN = 1
    MODEL_SCREEN = 2
    HIGH = 3
    NORMAL = 5
    BACKGROUND = 7


class Job(SQLModel, table=True):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_claim", "status", "priority", "run_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=48, index=True)
    case_id: int | None = Field(default=None, foreign_key="cases.id", index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=JobStatus.QUEUED.value, max_length=16)
    priority: int = Field(default=JobPriority.NORMAL, sa_column_kwargs={"server_default": "5"})
    attempts: int = Field(default=0)
    max_attempts: int = Field(default=6)
    run_at: datetime = Field(default_factory=utcnow)
    lease_until: datetime | None = Field(default=None)
    locked_by: str | None = Field(default=None, max_length=200)
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = Field(default=None)
