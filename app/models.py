"""Imports every table so SQLModel.metadata is complete (Alembic and tests use it)."""

from app.auth.models import ApiToken, User
from app.cases.models import Case, CaseEvent, IdempotencyKey, Message
from app.channels.models import EmailThread
from app.delivery.models import Delivery
from app.jobs.models import Job
from app.knowledge.models import ArticleVersion
from app.llm.models import LLMCall
from app.macros.models import MacroVersion
from app.notes.models import CaseNote
from app.review.models import Decision
from app.safety.models import (
    CaseWatch,
    DeletionRequest,
    FollowUpTask,
    PreservationHold,
    ReferralPacket,
    Resolution,
)
from app.triage.models import Draft, FlagCorrection

__all__ = [
    "ApiToken",
    "ArticleVersion",
    "Case",
    "CaseEvent",
    "CaseNote",
    "CaseWatch",
    "Decision",
    "DeletionRequest",
    "Delivery",
    "Draft",
    "EmailThread",
    "FlagCorrection",
    "FollowUpTask",
    "IdempotencyKey",
    "Job",
    "LLMCall",
    "MacroVersion",
    "Message",
    "PreservationHold",
    "ReferralPacket",
    "Resolution",
    "User",
]
