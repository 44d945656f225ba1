"""API models for ingest and case reads."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from app.validation import SafeText, json_problem, sane_instant


class Channel(StrEnum):
    IN_APP_CHAT = "in_app_chat"
    EMAIL = "email"
    WEB_FORM = "web_form"
    SOCIAL_DM = "social_dm"
    API = "api"


class SenderKind(StrEnum):
    USER = "user"
    CREATOR = "creator"
    AGENCY = "agency"


class SenderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: SafeText = Field(min_length=1, max_length=200)
    kind: SenderKind
    name: SafeText | None = Field(default=None, max_length=200)


class MessageIn(BaseModel):
    """The ingest shape shared by every channel.

    Every text field refuses NUL and lone surrogates, ``received_at`` must be a plausible time and ``metadata``
    must be JSON both databases can store and give back (``app.validation``): a message accepted here can always
    be stored, queued and shown.
    """

    model_config = ConfigDict(extra="forbid")

    channel: Channel
    external_id: SafeText = Field(min_length=1, max_length=200)
    sender: SenderIn
    thread_id: SafeText | None = Field(default=None, min_length=1, max_length=200)
    subject: SafeText | None = Field(default=None, max_length=500)
    body: SafeText = Field(min_length=1)
    locale: str | None = Field(default=None, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$", max_length=16)
    received_at: AwareDatetime | None = Field(
        default=None, description="when the channel received it: from 2000-01-01 to at most one day from now"
    )
    metadata: dict[str, Any] = Field(
        default_factory=dict,
        description="channel details as JSON: at most 16 KiB, finite numbers, integers within 64 bits, no NUL",
    )

    @field_validator("body")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("body must contain text, not only whitespace")
        return value

    @field_validator("received_at", mode="before")
    @classmethod
    def _zone_required(cls, value: Any) -> Any:
        return value

    @field_validator("received_at")
    @classmethod
    def _plausible_time(cls, value: datetime | None) -> datetime | None:
        # year 9999 stored once made `received_at + SLA` overflow on every queue read
        return None if value is None else sane_instant(value)

    @field_validator("metadata")
    @classmethod
    def _small_metadata(cls, value: dict[str, Any]) -> dict[str, Any]:
        problem = json_problem(value, where="metadata")
        if problem is not None:
            raise ValueError(problem)
        if len(json.dumps(value, default=str)) > 16 * 1024:
            raise ValueError("metadata must serialise to at most 16 KiB of JSON")
        return value


class IngestResult(BaseModel):
    case_id: int
    message_id: int
    status: str


class FlagOut(BaseModel):
    code: str
    severity: str
    source: str
    evidence: str
    confidence: float | None = None


class MessageOut(BaseModel):
    id: int
    direction: str
    channel: str
    external_id: str
    sender: dict[str, Any]
    subject: str | None
    body: str
    locale: str | None
    received_at: datetime
    metadata: dict[str, Any]


class CaseSummary(BaseModel):
    id: int
    status: str
    category: str | None
    priority: str | None
    severity: str | None
    risk_flags: list[str]
    channel: str
    requester: dict[str, Any]
    subject: str | None
    preview: str
    message_count: int
    last_message_at: datetime
    age_minutes: int
    sla_due_at: datetime | None
    sla_breached: bool
    last_error: str | None = None
    # critical-case handling (app/safety): who owns the escalation, whether it is acknowledged, what is promised
    owner: str | None = None
    ack_due_at: datetime | None = None
    acknowledged: bool | None = None  # None: not on the escalation queue
    ack_overdue: bool = False
    open_followups: int = 0
    followup_due_at: datetime | None = None
    held: bool = False
