"""One row per approved reply to deliver: the outbox.

The row is written in the same transaction as the decision that approved the reply, so an approval is never
lost and nothing is queued without one. ``idempotency_key`` is fixed at that moment and travels with every
attempt (as the email's Message-ID, or the webhook's ``Idempotency-Key`` header), so a receiver that sees an
attempt twice — the worker died after sending, before recording — can drop the second.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class DeliveryStatus(StrEnum):
    QUEUED = "queued"  # waiting for (another) attempt
    SENT = "sent"  # the receiver accepted it
    FAILED = "failed"  # refused for good, or attempts exhausted: ``last_error`` says why; a retry requeues it


class Transport(StrEnum):
    SMTP = "smtp"
    WEBHOOK = "webhook"


class Delivery(SQLModel, table=True):
    __tablename__ = "deliveries"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    message_id: int = Field(foreign_key="messages.id", unique=True)  # the outbound Message row it delivers
    decision_id: int | None = Field(default=None, foreign_key="decisions.id")  # the approval, found before sending
    channel: str = Field(max_length=32)
    transport: str = Field(max_length=16)
    recipient: str = Field(default="", max_length=320)
    idempotency_key: str = Field(max_length=64, unique=True)
    message_id_header: str | None = Field(default=None, max_length=255)  # SMTP: fixed before the first attempt
    status: str = Field(default=DeliveryStatus.QUEUED.value, max_length=16, index=True)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = Field(default=None)
