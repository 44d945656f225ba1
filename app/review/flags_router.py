"""Specialists correct a case's risk flags; QA sees the flag model's scores and the corrections it has not learnt."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.auth.deps import QA, Specialist
from app.cases import repository
from app.deps import ClockDep, FlagModelDep, SessionDep, SettingsDep
from app.review.flag_model_view import model_view
from app.taxonomy import RISK_FLAGS
from app.triage.corrections import CorrectionAction, CorrectionRefused, all_corrections, correct_flag
from app.validation import DbId, SafeText

router = APIRouter(prefix="/v1", tags=["risk flags"])


class FlagCorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(description="a risk flag code: " + ", ".join(RISK_FLAGS))
    action: CorrectionAction
    reason: SafeText = Field(min_length=3, max_length=500, description="why: it becomes part of the audit trail")

    @field_validator("code")
    @classmethod
    def _known_flag(cls, value: str) -> str:
        if value not in RISK_FLAGS:
            raise ValueError(f"unknown flag {value!r}; expected one of {', '.join(RISK_FLAGS)}")
        return value


class FlagCorrectionOut(BaseModel):
    id: int
    case_id: int
    code: str
    action: str
    reason: str
    actor: str
    model_version: str | None
    created_at: datetime
    case_flags: list[str]
    case_priority: str | None
    case_status: str


@router.post("/cases/{case_id}/flags", status_code=status.HTTP_201_CREATED, response_model=FlagCorrectionOut)
def post_flag_correction(
    case_id: DbId,
    body: FlagCorrectionIn,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    flag_model: FlagModelDep,
    user: Specialist,
) -> FlagCorrectionOut:
    """Add or remove one flag on a case, with a reason: audited, applied to the case, kept as training data."""
    case = repository.lock_case(session, case_id)
    if case is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"case {case_id} not found")
    try:
        correction = correct_flag(
            session,
            case,
            code=body.code,
            action=body.action,
            reason=body.reason.strip(),
            actor=user.name,
            model_version=flag_model.version if flag_model is not None else None,
            settings=settings,
            now=clock.now(),
        )
    except CorrectionRefused as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    session.flush()
    assert correction.id is not None
    return FlagCorrectionOut(
        id=correction.id,
        case_id=case_id,
        code=correction.code,
        action=correction.action,
        reason=correction.reason,
        actor=correction.actor,
        model_version=correction.model_version,
        created_at=correction.created_at,
        case_flags=list(case.flag_codes),
        case_priority=case.priority,
        case_status=case.status,
    )


@router.get("/flag-model")
def get_flag_model(
    session: SessionDep,
    flag_model: FlagModelDep,
    _user: QA,
    limit: int = Query(default=50, ge=1, le=500, description="how many of the newest corrections to list"),
) -> dict[str, Any]:
    """The current flag model's per-flag precision/recall on the test split, and the corrections it has not seen."""
    return model_view(flag_model, all_corrections(session), limit=limit)
