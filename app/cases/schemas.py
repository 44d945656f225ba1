"""API models for ingest and case reads."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator


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

    id: str = Field(min_length=1, max_length=200)
    kind: SenderKind
    name: str | None = Field(default=None, max_length=200)


class MessageIn(BaseModel):
    """The ingest shape shared by every channel."""

    model_config = ConfigDict(extra="forbid")

    channel: Channel
    external_id: str = Field(min_length=1, max_length=200)
    sender: SenderIn
    thread_id: str | None = Field(default=None, min_length=1, max_length=200)
    subject: str | None = Field(default=None, max_length=500)
    body: str = Field(min_length=1)
    locale: str | None = Field(default=None, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$", max_length=16)
    received_at: AwareDatetime | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)

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

    @field_validator("metadata")
    @classmethod
    def _small_metadata(cls, value: dict[str, Any]) -> dict[str, Any]:
        import json

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
