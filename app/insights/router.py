"""Reports and trends over HTTP, for QA and admins."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Query, status

from app.auth.deps import QA
from app.deps import ClockDep, SessionDep
from app.insights.period import Period, PeriodError, parse_instant, resolve_period
from app.insights.reports import ServiceReport, build_service_report
from app.insights.trends import DEFAULT_BASELINE_DAYS, DEFAULT_MIN_COUNT, DEFAULT_Z, TrendsReport, find_spikes
from app.validation import EARLIEST_DATE

LATEST_REPORT_DATE = datetime(2100, 1, 1, tzinfo=UTC)

router = APIRouter(prefix="/v1", tags=["insights"])


@router.get("/reports/service", response_model=ServiceReport)
def service_report(
    session: SessionDep,
    clock: ClockDep,
    _user: QA,
    since: str | None = Query(
        default=None, max_length=40, description="ISO date or date-time, inclusive; default 7 days before until"
    ),
    until: str | None = Query(
        default=None, max_length=40, description="ISO date (end of that day) or date-time, exclusive; default now"
    ),
) -> ServiceReport:
    now = clock.now()
    try:
        period = _period(since, until, now=now)
    except PeriodError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    return build_service_report(session, period=period, now=now)


def _period(since: str | None, until: str | None, *, now: datetime) -> Period:
    """``resolve_period`` with both ends bounded first: '9999-12-31' (one day past it overflows) or '0001-01-01'
    would otherwise be an OverflowError in the date arithmetic, and stored timestamps are bounded the same way."""
    for name, value in (("since", since), ("until", until)):
        if value is None:
            continue
        try:
            moment = parse_instant(value, field=name, end_of_day=name == "until")
        except OverflowError:
            moment = None
        if moment is None or not EARLIEST_DATE <= moment <= LATEST_REPORT_DATE:
            raise PeriodError(
                name, f"{value.strip()!r} is outside the dates reports cover: {EARLIEST_DATE.date()} to 2099-12-31"
            )
    return resolve_period(since, until, now=now)


@router.get("/insights/trends", response_model=TrendsReport)
def trends(
    session: SessionDep,
    clock: ClockDep,
    _user: QA,
    min_count: int = Query(default=DEFAULT_MIN_COUNT, ge=1, le=10_000, description="fewest cases a spike needs"),
    z: float = Query(default=DEFAULT_Z, gt=0, le=100, description="Poisson z-score a spike needs"),
    baseline_days: int = Query(default=DEFAULT_BASELINE_DAYS, ge=1, le=365, description="trailing baseline"),
) -> TrendsReport:
    return find_spikes(session, as_of=clock.now(), baseline_days=baseline_days, min_count=min_count, z_threshold=z)
