"""Decision statistics for QA: how often specialists take the model's draft as is, edit it, or reject it.

Rates are over *reviewed* drafts (approve + edit + reject); escalations and re-draft requests are counted
beside them, because neither says whether the draft was good.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, func, select

from app.review.models import Action, Decision

UNCATEGORISED = "(none)"


@dataclass
class CategoryStats:
    category: str
    counts: dict[str, int] = field(default_factory=dict)
    edit_distance_sum: float = 0.0

    def count(self, action: Action) -> int:
        return self.counts.get(action.value, 0)

    @property
    def reviewed(self) -> int:
        return self.count(Action.APPROVE) + self.count(Action.EDIT) + self.count(Action.REJECT)

    def rate(self, action: Action) -> float | None:
        return self.count(action) / self.reviewed if self.reviewed else None

    @property
    def acceptance_rate(self) -> float | None:
        """Drafts sent unchanged."""
        return self.rate(Action.APPROVE)

    @property
    def edit_rate(self) -> float | None:
        return self.rate(Action.EDIT)

    @property
    def reject_rate(self) -> float | None:
        return self.rate(Action.REJECT)

    @property
    def mean_edit_distance(self) -> float | None:
        edits = self.count(Action.EDIT)
        return self.edit_distance_sum / edits if edits else None


@dataclass(frozen=True)
class DecisionStats:
    by_category: list[CategoryStats]
    overall: CategoryStats
    reject_reasons: list[tuple[str, int]]
    recent: list[Decision]


def decision_stats(session: Session, *, since: datetime, recent: int = 20) -> DecisionStats:
    rows = session.exec(
        select(Decision.category, Decision.action, func.count(), func.sum(Decision.edit_distance))
        .where(col(Decision.created_at) >= since)
        .group_by(col(Decision.category), col(Decision.action))
    )
    per: dict[str, CategoryStats] = {}
    overall = CategoryStats("all categories")
    for category, action, n, distance in rows:
        name = category or UNCATEGORISED
        stats = per.setdefault(name, CategoryStats(name))
        for target in (stats, overall):
            target.counts[action] = target.counts.get(action, 0) + int(n)
            if action == Action.EDIT.value and distance is not None:
                target.edit_distance_sum += float(distance)
    reasons = session.exec(
        select(Decision.reason, func.count())
        .where(col(Decision.created_at) >= since, Decision.action == Action.REJECT.value)
        .group_by(col(Decision.reason))
        .order_by(func.count().desc())
    )
    latest = session.exec(
        select(Decision).where(col(Decision.created_at) >= since).order_by(col(Decision.id).desc()).limit(recent)
    )
    ordered = sorted(per.values(), key=lambda s: (-s.reviewed, s.category))
    return DecisionStats(
        by_category=ordered,
        overall=overall,
        reject_reasons=[(reason or "unspecified", int(n)) for reason, n in reasons],
        recent=list(latest),
    )
