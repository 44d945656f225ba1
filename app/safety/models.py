"""Tables for critical-case handling: who owns an escalation, what was promised, what is preserved, what is sent.

- ``CaseWatch``: one per escalated case — its owner, its acknowledgement deadline and how often it re-alerted;
  an ordinary case someone claimed from the queue has one too, with ``escalated`` false (owner only, no clock).
- ``FollowUpTask``: something the team told the requester it would do, with a due time.
- ``PreservationHold``: the case's messages, metadata, snapshot and audit trail may not change until released.
- ``DeletionRequest``: a privacy deletion that waits while a hold lasts and runs when none does.
- ``Resolution``: the code a critical case was closed with, and who confirmed it.
- ``ReferralPacket``: a CyberTipline-shaped report, a law-enforcement request intake or a DSA statement of
  reasons, generated from the case and reviewed by a person before anything leaves.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Text, true
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class CaseWatch(SQLModel, table=True):
    __tablename__ = "case_watches"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", unique=True)
    flags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    owner: str | None = Field(default=None, max_length=100, index=True)
    owner_since: datetime | None = None
    ack_due_at: datetime = Field(index=True)
    acked_at: datetime | None = None
    acked_by: str | None = Field(default=None, max_length=100)
    realerts: int = Field(default=0)
    last_alert_at: datetime | None = None
    opened_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None
    # false: desk ownership of an ordinary case (issue 14); no acknowledgement clock, not on the escalation queue
    escalated: bool = Field(default=True, sa_column_kwargs={"server_default": true()})


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class FollowUpTask(SQLModel, table=True):
    __tablename__ = "followup_tasks"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    title: str = Field(max_length=300)
    promise: str = Field(sa_column=Column(Text, nullable=False))  # the sentence of the reply that promised it
    source: str = Field(default="reply", max_length=16)  # reply | manual
    decision_id: int | None = Field(default=None, foreign_key="decisions.id")  # the reply that promised it
    status: str = Field(default=TaskStatus.OPEN.value, max_length=8, index=True)
    due_at: datetime = Field(index=True)
    assignee: str | None = Field(default=None, max_length=100)
    created_by: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    done_at: datetime | None = None
    done_by: str | None = Field(default=None, max_length=100)
    done_note: str | None = Field(default=None, max_length=500)


class PreservationHold(SQLModel, table=True):
    __tablename__ = "preservation_holds"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    reason: str = Field(max_length=64)  # a flag code, or law_enforcement_request
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    placed_by: str = Field(max_length=100)
    placed_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)
    released_at: datetime | None = None
    released_by: str | None = Field(default=None, max_length=100)
    release_note: str | None = Field(default=None, max_length=500)


class DeletionStatus(StrEnum):
    QUEUED = "queued"  # a hold covers at least one of the requester's cases
    EXECUTED = "executed"


class DeletionRequest(SQLModel, table=True):
    __tablename__ = "deletion_requests"

    id: int | None = Field(default=None, primary_key=True)
    requester_id: str = Field(max_length=200, index=True)
    status: str = Field(default=DeletionStatus.QUEUED.value, max_length=16, index=True)
    requested_by: str = Field(max_length=100)
    note: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    executed_at: datetime | None = None
    erased_messages: int = Field(default=0)
    waiting_on: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # held case ids


class Resolution(SQLModel, table=True):
    __tablename__ = "case_resolutions"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    decision_id: int | None = Field(default=None, foreign_key="decisions.id")
    code: str = Field(max_length=40)
    note: str | None = Field(default=None, max_length=2000)
    flags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    actor: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow)


class PacketKind(StrEnum):
    CYBERTIPLINE = "cybertipline"
    LAW_ENFORCEMENT = "law_enforcement"
    STATEMENT_OF_REASONS = "statement_of_reasons"


class PacketStatus(StrEnum):
    DRAFT = "draft"  # generated; nothing leaves until a person approves it
    APPROVED = "approved"
    REJECTED = "rejected"


class ReferralPacket(SQLModel, table=True):
    __tablename__ = "referral_packets"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: str = Field(max_length=32, index=True)
    status: str = Field(default=PacketStatus.DRAFT.value, max_length=16, index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_by: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    reviewed_by: str | None = Field(default=None, max_length=100)
    reviewed_at: datetime | None = None
    review_note: str | None = Field(default=None, max_length=500)
