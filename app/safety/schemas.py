"""Request bodies of the critical-case API."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from app.safety.models import PacketKind
from app.validation import SafeText


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssignIn(_In):
    owner: str = Field(min_length=1, max_length=100, description="the user name of a specialist, lead or admin")


class HandOverIn(_In):
    to: str = Field(min_length=1, max_length=100)
    note: SafeText = Field(min_length=3, max_length=1000, description="what the next owner must know")


class TaskIn(_In):
    title: SafeText = Field(min_length=3, max_length=300)
    due_at: datetime
    assignee: str | None = Field(default=None, max_length=100)


class DoneIn(_In):
    note: SafeText | None = Field(default=None, max_length=500)


class ReleaseIn(_In):
    note: SafeText = Field(min_length=3, max_length=500, description="why the case need not be preserved any more")


class DeletionIn(_In):
    requester_id: str = Field(min_length=1, max_length=200)
    note: SafeText | None = Field(default=None, max_length=500)


class MessageEditIn(_In):
    body: SafeText = Field(min_length=1, max_length=20_000)
    reason: SafeText = Field(min_length=3, max_length=500)


class RestrictionType(StrEnum):
    ACCOUNT_SUSPENSION = "account_suspension"
    ACCOUNT_TERMINATION = "account_termination"
    LIVE_SUSPENSION = "live_suspension"
    CONTENT_REMOVAL = "content_removal"
    VISIBILITY_RESTRICTION = "visibility_restriction"
    MONETISATION_RESTRICTION = "monetisation_restriction"
    TRANSACTION_BAN = "transaction_ban"


class RestrictionIn(_In):
    type: RestrictionType
    scope: SafeText | None = Field(default=None, max_length=300)
    territorial_scope: SafeText | None = Field(default=None, max_length=100)
    duration_days: int | None = Field(default=None, ge=1, le=3650, description="none: indefinite")
    facts: SafeText | None = Field(default=None, max_length=4000)
    flags: list[str] | None = Field(
        default=None, max_length=13, description="the risk flags the decision rests on (default: all the case's)"
    )


class PacketIn(_In):
    kind: PacketKind
    restriction: RestrictionIn | None = Field(default=None, description="for a statement_of_reasons")


class LegalProcess(StrEnum):
    SUBPOENA = "subpoena"
    COURT_ORDER = "court_order"
    SEARCH_WARRANT = "search_warrant"
    EMERGENCY_DISCLOSURE = "emergency_disclosure"
    PRESERVATION_REQUEST = "preservation_request"
    MLAT = "mlat"
    OTHER = "other"


class LegalRequestIn(_In):
    case_id: int = Field(ge=1, le=2**31 - 1)
    agency: SafeText = Field(min_length=2, max_length=200)
    officer: SafeText | None = Field(default=None, max_length=200)
    contact: SafeText | None = Field(default=None, max_length=200)
    legal_process: LegalProcess
    reference: SafeText | None = Field(default=None, max_length=100)
    deadline: datetime | None = None
    emergency: bool = False
    requested: SafeText = Field(min_length=3, max_length=4000, description="what the agency asks for")
    accounts: list[str] = Field(default_factory=list, max_length=20)


class ReviewIn(_In):
    approve: bool
    note: SafeText | None = Field(default=None, max_length=500)
