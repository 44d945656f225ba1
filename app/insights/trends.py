"""Spikes: categories or risk flags arriving far more often than they used to.

For each window (the last 24 hours, the last 7 days) we count cases by category and by flag, and compare the
count with what the trailing baseline predicts for a window of that length:

    expected = baseline_count × window / baseline_span
    z        = (observed − expected) / √max(expected, 1)

which is a Poisson z-score (a Poisson count's variance equals its mean). The floor of 1 under the square root
keeps a category that was silent before from scoring infinity: five scam reports where none were seen scores
z ≈ 5, not ∞. A spike needs both ``observed ≥ min_count`` (a handful of cases is not a trend) and
``z ≥ z_threshold``. A window is only judged when there is at least one whole window of history before it;
otherwise a new deployment would report everything as a spike.

Cases are dated by their first message and labelled with their current category and flags, which is what the
team sees in the queue. Spikes in critical or high flags, and in categories that start at P0/P1, are marked
``escalate``: those are the suspicious trends T&S must hand on (a scam wave, a payment attack, a safety issue).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlmodel import Session, col, func, select

from app.cases.models import Case
from app.taxonomy import CATEGORY_BASE_PRIORITY, Category, Priority, Severity, severity_of

WINDOWS: tuple[tuple[str, timedelta], ...] = (("24h", timedelta(hours=24)), ("7d", timedelta(days=7)))
DEFAULT_BASELINE_DAYS = 28
DEFAULT_MIN_COUNT = 5
DEFAULT_Z = 3.0
METHOD = (
    "z = (observed - expected) / sqrt(max(expected, 1)); expected = baseline count scaled to the window; "
    "a spike needs observed >= min_count and z >= z_threshold"
)
_URGENT_SEVERITIES = (Severity.CRITICAL, Severity.HIGH)
_URGENT_PRIORITIES = (Priority.P0, Priority.P1)

Key = tuple[str, str]  # (kind, code): ("category", "scam_fraud_report") or ("flag", "fraud_scam")


class TrendRow(BaseModel):
    kind: str
    code: str
    observed: int
    expected: float
    z: float


class Spike(TrendRow):
    window: str
    baseline_cases: int
    baseline_days: float
    ratio: float | None  # observed / expected; None when nothing was expected
    escalate: bool
    explanation: str


class WindowSummary(BaseModel):
    window: str
    start: datetime
    end: datetime
    baseline_start: datetime | None
    baseline_days: float
    skipped: str | None  # why this window was not judged (too little history)
    rows: list[TrendRow]


class TrendsReport(BaseModel):
    as_of: datetime
    min_count: int
    z_threshold: float
    baseline_days: int
    method: str
    spikes: list[Spike]
    windows: list[WindowSummary]


def poisson_z(observed: int, expected: float) -> float:
    """How many standard deviations ``observed`` lies above a Poisson mean of ``expected`` (floored at 1)."""
    return (observed - expected) / math.sqrt(max(expected, 1.0))


def must_escalate(kind: str, code: str) -> bool:
    if kind == "flag":
        return severity_of(code) in _URGENT_SEVERITIES
    try:
        return CATEGORY_BASE_PRIORITY[Category(code)] in _URGENT_PRIORITIES
    except ValueError:
        return False


def _keys(case: tuple[datetime, str | None, list[str]]) -> Iterable[Key]:
    _at, category, flags = case
    if category:
        yield ("category", category)
    for code in sorted(set(flags or [])):
        yield ("flag", code)


def _count(cases: list[tuple[datetime, str | None, list[str]]], start: datetime, end: datetime) -> Counter[Key]:
    counts: Counter[Key] = Counter()
    for case in cases:
        if start <= case[0] < end:
            counts.update(_keys(case))
    return counts


def find_spikes(
    session: Session,
    *,
    as_of: datetime,
    baseline_days: int = DEFAULT_BASELINE_DAYS,
    min_count: int = DEFAULT_MIN_COUNT,
    z_threshold: float = DEFAULT_Z,
) -> TrendsReport:
    """Spikes in the windows ending at ``as_of``, each compared with the ``baseline_days`` before it."""
    baseline = timedelta(days=baseline_days)
    horizon = as_of - max(w for _, w in WINDOWS) - baseline
    earliest: datetime | None = session.exec(select(func.min(Case.first_received_at))).one()
    rows = session.exec(
        select(Case.first_received_at, Case.category, Case.flag_codes).where(
            col(Case.first_received_at) >= horizon, col(Case.first_received_at) < as_of
        )
    )
    cases = [(at, category, list(flags or [])) for at, category, flags in rows]
    spikes: list[Spike] = []
    windows: list[WindowSummary] = []
    for name, length in WINDOWS:
        summary, found = _judge(cases, name, length, as_of, baseline, earliest, min_count, z_threshold)
        windows.append(summary)
        spikes.extend(found)
    spikes.sort(key=lambda s: (-s.z, s.window, s.kind, s.code))
    return TrendsReport(
        as_of=as_of,
        min_count=min_count,
        z_threshold=z_threshold,
        baseline_days=baseline_days,
        method=METHOD,
        spikes=spikes,
        windows=windows,
    )


def _judge(
    cases: list[tuple[datetime, str | None, list[str]]],
    name: str,
    length: timedelta,
    as_of: datetime,
    baseline: timedelta,
    earliest: datetime | None,
    min_count: int,
    z_threshold: float,
) -> tuple[WindowSummary, list[Spike]]:
    start = as_of - length
    baseline_start = max(start - baseline, earliest) if earliest is not None else None
    span = (start - baseline_start) if baseline_start is not None else timedelta(0)
    span_days = round(span.total_seconds() / 86400, 2)
    if baseline_start is None or span < length:
        reason = f"needs at least {_human(length)} of history before the window; {span_days} days available"
        return WindowSummary(
            window=name,
            start=start,
            end=as_of,
            baseline_start=baseline_start,
            baseline_days=max(span_days, 0.0),
            skipped=reason,
            rows=[],
        ), []
    observed = _count(cases, start, as_of)
    before = _count(cases, baseline_start, start)
    scale = length / span
    rows: list[TrendRow] = []
    spikes: list[Spike] = []
    for kind, code in sorted(set(observed) | set(before)):
        seen = observed[(kind, code)]
        expected = before[(kind, code)] * scale
        z = poisson_z(seen, expected)
        row = TrendRow(kind=kind, code=code, observed=seen, expected=round(expected, 3), z=round(z, 2))
        rows.append(row)
        if seen >= min_count and z >= z_threshold:
            spikes.append(
                Spike(
                    **row.model_dump(),
                    window=name,
                    baseline_cases=before[(kind, code)],
                    baseline_days=span_days,
                    ratio=round(seen / expected, 2) if expected > 0 else None,
                    escalate=must_escalate(kind, code),
                    explanation=(
                        f"{seen} cases with {kind} {code} in the last {_human(length)}; {expected:.2f} expected from "
                        f"{before[(kind, code)]} in the previous {span_days:g} days (z = {z:.1f})"
                    ),
                )
            )
    rows.sort(key=lambda r: (-r.z, r.kind, r.code))
    summary = WindowSummary(
        window=name,
        start=start,
        end=as_of,
        baseline_start=baseline_start,
        baseline_days=span_days,
        skipped=None,
        rows=rows,
    )
    return summary, spikes


def _human(length: timedelta) -> str:
    hours = length.total_seconds() / 3600
    return f"{hours:g} h" if hours < 48 else f"{hours / 24:g} d"
