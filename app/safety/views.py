"""JSON views of the safety records, shared by the API and the console."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.safety.followups import tasks_of
from app.safety.holds import active_holds
from app.safety.models import CaseWatch, FollowUpTask, PreservationHold, ReferralPacket, TaskStatus
from app.safety.ownership import watch_of
from app.safety.packets import packets_of
from app.safety.resolution import resolutions_of


def watch_view(watch: CaseWatch | None, now: datetime | None = None) -> dict[str, Any] | None:
    if watch is None:
        return None
    overdue = watch.closed_at is None and watch.acked_at is None and now is not None and now > watch.ack_due_at
    return {
        "owner": watch.owner,
        "owner_since": watch.owner_since,
        "ack_due_at": watch.ack_due_at,
        "acked_at": watch.acked_at,
        "acked_by": watch.acked_by,
        "ack_overdue": overdue,
        "realerts": watch.realerts,
        "open": watch.closed_at is None,
        "flags": watch.flags,
    }


def task_view(task: FollowUpTask, now: datetime | None = None) -> dict[str, Any]:
    return {
        "id": task.id,
        "case_id": task.case_id,
        "title": task.title,
        "promise": task.promise,
        "source": task.source,
        "status": task.status,
        "due_at": task.due_at,
        "overdue": task.status == "open" and now is not None and now > task.due_at,
        "assignee": task.assignee,
        "created_by": task.created_by,
        "done_at": task.done_at,
        "done_by": task.done_by,
    }


def hold_view(hold: PreservationHold) -> dict[str, Any]:
    return {
        "id": hold.id,
        "case_id": hold.case_id,
        "reason": hold.reason,
        "placed_by": hold.placed_by,
        "placed_at": hold.placed_at,
        "expires_at": hold.expires_at,
        "released_at": hold.released_at,
        "released_by": hold.released_by,
        "messages_preserved": len(hold.snapshot.get("messages", [])),
    }


def packet_view(packet: ReferralPacket, *, full: bool = False) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": packet.id,
        "case_id": packet.case_id,
        "kind": packet.kind,
        "status": packet.status,
        "created_by": packet.created_by,
        "created_at": packet.created_at,
        "reviewed_by": packet.reviewed_by,
        "reviewed_at": packet.reviewed_at,
        "review_note": packet.review_note,
    }
    if full:
        view["payload"] = packet.payload
    return view


def safety_view(session: Session, case_id: int, now: datetime | None = None) -> dict[str, Any]:
    """Everything critical-case handling knows about one case (the ``safety`` key of ``GET /v1/cases/{id}``)."""
    watch = watch_of(session, case_id)
    return {
        "escalation": watch_view(watch, now) if watch is not None and watch.escalated else None,
        "followups": [task_view(t, now) for t in tasks_of(session, case_id)],
        "holds": [hold_view(h) for h in active_holds(session, case_id)],
        "resolutions": [
            {"code": r.code, "note": r.note, "flags": r.flags, "actor": r.actor, "created_at": r.created_at}
            for r in resolutions_of(session, case_id)
        ],
        "packets": [packet_view(p) for p in packets_of(session, case_id)],
    }


def queue_facts(session: Session, case_ids: list[int], *, now: datetime) -> dict[int, dict[str, Any]]:
    """The queue row's critical-case fields for many cases in three queries (owner, follow-ups, holds)."""
    if not case_ids:
        return {}
    watches = {
        w.case_id: w
        for w in session.exec(
            select(CaseWatch).where(col(CaseWatch.case_id).in_(case_ids), col(CaseWatch.closed_at).is_(None))
        )
    }
    tasks: dict[int, list[datetime]] = {}
    for task in session.exec(
        select(FollowUpTask).where(
            col(FollowUpTask.case_id).in_(case_ids), FollowUpTask.status == TaskStatus.OPEN.value
        )
    ):
        tasks.setdefault(task.case_id, []).append(task.due_at)
    held = set(
        session.exec(
            select(PreservationHold.case_id).where(
                col(PreservationHold.case_id).in_(case_ids), col(PreservationHold.released_at).is_(None)
            )
        )
    )
    facts: dict[int, dict[str, Any]] = {}
    for case_id in case_ids:
        watch, due = watches.get(case_id), tasks.get(case_id, [])
        escalation = watch if watch is not None and watch.escalated else None  # else owned from the queue only
        facts[case_id] = {
            "owner": watch.owner if watch else None,
            "ack_due_at": escalation.ack_due_at if escalation else None,
            "acknowledged": (escalation.acked_at is not None) if escalation else None,
            "ack_overdue": bool(escalation and escalation.acked_at is None and now > escalation.ack_due_at),
            "open_followups": len(due),
            "followup_due_at": min(due, default=None),
            "held": case_id in held,
        }
    return facts
