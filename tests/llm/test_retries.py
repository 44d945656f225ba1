"""The retry policy in isolation: which failures are retried, and how ``Retry-After`` is read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from app.llm.retries import MAX_CLIENT_WAIT_S, failure_for_status, retry_after, should_retry


def test_retry_after_forms() -> None:
    assert retry_after({"retry-after": "12"}) == 12
    assert retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (retry_after({"retry-after": soon}) or 0) <= 30
    assert retry_after({"retry-after": "soon-ish"}) is None and retry_after({}) is None


@pytest.mark.parametrize(
    ("status", "retryable"),
    [(400, False), (401, False), (403, False), (404, False), (408, True), (429, True), (500, True), (503, True)],
)
def test_status_policy(status: int, retryable: bool) -> None:
    failure = failure_for_status(status, f"Error code: {status}\nTraceback: secret internals", {})
    assert failure.retryable is retryable and failure.status == status
    assert "Traceback" not in str(failure)  # only the first line of a server's message is kept


def test_a_long_retry_after_is_left_to_the_job_queue() -> None:
    short = failure_for_status(429, "slow down", {"retry-after": str(MAX_CLIENT_WAIT_S)})
    long = failure_for_status(429, "slow down", {"retry-after": str(MAX_CLIENT_WAIT_S + 1)})
    assert should_retry(short) and not should_retry(long) and long.retry_after_s == MAX_CLIENT_WAIT_S + 1
