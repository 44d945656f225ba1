"""Sign-in throttling: five failures from one IP in ten minutes lock that IP out (429) until the window passes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.auth.deps import SESSION_COOKIE
from app.clock import ManualClock
from app.main import create_app
from app.ratelimit.models import RateLimitHit
from app.ratelimit.store import SharedRateLimiter
from app.web.login_limiter import blocked_message
from tests.web.conftest import Console, sign_in

WRONG = "tdk_not-a-token"


def fail_times(client: TestClient, count: int) -> None:
    for _ in range(count):
        assert sign_in(client, WRONG).status_code == 401


def test_sixth_attempt_is_refused_even_with_the_right_token(console: Console) -> None:
    fail_times(console.client, 5)
    blocked = sign_in(console.client, console.tokens["specialist"])
    assert blocked.status_code == 429
    assert blocked.headers["Retry-After"] == "600"
    assert "too many failed sign-in attempts; try again in 10 minutes" in blocked.text.lower()
    assert SESSION_COOKIE not in console.client.cookies
    assert 'name="csrf_token"' in blocked.text  # still the login page, so the user can try again later


def test_login_works_again_once_the_window_has_passed(console: Console, clock: ManualClock) -> None:
    fail_times(console.client, 5)
    clock.advance(minutes=9)
    still = sign_in(console.client, console.tokens["specialist"])
    assert still.status_code == 429 and still.headers["Retry-After"] == "60"
    assert "try again in 1 minute." in still.text
    clock.advance(minutes=1)
    ok = sign_in(console.client, console.tokens["specialist"])
    assert ok.status_code == 303 and SESSION_COOKIE in console.client.cookies


def test_failures_slide_out_of_the_window_one_by_one(console: Console, clock: ManualClock) -> None:
    fail_times(console.client, 1)
    clock.advance(minutes=6)
    fail_times(console.client, 4)  # five in the window: blocked until the first one ages out, 4 minutes on
    assert sign_in(console.client, WRONG).headers["Retry-After"] == "240"
    clock.advance(minutes=4)
    assert sign_in(console.client, WRONG).status_code == 401  # one slot free again, and this failure refills it
    assert sign_in(console.client, WRONG).status_code == 429


def test_a_successful_sign_in_clears_the_failures(console: Console) -> None:
    fail_times(console.client, 4)
    assert sign_in(console.client, console.tokens["specialist"]).status_code == 303
    console.client.cookies.clear()
    fail_times(console.client, 4)  # would be 8 without the reset
    assert sign_in(console.client, console.tokens["qa"]).status_code == 303


def test_other_addresses_are_not_affected(console: Console) -> None:
    fail_times(console.client, 5)
    assert sign_in(console.client, console.tokens["qa"]).status_code == 429
    elsewhere = TestClient(console.client.app, client=("198.51.100.7", 50000))
    assert sign_in(elsewhere, console.tokens["qa"]).status_code == 303


def test_forged_forms_and_empty_tokens_do_not_count(console: Console) -> None:
    """Only a token that was actually checked and refused counts; a CSRF or empty-form mistake is not a guess."""
    client = console.client
    client.get("/login")
    for _ in range(6):
        assert client.post("/login", data={"token": WRONG, "csrf_token": "x"}).status_code == 403
        assert sign_in(client, "  ").status_code == 422
    assert sign_in(client, console.tokens["admin"]).status_code == 303


def test_two_api_processes_on_one_database_share_the_budget(console: Console) -> None:
    """A second app on the same database (another uvicorn worker, another replica) sees the same failures."""
    fail_times(console.client, 3)
    other = TestClient(create_app(console.services.settings, console.services, run_worker=False))
    fail_times(other, 2)
    assert sign_in(console.client, console.tokens["qa"]).status_code == 429
    assert sign_in(other, console.tokens["qa"]).status_code == 429


def test_failures_that_left_the_window_are_deleted(console: Console, clock: ManualClock) -> None:
    engine = console.services.engine
    limiter = SharedRateLimiter(engine, clock, scope="login", max_failures=2, window=timedelta(minutes=10))
    for client in ("a", "b", "c"):
        limiter.failed(client)
    clock.advance(minutes=11)
    limiter.failed("d")
    with Session(engine) as session:
        assert session.exec(select(RateLimitHit.client)).all() == ["d"], "the table holds only the window"


def test_limiter_rejects_nonsense_settings(console: Console) -> None:
    engine = console.services.engine
    with pytest.raises(ValueError):
        SharedRateLimiter(engine, ManualClock(), scope="login", max_failures=0, window=timedelta(minutes=1))
    with pytest.raises(ValueError):
        SharedRateLimiter(engine, ManualClock(), scope="login", max_failures=1, window=timedelta(0))


def test_blocked_message_rounds_up_to_whole_minutes() -> None:
    assert blocked_message(timedelta(seconds=61)).endswith("try again in 2 minutes.")
    assert blocked_message(timedelta(seconds=5)).endswith("try again in 1 minute.")
