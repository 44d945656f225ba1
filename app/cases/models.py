"""Case, Message and CaseEvent tables.

A case is one conversation with one requester on one channel thread. Events are append-only: every status
change and every action writes one, which is the audit log the review side reads.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class Case(SQLModel, table=True):
    __tablename__ = "cases"
    # ingest finds a thread's case on every message
    __table_args__ = (Index("ix_cases_channel_thread_key", "channel", "thread_key"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(index=True, max_length=32)
    thread_key: str = Field(index=True, max_length=400)
    requester_id: str = Field(index=True, max_length=200)
    requester_kind: str = Field(max_length=16)
    requester_name: str | None = Field(default=None, max_length=200)
    subject: str | None = Field(default=None, max_length=500)
    locale: str | None = Field(default=None, max_length=16)
    status: str = Field(index=True, max_length=32)
    category: str | None = Field(default=None, index=True, max_length=64)
    priority: str | None = Field(default=None, index=True, max_length=4)
    severity_rank: int = Field(default=4, index=True)  # 0 critical … 4 no flag; the queue's first key
    flag_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    version: int = Field(default=0)  # bumped per inbound message: a draft belongs to one case version
    first_received_at: datetime = Field(default_factory=utcnow)
    last_message_at: datetime = Field(default_factory=utcnow, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Message(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_messages_channel_external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    direction: str = Field(default="inbound", max_length=16)
    channel: str = Field(max_length=32)
    external_id: str = Field(max_length=200)
    sender_id: str = Field(max_length=200)
    sender_kind: str = Field(max_length=16)
    sender_name: str | None = Field(default=None, max_length=200)
    subject: str | None = Field(default=None, max_length=500)
    body: str = Field(sa_column=Column(Text, nullable=False))
    locale: str | None = Field(default=None, max_length=16)
    received_at: datetime = Field(default_factory=utcnow)
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column("metadata", JSON, nullable=False))
    request_hash: str = Field(max_length=64)
    ingest_status: str = Field(default="new", max_length=32)  # the status answered at ingest, for exact replays
    created_at: datetime = Field(default_factory=utcnow)


class IdempotencyKey(SQLModel, table=True):
    """An ``Idempotency-Key`` header and the request it first came with; replays answer the same."""

    __tablename__ = "idempotency_keys"

    key: str = Field(primary_key=True, max_length=200)
    request_hash: str = Field(max_length=64)
    message_id: int = Field(foreign_key="messages.id")
    created_at: datetime = Field(default_factory=utcnow)


class CaseEvent(SQLModel, table=True):
    """Append-only audit log: nothing updates or deletes these rows."""

    __tablename__ = "case_events"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: str = Field(max_length=48)
    actor: str = Field(max_length=200)
    from_status: str | None = Field(default=None, max_length=32)
    to_status: str | None = Field(default=None, max_length=32)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True)
