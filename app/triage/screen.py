"""Screen jobs: risk detection alone, ahead of drafting, so a critical case never waits behind a backlog.

Every accepted message gets a ``screen`` job (priority ``SCREEN``) beside its draft job (``NORMAL``). Workers take
the most urgent job first, so screening runs as soon as a worker is free even when thousands of drafts wait.
Two stages, because their costs differ a hundredfold: ``screen`` runs the rule detectors (well under a
millisecond: explicit wording, metadata, history); when they find nothing critical it queues ``screen_model``
(priority ``MODEL_SCREEN``), the critical-flag model on the message's embedding (tens of milliseconds), which
catches critical meaning in wording no rule lists. Behind a burst, explicit threats escalate after the other
rule screens only, not after every model screen or draft. A critical flag escalates the case at once (status,
audit event, signed webhook) and moves its draft job to the front; a high flag moves the draft job up. The
draft job then writes the reply as before; its flags replace the screens' on the case.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.cases import repository
from app.cases.models import Case
from app.cases.states import CaseStatus, record_event, transition
from app.clock import Clock
from app.config import Settings
from app.escalation.tasks import enqueue_escalation
from app.jobs import queue
from app.jobs.models import Job, JobPriority
from app.jobs.worker import JobFailed
from app.taxonomy import CRITICAL_FLAGS, SEVERITY_RANK, Severity
from app.triage.pipeline import FlagModel, PipelineInput
from app.triage.signals import Signal, detect_signals
from app.triage.signals.minor_purchases import without_purchase_only_minor_flag
from app.triage.tasks import DRAFT_JOB, build_input

SCREEN_JOB = "screen"
MODEL_SCREEN_JOB = "screen_model"


def _text(inp: PipelineInput) -> str:
    return "\n".join(p for p in (inp.subject, inp.message) if p)


class ScreenJobHandler:
    """Detect risk for a case's newest message and reorder its work by what was found.

    With ``flag_model`` None this is the rule stage (``screen``), else the model stage (``screen_model``).
    """

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        settings: Settings,
        *,
        flag_model: FlagModel | None = None,
        model_stage_follows: bool = False,
    ) -> None:
        self._engine = engine
        self._flag_model = flag_model
        self._model_stage_follows = model_stage_follows
        self._clock = clock
        self._settings = settings

    def _signals(self, inp: PipelineInput) -> list[Signal]:
        if self._flag_model is not None:
            return without_purchase_only_minor_flag(_text(inp), self._flag_model.detect(_text(inp)))
        return detect_signals(_text(inp), inp.metadata, inp.history)

    async def run(self, job: Job) -> None:
        if job.case_id is None:
            raise JobFailed("a screen job needs a case", retryable=False)
        with Session(self._engine, expire_on_commit=False) as session:
            case = session.get(Case, job.case_id)
            if case is None:
                raise JobFailed(f"case {job.case_id} does not exist", retryable=False)
            messages = repository.messages_of(session, job.case_id)
            if not any(m.direction == "inbound" for m in messages):
                raise JobFailed(f"case {job.case_id} has no inbound message", retryable=False)
            inp = build_input(session, case, messages, self._clock)
            session.rollback()
        signals = self._signals(inp)
        with Session(self._engine, expire_on_commit=False) as session:
            locked = repository.lock_case(session, job.case_id)  # case row first, then jobs: the one lock order
            if locked is None or not queue.complete(session, job, now=self._clock.now()):
                session.rollback()
                return
            critical = self._apply(session, locked, signals)
            if not critical and self._model_stage_follows:
                queue.enqueue(
                    session,
                    kind=MODEL_SCREEN_JOB,
                    case_id=job.case_id,
                    payload=job.payload,
                    max_attempts=job.max_attempts,
                    now=self._clock.now(),
                    priority=JobPriority.MODEL_SCREEN,
                )
            session.commit()

    def _apply(self, session: Session, case: Case, signals: list[Signal]) -> bool:
        """Record what was found and reorder the case's work; True when a critical flag was found."""
        assert case.id is not None
        now = self._clock.now()
        codes = sorted({s.code for s in signals})
        critical = sorted(set(codes) & CRITICAL_FLAGS)
        rank = min((SEVERITY_RANK[s.severity] for s in signals), default=case.severity_rank)
        case.severity_rank = min(case.severity_rank, rank)
        case.flag_codes = sorted(set(case.flag_codes) | set(codes))
        stage = "model" if self._flag_model is not None else "rules"
        record_event(session, case.id, "screened", actor="worker", detail={"stage": stage, "flags": codes}, now=now)
        if critical:
            queue.raise_priority(session, kind=DRAFT_JOB, case_id=case.id, priority=JobPriority.CRITICAL)
            if case.status != CaseStatus.ESCALATED:
                case.priority = "P0"
                transition(
                    session,
                    case,
                    CaseStatus.ESCALATED,
                    actor="system",
                    reason="critical risk flag (screening)",
                    detail={"flags": critical},
                    now=now,
                )
                enqueue_escalation(
                    session, case, flags=codes, reason="critical risk flag", now=now, settings=self._settings
                )
        elif any(s.severity is Severity.HIGH for s in signals):
            queue.raise_priority(session, kind=DRAFT_JOB, case_id=case.id, priority=JobPriority.HIGH)
        session.add(case)
        return bool(critical)

    def on_dead(self, session: Session, job: Job, error: str) -> None:
        """A screen that keeps failing leaves detection to the draft job, which runs the same detectors."""
