"""Repeat-complaint clusters: one requester coming back about the same thing.

A cluster is a run of a requester's cases in one category where each case arrived within ``window_days`` of
the previous one (the same 14 days the ``repeat_complaint`` flag uses). A requester who writes three times about
missing coins, a week apart each time, is one cluster of three: the problem was not solved the first time. The
categories with the most clusters are where first answers fail most often.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlmodel import Session, col, select

from app.cases.models import Case
from app.insights.period import Period

DEFAULT_WINDOW_DAYS = 14
DEFAULT_MIN_CASES = 2
MAX_CLUSTERS = 200  # the report lists the largest; the totals still count every cluster


class RepeatCluster(BaseModel):
    requester_id: str
    requester_kind: str
    requester_name: str | None
    category: str
    cases: int
    case_ids: list[int]
    first_at: datetime
    last_at: datetime


class RepeatCategory(BaseModel):
    category: str
    clusters: int
    requesters: int
    cases: int


class RepeatReport(BaseModel):
    window_days: int
    min_cases: int
    clusters_total: int
    requesters_total: int
    top_categories: list[RepeatCategory]
    clusters: list[RepeatCluster]


def _runs(cases: list[Case], gap: timedelta) -> list[list[Case]]:
    """Split time-ordered cases wherever two neighbours are more than ``gap`` apart."""
    runs: list[list[Case]] = []
    for case in cases:
        if runs and case.first_received_at - runs[-1][-1].first_received_at <= gap:
            runs[-1].append(case)
        else:
            runs.append([case])
    return runs


def repeat_clusters(
    session: Session,
    *,
    period: Period,
    window_days: int = DEFAULT_WINDOW_DAYS,
    min_cases: int = DEFAULT_MIN_CASES,
) -> RepeatReport:
    """Clusters among the cases first received in ``period``; cases not yet categorised are left out."""
    stmt = (
        select(Case)
        .where(
            col(Case.first_received_at) >= period.since,
            col(Case.first_received_at) < period.until,
            col(Case.category).is_not(None),
        )
        .order_by(col(Case.first_received_at), col(Case.id))
    )
    groups: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for case in session.exec(stmt):
        assert case.category is not None
        groups[(case.requester_id, case.category)].append(case)
    clusters: list[RepeatCluster] = []
    for (requester_id, category), cases in groups.items():
        for run in _runs(cases, timedelta(days=window_days)):
            if len(run) < min_cases:
                continue
            clusters.append(
                RepeatCluster(
                    requester_id=requester_id,
                    requester_kind=run[-1].requester_kind,
                    requester_name=run[-1].requester_name,
                    category=category,
                    cases=len(run),
                    case_ids=[c.id for c in run if c.id is not None],
                    first_at=run[0].first_received_at,
                    last_at=run[-1].first_received_at,
                )
            )
    clusters.sort(key=lambda c: (-c.cases, -c.last_at.timestamp(), c.requester_id))
    return RepeatReport(
        window_days=window_days,
        min_cases=min_cases,
        clusters_total=len(clusters),
        requesters_total=len({c.requester_id for c in clusters}),
        top_categories=_by_category(clusters),
        clusters=clusters[:MAX_CLUSTERS],
    )


def _by_category(clusters: list[RepeatCluster]) -> list[RepeatCategory]:
    per: dict[str, list[RepeatCluster]] = defaultdict(list)
    for cluster in clusters:
        per[cluster.category].append(cluster)
    rows = [
        RepeatCategory(
            category=category,
            clusters=len(items),
            requesters=len({c.requester_id for c in items}),
            cases=sum(c.cases for c in items),
        )
        for category, items in per.items()
    ]
    return sorted(rows, key=lambda r: (-r.clusters, -r.cases, r.category))
