"""Specialist decisions as ground truth: how drafts fare in review, and a golden suite built from them.

Rates are over *reviewed* drafts (approve + edit + reject), as on the console's QA page; escalations and
re-draft requests are counted beside them because neither says whether the draft was good. Statistics are given
per category and per prompt version, so "prompt v3 vs v4" is one table.

``export_golden`` turns approved and edited drafts into golden cases: the inbound message the draft answered,
the category the specialist let through, and the text actually sent — every text field passed through
``app.triage.redaction.redact`` (one mapping per case, so the same address gets the same placeholder in the
message and the reply).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.cases.models import Case, Message
from app.review.models import Action, Decision
from app.triage.models import Draft
from app.triage.redaction import redact

REVIEWED = (Action.APPROVE.value, Action.EDIT.value, Action.REJECT.value)
UNKNOWN = "(none)"


@dataclass
class Group:
    counts: dict[str, int] = field(default_factory=dict)
    edit_distance_sum: int = 0

    def add(self, decision: Decision) -> None:
        self.counts[decision.action] = self.counts.get(decision.action, 0) + 1
        if decision.action == Action.EDIT.value and decision.edit_distance is not None:
            self.edit_distance_sum += decision.edit_distance

    def summary(self) -> dict[str, Any]:
        reviewed = sum(self.counts.get(a, 0) for a in REVIEWED)
        edits = self.counts.get(Action.EDIT.value, 0)

        def rate(action: Action) -> float | None:
            return round(self.counts.get(action.value, 0) / reviewed, 4) if reviewed else None

        return {
            "decisions": sum(self.counts.values()),
            "reviewed": reviewed,
            "acceptance_rate": rate(Action.APPROVE),
            "edit_rate": rate(Action.EDIT),
            "reject_rate": rate(Action.REJECT),
            "escalated": self.counts.get(Action.ESCALATE.value, 0),
            "redrafts": self.counts.get(Action.REDRAFT.value, 0),
            "mean_edit_distance": round(self.edit_distance_sum / edits, 1) if edits else None,
        }


def decision_stats(session: Session, *, since: datetime | None = None) -> dict[str, Any]:
    """Acceptance, edit and reject rates and mean edit distance: overall, per category, per prompt version."""
    query = select(Decision).order_by(col(Decision.id))
    if since is not None:
        query = query.where(col(Decision.created_at) >= since)
    overall = Group()
    by_category: dict[str, Group] = {}
    by_prompt: dict[str, Group] = {}
    reasons: dict[str, int] = {}
    for decision in session.exec(query):
        overall.add(decision)
        by_category.setdefault(decision.category or UNKNOWN, Group()).add(decision)
        by_prompt.setdefault(decision.prompt_version or UNKNOWN, Group()).add(decision)
        if decision.action == Action.REJECT.value:
            reasons[decision.reason or "unspecified"] = reasons.get(decision.reason or "unspecified", 0) + 1
    return {
        "since": since.isoformat() if since else None,
        "overall": overall.summary(),
        "by_category": {k: g.summary() for k, g in sorted(by_category.items())},
        "by_prompt_version": {k: g.summary() for k, g in sorted(by_prompt.items())},
        "reject_reasons": dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
    }


def export_golden(session: Session, *, since: datetime | None = None) -> list[dict[str, Any]]:
    """Golden-suite rows (``GoldenCase`` shape) for every approve or edit decision, PII redacted."""
    query = (
        select(Decision)
        .where(col(Decision.action).in_([Action.APPROVE.value, Action.EDIT.value]))
        .order_by(col(Decision.id))
    )
    if since is not None:
        query = query.where(col(Decision.created_at) >= since)
    rows: list[dict[str, Any]] = []
    for decision in session.exec(query):
        if not decision.text or not decision.text.strip():
            continue
        case = session.get(Case, decision.case_id)
        draft = session.get(Draft, decision.draft_id) if decision.draft_id else None
        message = _answered_message(session, decision, draft)
        if case is None or message is None:
            continue
        clean = _Redactor()
        category = (draft.category if draft else None) or decision.category or case.category or "feedback_other"
        rows.append(
            {
                "id": f"case-{decision.case_id}-decision-{decision.id}",
                "sender_kind": message.sender_kind if message.sender_kind in ("user", "creator", "agency") else "user",
                "subject": clean(message.subject) if message.subject else None,
                "body": clean(message.body),
                "locale": message.locale or case.locale,
                "category": category,
                "final_reply": clean(decision.text),
                "action": decision.action,
                "prompt_version": decision.prompt_version,
                "edit_distance": decision.edit_distance,
                "flags": sorted({str(f.get("code")) for f in (draft.risk_flags if draft else [])}),
            }
        )
    return rows


class _Redactor:
    """Redacts every text of one case with one mapping, so a value keeps its placeholder across fields."""

    def __init__(self) -> None:
        self.mapping: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        result = redact(text, self.mapping)
        self.mapping.update(result.mapping)
        return result.text


def _answered_message(session: Session, decision: Decision, draft: Draft | None) -> Message | None:
    """The latest inbound message the draft could have seen (before the draft, else before the decision)."""
    cutoff = draft.created_at if draft is not None else decision.created_at
    inbound = list(
        session.exec(
            select(Message)
            .where(Message.case_id == decision.case_id, Message.direction == "inbound")
            .order_by(col(Message.id))
        )
    )
    before = [m for m in inbound if _naive(m.created_at) <= _naive(cutoff)]
    return (before or inbound)[-1] if inbound else None


def _naive(value: datetime) -> datetime:
    return value.replace(tzinfo=None)
