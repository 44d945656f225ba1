"""Period parsing shared by the CLI and the API: dates, date-times, defaults and the errors people hit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.insights.period import PeriodError, resolve_period

NOW = datetime(2026, 11, 15, 18, 30, tzinfo=UTC)


def test_two_dates_cover_both_whole_days() -> None:
    period = resolve_period("2026-11-01", "2026-11-07", now=NOW)
    assert period.since == datetime(2026, 11, 1, tzinfo=UTC)
    assert period.until == datetime(2026, 11, 8, tzinfo=UTC)  # exclusive: all of 7 November is in
    assert period.days == 7 and period.day_keys()[0] == "2026-11-01" and period.day_keys()[-1] == "2026-11-07"


def test_default_is_the_last_seven_days() -> None:
    period = resolve_period(None, None, now=NOW)
    assert (period.since, period.until) == (NOW - timedelta(days=7), NOW)
    assert len(period.day_keys()) == 8  # a partial first and last day


def test_date_times_keep_their_offset_and_naive_means_utc() -> None:
    period = resolve_period("2026-11-01T09:00:00+02:00", "2026-11-02T10:00", now=NOW)
    assert period.since == datetime(2026, 11, 1, 7, tzinfo=UTC)
    assert period.until == datetime(2026, 11, 2, 10, tzinfo=UTC)
    assert resolve_period("2026-11-01T00:00:00Z", None, now=NOW).until == NOW


@pytest.mark.parametrize(
    ("since", "until", "field", "words"),
    [
        ("last week", None, "since", "ISO date"),
        (None, "2026-13-01", "until", "ISO date"),
        ("2026-11-08", "2026-11-01", "since", "earlier than until"),
        ("2026-11-01T12:00Z", "2026-11-01T12:00Z", "since", "earlier than until"),
        ("2020-01-01", "2026-11-01", "since", "at most 366"),
    ],
)
def test_errors_name_the_field(since: str | None, until: str | None, field: str, words: str) -> None:
    with pytest.raises(PeriodError) as caught:
        resolve_period(since, until, now=NOW)
    assert caught.value.field == field and words in caught.value.problem
