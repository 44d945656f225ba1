"""The review queue page and the fragment htmx polls to keep it current without a full reload."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from sqlmodel import Session
from starlette.responses import Response

from app.auth.models import User
from app.cases.schemas import CaseSummary, Channel
from app.cases.states import CaseStatus
from app.deps import ClockDep, SessionDep
from app.desk.ownership import desk_users
from app.review.queue import list_queue
from app.taxonomy import RISK_FLAGS, Category, Priority
from app.web.guards import SpecialistPage
from app.web.queries import counts_by_severity, counts_by_status
from app.web.templating import age, render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 100
DEFAULT_REFRESH_S = 15
MIN_REFRESH_S = 2
CHOICES: dict[str, list[str]] = {
    "status": [s.value for s in CaseStatus],
    "category": [c.value for c in Category],
    "flag": list(RISK_FLAGS),
    "priority": [p.value for p in Priority],
    "channel": [c.value for c in Channel],
}
# Saved views: one click to the slices a team works from all day (``?view=``), combined with the filters above.
VIEWS: dict[str, str] = {
    "mine": "My cases",
    "unassigned": "Unassigned",
    "critical": "Critical",
    "breaching": "Breaching SLA",
}


@dataclass
class QueueFilters:
    values: dict[str, str] = field(default_factory=dict)
    page: int = 1
    refresh_s: int = DEFAULT_REFRESH_S
    view: str = ""
    ignored: list[str] = field(default_factory=list)

    @classmethod
    def from_request(cls, request: Request) -> QueueFilters:
        """Known filter values only; an unknown one is dropped and named on the page (not a 422 for a person)."""
        filters = cls()
        for name, allowed in CHOICES.items():
            value = request.query_params.get(name, "").strip()
            if not value:
                continue
            if value in allowed:
                filters.values[name] = value
            else:
                filters.ignored.append(f"{name}={value[:40]}")
        view = request.query_params.get("view", "").strip()
        if view in VIEWS:
            filters.view = view
        elif view:
            filters.ignored.append(f"view={view[:40]}")
        filters.page = _int(request.query_params.get("page"), 1, low=1, high=10_000)
        filters.refresh_s = _int(request.query_params.get("refresh"), DEFAULT_REFRESH_S, low=MIN_REFRESH_S, high=600)
        return filters

    def query(self, **extra: Any) -> str:
        params: dict[str, Any] = {"view": self.view, **self.values}
        if self.refresh_s != DEFAULT_REFRESH_S:
            params["refresh"] = self.refresh_s
        params.update(extra)
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _int(raw: str | None, default: int, *, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(raw))) if raw else default
    except ValueError:
        return default


def sla_text(summary: CaseSummary, now: datetime) -> tuple[str, str]:
    """("3h 05m" left | "−40m" past, css class) for the SLA countdown column; the cell's title says it in words."""
    if summary.sla_due_at is None:
        return "", ""
    minutes = int((summary.sla_due_at - now).total_seconds() // 60)
    if minutes < 0:
        return f"−{age(-minutes)}", "sla-breached"
    return age(minutes), "sla-soon" if minutes < 60 else "sla-ok"


def view_filters(view: str, user: User) -> dict[str, Any]:
    """The ``list_queue`` arguments a saved view adds."""
    chosen: dict[str, dict[str, Any]] = {
        "mine": {"owner": user.name},
        "unassigned": {"unassigned": True},
        "critical": {"severity": "critical"},
        "breaching": {"breaching": True},
    }
    return chosen.get(view, {})


def queue_context(session: Session, now: datetime, filters: QueueFilters, user: User) -> dict[str, Any]:
    offset = (filters.page - 1) * PAGE_SIZE
    chosen = filters.values.get
    items, total = list_queue(
        session,
        now=now,
        **view_filters(filters.view, user),
        status=chosen("status"),
        category=chosen("category"),
        flag=chosen("flag"),
        priority=chosen("priority"),
        channel=chosen("channel"),
        limit=PAGE_SIZE,
        offset=offset,
    )
    rows = []
    for item in items:
        text, css = sla_text(item, now)
        rows.append({"case": item, "sla": text, "sla_class": css})
    return {
        "rows": rows,
        "total": total,
        "filters": filters,
        "first": offset + 1 if items else 0,
        "last": offset + len(items),
        "has_next": offset + len(items) < total,
        "by_status": counts_by_status(session),
        "by_severity": counts_by_severity(session),
        "breached": sum(1 for r in rows if r["sla_class"] == "sla-breached"),
        "flag_severity": {code: spec.severity.value for code, spec in RISK_FLAGS.items()},
        "live_url": "/queue/rows?" + filters.query(page=filters.page if filters.page > 1 else None),
        "views": VIEWS,
        "view_query": lambda view: QueueFilters(dict(filters.values), view=view).query(),
    }


@router.get("/queue")
def queue_page(request: Request, session: SessionDep, clock: ClockDep, user: SpecialistPage) -> Response:
    filters = QueueFilters.from_request(request)
    context = queue_context(session, clock.now(), filters, user)
    return render(request, "queue.html", {**context, "choices": CHOICES, "desk_users": desk_users(session)})


@router.get("/queue/rows")
def queue_rows(request: Request, session: SessionDep, clock: ClockDep, user: SpecialistPage) -> Response:
    """The live part of the queue (counts and rows), swapped in place by htmx every few seconds."""
    filters = QueueFilters.from_request(request)
    return render(request, "_queue_live.html", queue_context(session, clock.now(), filters, user))
