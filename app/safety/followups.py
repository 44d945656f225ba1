"""A reply that promises a follow-up creates a follow-up task, so the promise is kept or visibly late.

The promise is found sentence by sentence ("will follow up", "get back to you", "be in touch", "te
contactaremos", "entraremos em contato"…); a stated time ("within 48 hours") sets the due time, otherwise
``TRIAGE_FOLLOWUP_DUE_HOURS``. The task is shown on the case and keeps the case in the queue until it is done.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.cases.states import record_event
from app.config import Settings
from app.safety.errors import SafetyRefused
from app.safety.models import FollowUpTask, TaskStatus
from app.triage.guardrails.findings import clip
from app.triage.guardrails.text import sentences

_PROMISE = re.compile(
    r"\b(?:follow(?:s|ing)?[\s-]?up|get(?:ting)? back to you|be in touch|contact you|reach out to you|"
    r"update you|let you know|come back to you|(?:will|we'll|we will) (?:call|email|write to|message) you|"
    r"te contactar\w*|le contactar\w*|nos pondremos en contacto|daremos seguimiento|"
    r"entraremos em contato|entrar(?:emos|á) em contato|retornaremos|daremos retorno)\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:will|we'll|shall|going to|is looking|are looking|personally|soon|"
    r"vamos|iremos|vai|vamos a|va a)\b|\w+(?:remos|rá|rão)\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\b(?:won't|will not|cannot|can't|unable to|no podemos|não podemos)\b", re.IGNORECASE)
_WITHIN = re.compile(
    r"\b(?:within|in the next|dentro de|en|em)\s+(\d{1,3})\s*(hours?|hrs?|days?|horas?|d[ií]as?)\b", re.I
)


def promised_followups(text: str) -> list[str]:
    """The sentences of ``text`` that commit the team to coming back to the requester."""
    return [s for s in sentences(text) if _PROMISE.search(s) and _FUTURE.search(s) and not _NEGATED.search(s)]


def due_for(sentence: str, now: datetime, settings: Settings) -> datetime:
    found = _WITHIN.search(sentence)
    if found is None:
        return now + timedelta(hours=settings.followup_due_hours)
    amount, unit = int(found.group(1)), found.group(2).lower()
    return now + (timedelta(days=amount) if unit.startswith(("d", "dí", "di")) else timedelta(hours=amount))


def tasks_from_reply(
    session: Session,
    case_id: int,
    text: str,
    *,
    decision_id: int | None,
    actor: str,
    owner: str | None,
    now: datetime,
    settings: Settings,
) -> list[FollowUpTask]:
    """One task per sent reply that promises a follow-up (the first such sentence sets the due time)."""
    promises = promised_followups(text)
    if not promises:
        return []
    task = FollowUpTask(
        case_id=case_id,
        title="Follow up with the requester as the reply promised",
        promise=" ".join(promises)[:2000],
        source="reply",
        decision_id=decision_id,
        due_at=due_for(promises[0], now, settings),
        assignee=owner or actor,
        created_by=actor,
        created_at=now,
    )
    session.add(task)
    session.flush()
    record_event(
        session,
        case_id,
        "followup_created",
        actor=actor,
        detail={"task_id": task.id, "due_at": task.due_at.isoformat(), "promise": clip(promises[0])},
        now=now,
    )
    return [task]


def add_task(
    session: Session, case_id: int, *, title: str, due_at: datetime, actor: str, assignee: str | None, now: datetime
) -> FollowUpTask:
    task = FollowUpTask(
        case_id=case_id,
        title=title,
        promise="",
        source="manual",
        due_at=due_at,
        assignee=assignee or actor,
        created_by=actor,
        created_at=now,
    )
    session.add(task)
    session.flush()
    record_event(session, case_id, "followup_created", actor=actor, detail={"task_id": task.id}, now=now)
    return task


class TaskRefused(SafetyRefused):
    """Answered 409."""


def complete(session: Session, task: FollowUpTask, *, actor: str, note: str | None, now: datetime) -> None:
    if task.status == TaskStatus.DONE.value:
        raise TaskRefused(f"follow-up {task.id} was already done by {task.done_by}")
    task.status, task.done_at, task.done_by, task.done_note = TaskStatus.DONE.value, now, actor, note
    session.add(task)
    record_event(session, task.case_id, "followup_done", actor=actor, detail={"task_id": task.id}, now=now)


def tasks_of_decision(session: Session, decision_id: int) -> list[FollowUpTask]:
    return list(session.exec(select(FollowUpTask).where(FollowUpTask.decision_id == decision_id)))


def tasks_of(session: Session, case_id: int) -> list[FollowUpTask]:
    return list(
        session.exec(select(FollowUpTask).where(FollowUpTask.case_id == case_id).order_by(col(FollowUpTask.id)))
    )


def open_tasks(session: Session) -> list[FollowUpTask]:
    return list(
        session.exec(
            select(FollowUpTask).where(FollowUpTask.status == TaskStatus.OPEN.value).order_by(col(FollowUpTask.due_at))
        )
    )
