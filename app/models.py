"""Imports every table so SQLModel.metadata is complete (Alembic and tests use it)."""

from app.auth.models import ApiToken, User
from app.cases.models import Case, CaseEvent, IdempotencyKey, Message
from app.channels.models import EmailThread
from app.context.models import ContextReveal, LedgerAccount, LedgerAccountEvent, LedgerTransaction
from app.delivery.models import Delivery
from app.jobs.models import Job
from app.knowledge.models import ArticleVersion
from app.llm.models import LLMCall
from app.macros.models import MacroVersion
from app.notes.models import CaseNote
from app.presence.models import CasePresence
from app.ratelimit.models import RateLimitHit
from app.review.models import Decision
from app.safety.models import (
    CaseWatch,
    DeletionRequest,
    FollowUpTask,
    PreservationHold,
    ReferralPacket,
    Resolution,
)
from app.tags.models import CaseTag
from app.triage.models import Draft, FlagCorrection

__all__ = [
    "ApiToken",
    "ArticleVersion",
    "Case",
    "CaseEvent",
    "CaseNote",
    "CasePresence",
    "CaseTag",
    "CaseWatch",
    "ContextReveal",
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
    "LedgerAccount",
    "LedgerAccountEvent",
    "LedgerTransaction",
    "MacroVersion",
    "Message",
    "PreservationHold",
    "RateLimitHit",
    "ReferralPacket",
    "Resolution",
    "User",
]
