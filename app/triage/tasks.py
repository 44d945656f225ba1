"""The ``draft`` job: load a case's context, run the pipeline, store the draft, move the case on."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.cases import repository
from app.cases.models import Case, Message
from app.cases.states import CaseStatus, record_event, transition
from app.clock import Clock
from app.config import Settings
from app.escalation.tasks import enqueue_escalation
from app.jobs import queue
from app.jobs.models import Job
from app.jobs.worker import JobFailed
from app.llm.provider import ProviderError
from app.llm.schemas import RejectedDraft
from app.safety.hooks import on_classified
from app.taxonomy import CRITICAL_FLAGS, NO_FLAG_RANK, SEVERITY_RANK, Severity, priority_for
from app.triage.corrections import apply_corrections, corrections_of, latest_draft
from app.triage.models import Draft
from app.triage.pipeline import DraftingPipeline, DraftOutcome, PipelineInput
from app.triage.signals import SenderHistory

DRAFT_JOB = "draft"
_THREAD_CONTEXT = 6
_HISTORY_DAYS = 14


def build_input(session: Session, case: Case, messages: list[Message], clock: Clock) -> PipelineInput:
    """The pipeline's view of a case: its newest inbound message, the thread before it, and requester history."""
    inbound = [m for m in messages if m.direction == "inbound"]
    latest = inbound[-1]
    assert case.id is not None and latest.id is not None
    since = clock.now() - timedelta(days=_HISTORY_DAYS)
    prior_cases, prior_categories = repository.requester_history(
        session, case.requester_id, exclude_case_id=case.id, since=since
    )
    earlier_messages = repository.prior_message_count(session, case.requester_id, since=since, before_id=latest.id)
    spend = _spend(latest.meta)
    return PipelineInput(
        correlation_id=f"case-{case.id}-v{case.version}",
        message=latest.body,
        subject=latest.subject or case.subject,
        thread=[m.body for m in inbound[:-1]][-_THREAD_CONTEXT:],
        locale=latest.locale or case.locale,
        sender_kind=latest.sender_kind,
        metadata=latest.meta,
        history=SenderHistory(
            prior_contacts_14d=max(prior_cases, earlier_messages),
            prior_categories_14d=tuple(prior_categories),
            lifetime_spend_usd=spend,
        ),
    )


def _rejected(session: Session, case_id: int, job: Job) -> RejectedDraft | None:
    """For a redraft after a rejection: the draft rejected and the reason, so the next one differs as asked."""
    if job.payload.get("reason") not in ("rejected", "redraft"):
        return None
    draft = latest_draft(session, case_id)
    if draft is None:
        return None
    return RejectedDraft(
        reason=job.payload.get("reject_reason"),
        category=draft.category,
        article_ids=[str(c.get("article_id")) for c in draft.citations],
        reply=draft.reply,
    )


def _spend(meta: dict[str, Any]) -> float | None:
    for key in ("lifetime_spend_usd", "lifetime_spend"):
        try:
            return float(meta[key])
        except (KeyError, TypeError, ValueError):
            continue
    return None


def store_outcome(
    session: Session, case: Case, outcome: DraftOutcome, *, case_version: int, settings: Settings, now: datetime
) -> Draft:
    """Write the draft and carry its classification onto the case; critical flags escalate."""
    assert case.id is not None
    # A specialist's flag corrections stick: a redraft never brings back a removed flag or drops an added one.
    corrections = corrections_of(session, case.id)
    if corrections:
        outcome.risk_flags = apply_corrections(outcome.risk_flags, corrections)
        outcome.priority = priority_for(outcome.category, [f["code"] for f in outcome.risk_flags]).value
    draft = Draft(
        case_id=case.id,
        case_version=case_version,
        origin=outcome.origin,
        category=outcome.category,
        priority=outcome.priority,
        risk_flags=outcome.risk_flags,
        reply=outcome.reply,
        citations=outcome.citations,
        findings=outcome.findings,
        blocking=outcome.blocking,
        provider=outcome.provider,
        model=outcome.model,
        prompt_version=outcome.prompt_version,
        taxonomy_version=outcome.taxonomy_version,
        flag_model_version=outcome.flag_model_version,
        confidence=outcome.confidence,
        prompt_tokens=outcome.prompt_tokens,
        completion_tokens=outcome.completion_tokens,
        latency_ms=outcome.latency_ms,
        created_at=now,
    )
    session.add(draft)
    session.flush()
    codes = [f["code"] for f in outcome.risk_flags]
    case.category = outcome.category
    case.priority = outcome.priority
    case.flag_codes = codes
    case.severity_rank = min((SEVERITY_RANK[Severity(f["severity"])] for f in outcome.risk_flags), default=NO_FLAG_RANK)
    record_event(
        session,
        case.id,
        "draft_created",
        actor="worker",
        detail={"draft_id": draft.id, "origin": draft.origin},
        now=now,
    )
    critical = sorted(set(codes) & CRITICAL_FLAGS)
    # Every status can reach ESCALATED (a resolved case included), so a critical flag is never dropped; a draft
    # that lands on a resolved case for any other reason is kept for the record and leaves the case resolved.
    if critical and case.status != CaseStatus.ESCALATED:
        transition(
            session,
            case,
            CaseStatus.ESCALATED,
            actor="system",
            reason="critical risk flag",
            detail={"flags": critical},
            now=now,
        )
        enqueue_escalation(session, case, flags=codes, reason="critical risk flag", now=now, settings=settings)
    elif case.status in (CaseStatus.DRAFTING, CaseStatus.NEW, CaseStatus.DRAFT_FAILED):
        transition(session, case, CaseStatus.AWAITING_REVIEW, actor="worker", reason="draft ready", now=now)
    on_classified(session, case, now=now, settings=settings)
    session.add(case)
    return draft


class DraftJobHandler:
    def __init__(self, engine: Engine, pipeline: DraftingPipeline, clock: Clock, settings: Settings) -> None:
        self._settings = settings
        self._engine = engine
        self._pipeline = pipeline
        self._clock = clock

    async def run(self, job: Job) -> None:
        with Session(self._engine, expire_on_commit=False) as session:
            case = repository.lock_case(session, job.case_id) if job.case_id is not None else None
            if case is None:
                raise JobFailed(f"case {job.case_id} does not exist", retryable=False)
            messages = repository.messages_of(session, case.id)  # type: ignore[arg-type]
            if not any(m.direction == "inbound" for m in messages):
                raise JobFailed(f"case {case.id} has no inbound message", retryable=False)
            inp = build_input(session, case, messages, self._clock)
            inp.rejected = _rejected(session, case.id, job)  # type: ignore[arg-type]
            case_version = case.version
            if case.status in (CaseStatus.NEW, CaseStatus.DRAFT_FAILED):
                transition(
                    session,
                    case,
                    CaseStatus.DRAFTING,
                    actor="worker",
                    reason=f"draft attempt {job.attempts}",
                    now=self._clock.now(),
                )
            session.commit()
        try:
            outcome = await self._pipeline.run(inp)
        except ProviderError as exc:
            raise JobFailed(str(exc), retryable=exc.retryable, retry_after_s=exc.retry_after_s) from exc
        with Session(self._engine, expire_on_commit=False) as session:
            # Case row first, then the job row: the same order as ingest and decisions, so they never deadlock.
            assert job.case_id is not None
            case = repository.lock_case(session, job.case_id)
            if case is None:
                raise JobFailed(f"case {job.case_id} no longer exists", retryable=False)
            if not queue.complete(session, job, now=self._clock.now()):
                session.rollback()  # lease lost: another worker owns this job now
                return
            store_outcome(
                session, case, outcome, case_version=case_version, settings=self._settings, now=self._clock.now()
            )
            session.commit()

    def on_dead(self, session: Session, job: Job, error: str) -> None:
        case = session.get(Case, job.case_id) if job.case_id is not None else None
        if case is None:
            return
        if case.status in (CaseStatus.DRAFTING, CaseStatus.NEW):
            transition(
                session, case, CaseStatus.DRAFT_FAILED, actor="worker", reason=error[:500], detail={"job_id": job.id}
            )
