"""Decisions on drafts and the case view that shows them.

Approve and edit resolve the case and record the reply as an outbound message; reject keeps it in review with a
new draft requested (or the specialist's own text as a hand-written draft); escalate sends it to the escalation
queue. Every decision is also an audit event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rapidfuzz.distance import Levenshtein
from sqlmodel import Session, col, select

from app.cases import repository
from app.cases.models import Case, Message
from app.cases.states import CaseStatus, record_event, transition
from app.config import Settings
from app.escalation.tasks import enqueue_escalation
from app.jobs import queue as jobs
from app.review.models import Action, Decision
from app.review.schemas import DecisionIn
from app.safety.followups import tasks_from_reply
from app.safety.models import Resolution
from app.safety.ownership import close_watch, watch_of
from app.safety.resolution import CloseRefused, check_close, critical_flags, record_close
from app.safety.views import safety_view
from app.taxonomy import TAXONOMY_VERSION
from app.triage.guardrails.playbooks import playbook_findings
from app.triage.models import Draft
from app.triage.tasks import DRAFT_JOB


class DecisionRefused(Exception):
    """The decision cannot be applied to the case as it is now (answered with 409 and this message)."""


def current_draft(session: Session, case_id: int) -> Draft | None:
    return session.exec(select(Draft).where(Draft.case_id == case_id).order_by(col(Draft.id).desc())).first()


def decisions_of(session: Session, case_id: int) -> list[Decision]:
    return list(session.exec(select(Decision).where(Decision.case_id == case_id).order_by(col(Decision.id))))


def decide(
    session: Session, case: Case, decision: DecisionIn, *, actor: str, now: datetime, settings: Settings
) -> Decision:
    max_attempts = settings.job_max_attempts
    assert case.id is not None
    locked = repository.lock_case(session, case.id)  # concurrent decisions on one case take turns
    assert locked is not None
    case = locked
    assert case.id is not None
    draft = current_draft(session, case.id)
    action = decision.action
    if case.status == CaseStatus.RESOLVED and action is not Action.REDRAFT:
        raise DecisionRefused(f"case {case.id} is already resolved; a new inbound message reopens it")
    _check_current(case, draft, decision)
    if action in _SENDING:
        _check_close(case, draft, decision)
    row = Decision(
        case_id=case.id,
        draft_id=draft.id if draft else None,
        action=action.value,
        reason=decision.reason.value if decision.reason else None,
        note=decision.note,
        category=draft.category if draft else case.category,
        prompt_version=draft.prompt_version if draft else None,
        actor=actor,
        created_at=now,
    )
    if action is Action.APPROVE:
        if draft is None:
            raise DecisionRefused(f"case {case.id} has no draft to approve yet; edit with your own text instead")
        if draft.blocking:
            raise DecisionRefused("the draft has a blocking guardrail finding; use 'edit' with corrected text")
        row.text = draft.reply
        row.edit_distance = 0
        _send(session, case, draft.reply, actor=actor, now=now)
        transition(session, case, CaseStatus.RESOLVED, actor=actor, reason="draft approved", now=now)
    elif action is Action.EDIT:
        text = (decision.text or "").strip()
        row.text = text
        row.edit_distance = Levenshtein.distance(draft.reply, text) if draft else len(text)
        _send(session, case, text, actor=actor, now=now)
        transition(session, case, CaseStatus.RESOLVED, actor=actor, reason="draft edited and sent", now=now)
    elif action is Action.REJECT:
        row.text = decision.text
        if case.status != CaseStatus.AWAITING_REVIEW:
            transition(
                session, case, CaseStatus.AWAITING_REVIEW, actor=actor, reason=f"draft rejected: {row.reason}", now=now
            )
        if decision.text and decision.text.strip():
            _hand_written_draft(session, case, draft, decision.text.strip(), actor=actor)
        else:
            jobs.enqueue(
                session,
                kind=DRAFT_JOB,
                case_id=case.id,
                payload={"reason": "rejected", "reject_reason": row.reason},
                max_attempts=max_attempts,
                now=now,
            )
    elif action is Action.ESCALATE:
        if case.status != CaseStatus.ESCALATED:
            reason = decision.note or "escalated by specialist"
            transition(session, case, CaseStatus.ESCALATED, actor=actor, reason=reason, now=now)
            enqueue_escalation(session, case, flags=list(case.flag_codes), reason=reason, now=now, settings=settings)
    elif action is Action.REDRAFT:
        jobs.enqueue(
            session, kind=DRAFT_JOB, case_id=case.id, payload={"reason": "redraft"}, max_attempts=max_attempts, now=now
        )
    critical = critical_flags(case) if action in _SENDING else []
    session.add(row)
    session.flush()
    if action in _SENDING:
        _after_send(session, case, row, decision, critical, actor=actor, now=now, settings=settings)
    record_event(
        session,
        case.id,
        f"decision_{action.value}",
        actor=actor,
        detail={"decision_id": row.id, "reason": row.reason, "edit_distance": row.edit_distance},
        now=now,
    )
    return row


def _check_close(case: Case, draft: Draft | None, decision: DecisionIn) -> None:
    """A reply that closes a critical case needs a confirmation and a code, and must follow the flag's playbook."""
    try:
        check_close(case, confirmed=decision.confirm_critical, code=decision.resolution, note=decision.note)
    except CloseRefused as exc:
        raise DecisionRefused(str(exc)) from exc
    if decision.action is Action.EDIT:
        broken = [f for f in playbook_findings(decision.text or "", case.flag_codes, case.category) if f.blocking]
        if broken:
            raise DecisionRefused("the reply breaks a safety playbook: " + "; ".join(f.message for f in broken))


def _after_send(
    session: Session,
    case: Case,
    row: Decision,
    decision: DecisionIn,
    critical: list[str],
    *,
    actor: str,
    now: datetime,
    settings: Settings,
) -> Resolution | None:
    """Record the resolution of a critical case and turn a promised follow-up into a task."""
    assert case.id is not None
    watch = watch_of(session, case.id)
    tasks = tasks_from_reply(
        session,
        case.id,
        row.text or "",
        decision_id=row.id,
        actor=actor,
        owner=watch.owner if watch else None,
        now=now,
        settings=settings,
    )
    del tasks  # linked to the decision; the router reads them back with the resolution
    resolution = None
    if critical and decision.resolution is not None:
        resolution = record_close(
            session,
            case,
            code=decision.resolution,
            note=decision.note,
            decision_id=row.id,
            actor=actor,
            now=now,
            settings=settings,
        )
    else:
        close_watch(session, case.id, now=now)
    return resolution


class StaleDecision(DecisionRefused):
    """The decision was made on a view of the case that is no longer current."""


_SENDING = (Action.APPROVE, Action.EDIT)


def _check_current(case: Case, draft: Draft | None, decision: DecisionIn) -> None:
    """Refuse a decision made on an out-of-date view: a reply must answer the messages that are there now.

    A follow-up ("someone is threatening me") that arrives while a specialist reads the draft makes that draft
    stale; approving it would resolve the case without anyone reading the new message.
    """
    if decision.case_version is not None and decision.case_version != case.version:
        raise StaleDecision(
            f"case {case.id} is at version {case.version}, the decision was made on version "
            f"{decision.case_version}: a new message arrived; reload the case and decide again"
        )
    if decision.draft_id is not None and (draft is None or draft.id != decision.draft_id):
        current = f"draft {draft.id}" if draft else "no draft"
        raise StaleDecision(
            f"draft {decision.draft_id} is not the current draft of case {case.id} (now {current}); reload the case"
        )
    if decision.action not in _SENDING:
        return
    unanswered = case.status in (CaseStatus.NEW, CaseStatus.DRAFTING)
    stale_draft = draft is not None and draft.case_version != case.version
    seen_by_caller = decision.case_version == case.version
    if decision.action is Action.APPROVE and (stale_draft or unanswered):
        raise StaleDecision(
            f"case {case.id} has a message newer than its draft; wait for the new draft or edit with your own "
            "text after reading it"
        )
    if decision.action is Action.EDIT and (stale_draft or unanswered) and not seen_by_caller:
        raise StaleDecision(
            f"case {case.id} has a message newer than its draft; read it, then send the edit with "
            f"case_version={case.version}"
        )


def _send(session: Session, case: Case, text: str, *, actor: str, now: datetime) -> None:
    """Record the reply as the case's outbound message and queue its delivery through the case's channel, in the
    decision's transaction: no approval without its delivery, no delivery without its approval."""
    from app.delivery.outbox import enqueue_delivery

    assert case.id is not None
    message = Message(
        case_id=case.id,
        direction="outbound",
        channel=case.channel,
        external_id=f"reply-{case.id}-{int(now.timestamp() * 1000)}",
        sender_id=actor,
        sender_kind="agent",
        body=text,
        locale=case.locale,
        received_at=now,
        request_hash="",
        ingest_status=CaseStatus.RESOLVED.value,
        created_at=now,
    )
    enqueue_delivery(session, case, message, now=now)  # adds the message with its threading details


def _hand_written_draft(session: Session, case: Case, previous: Draft | None, text: str, *, actor: str) -> None:
    assert case.id is not None
    session.add(
        Draft(
            case_id=case.id,
            case_version=case.version,
            origin="specialist",
            category=previous.category if previous else (case.category or "feedback_other"),
            priority=previous.priority if previous else (case.priority or "P3"),
            risk_flags=previous.risk_flags if previous else [],
            reply=text,
            citations=previous.citations if previous else [],
            findings=[],
            provider="human",
            model=actor,
            prompt_version="none",
            taxonomy_version=TAXONOMY_VERSION,
        )
    )


def draft_view(draft: Draft) -> dict[str, Any]:
    return {
        "id": draft.id,
        "reply": draft.reply,
        "citations": draft.citations,
        "category": draft.category,
        "priority": draft.priority,
        "risk_flags": draft.risk_flags,
        "findings": draft.findings,
        "blocking": draft.blocking,
        "origin": draft.origin,
        "provider": draft.provider,
        "model": draft.model,
        "prompt_version": draft.prompt_version,
        "flag_model_version": draft.flag_model_version,
        "confidence": draft.confidence,
        "latency_ms": draft.latency_ms,
        "prompt_tokens": draft.prompt_tokens,
        "completion_tokens": draft.completion_tokens,
        "created_at": draft.created_at,
    }


def decision_view(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.id,
        "action": decision.action,
        "text": decision.text,
        "reason": decision.reason,
        "note": decision.note,
        "edit_distance": decision.edit_distance,
        "actor": decision.actor,
        "draft_id": decision.draft_id,
        "created_at": decision.created_at,
    }


def case_view(
    session: Session, case: Case, *, include_events: bool = True, now: datetime | None = None
) -> dict[str, Any]:
    assert case.id is not None
    draft = current_draft(session, case.id)
    messages = repository.messages_of(session, case.id)
    view: dict[str, Any] = {
        "id": case.id,
        "status": case.status,
        "category": case.category,
        "priority": case.priority,
        "risk_flags": [
            {k: f.get(k) for k in ("code", "severity", "source", "evidence", "confidence")}
            for f in (draft.risk_flags if draft else [])
        ],
        "channel": case.channel,
        "requester": {"id": case.requester_id, "kind": case.requester_kind, "name": case.requester_name},
        "subject": case.subject,
        "locale": case.locale,
        "version": case.version,
        "created_at": case.created_at,
        "last_message_at": case.last_message_at,
        "messages": [
            {
                "id": m.id,
                "direction": m.direction,
                "channel": m.channel,
                "external_id": m.external_id,
                "sender": {"id": m.sender_id, "kind": m.sender_kind, "name": m.sender_name},
                "subject": m.subject,
                "body": m.body,
                "locale": m.locale,
                "received_at": m.received_at,
                "metadata": m.meta,
            }
            for m in messages
        ],
        "draft": draft_view(draft) if draft else None,
        "decisions": [decision_view(d) for d in decisions_of(session, case.id)],
        "safety": safety_view(session, case.id, now),
    }
    if include_events:
        view["events"] = [
            {
                "id": e.id,
                "kind": e.kind,
                "actor": e.actor,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "detail": e.detail,
                "created_at": e.created_at,
            }
            for e in repository.events_of(session, case.id)
        ]
    return view
