"""Decision input and output."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.review.models import Action, RejectReason
from app.safety.resolution import ResolutionCode
from app.validation import SafeText


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Action
    text: SafeText | None = Field(default=None, max_length=20_000)
    reason: RejectReason | None = None
    note: SafeText | None = Field(default=None, max_length=2_000)
    draft_id: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="The draft this decision is about, as the specialist saw it; another current draft is a 409.",
    )
    case_version: int | None = Field(
        default=None,
        ge=0,
        le=2**31 - 1,
        description="The case version the specialist saw; a newer message since then is a 409 (reload first).",
    )
    confirm_critical: bool = Field(
        default=False,
        description="Closing (approve/edit) a case with a critical flag: the specialist confirms it is safe to close.",
    )
    resolution: ResolutionCode | None = Field(
        default=None,
        description="Closing a case with a critical flag needs a resolution code; false_positive needs a note (why).",
    )

    @model_validator(mode="after")
    def _required_fields(self) -> DecisionIn:
        if self.action is Action.EDIT and not (self.text and self.text.strip()):
            raise ValueError("text: an 'edit' decision needs the final reply text")
        if self.action is Action.REJECT and self.reason is None:
            raise ValueError(
                "reason: a 'reject' decision needs a reason, one of " + ", ".join(r.value for r in RejectReason)
            )
        if self.resolution is ResolutionCode.FALSE_POSITIVE and not (self.note and len(self.note.strip()) >= 3):
            raise ValueError("note: a 'false_positive' resolution needs the reason the flag was wrong")
        return self


class DecisionOut(BaseModel):
    id: int
    case_id: int
    draft_id: int | None
    action: str
    text: str | None
    reason: str | None
    note: str | None
    edit_distance: int | None
    actor: str
    created_at: datetime
    case_status: str
    resolution: str | None = None
    followups: list[int] = []
