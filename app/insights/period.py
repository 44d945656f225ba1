"""The reporting period: ``since`` inclusive, ``until`` exclusive, both aware UTC.

The CLI and the API take the same strings, so the parsing lives here once. A bare date means midnight UTC; as
``until`` it means the *end* of that day, so ``--since 2026-11-01 --until 2026-11-07`` covers seven whole days,
which is what a person typing two dates expects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

DEFAULT_DAYS = 7
MAX_DAYS = 366  # bounds the per-day table and the queries; longer spans are several reports
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PeriodError(ValueError):
    """A ``since``/``until`` value that cannot be used; ``field`` names the option or query parameter."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class Period:
    since: datetime
    until: datetime

    @property
    def days(self) -> float:
        return (self.until - self.since).total_seconds() / 86400

    def day_keys(self) -> list[str]:
        """Every UTC date the period touches, in order (the per-day volume table shows empty days too)."""
        first = self.since.date()
        last = (self.until - timedelta(microseconds=1)).date()
        return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def parse_instant(value: str, *, field: str, end_of_day: bool) -> datetime:
    """An ISO date or date-time; no offset means UTC. With ``end_of_day`` a bare date means the next midnight."""
    text = value.strip()
    try:
        if _DATE_ONLY.match(text):
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time(), tzinfo=UTC)
            parsed = moment + timedelta(days=1) if end_of_day else moment
        else:
            parsed = datetime.fromisoformat(text)
            parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except ValueError as exc:
        raise PeriodError(
            field, f"{value!r} is not an ISO date (2026-11-01) or date-time (2026-11-01T09:30:00Z)"
        ) from exc
    except OverflowError as exc:  # year 9999 plus a day, or year 1 moved by its offset
        raise PeriodError(field, f"{value!r} is outside the years 2000-2099 that reports cover") from exc
    if not _EARLIEST <= parsed <= _LATEST:
        raise PeriodError(field, f"{value!r} is outside the years 2000-2099 that reports cover")
    return parsed


def resolve_period(since: str | None, until: str | None, *, now: datetime, default_days: int = DEFAULT_DAYS) -> Period:
    """The period the caller asked for; missing ends default to ``now`` and ``default_days`` before ``until``."""
    end = parse_instant(until, field="until", end_of_day=True) if until else now.astimezone(UTC)
    start = parse_instant(since, field="since", end_of_day=False) if since else end - timedelta(days=default_days)
    if start >= end:
        day_end = f", the end of {until.strip()}" if until and _DATE_ONLY.match(until.strip()) else ""
        raise PeriodError("since", f"{start.isoformat()} must be earlier than until ({end.isoformat()}{day_end})")
    if end - start > timedelta(days=MAX_DAYS):
        raise PeriodError("since", f"the period is {(end - start).days} days; at most {MAX_DAYS} fit in one report")
    return Period(since=start, until=end)
