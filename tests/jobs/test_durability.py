"""Jobs survive crashes and outages: a dead worker's job is reclaimed and lands once; exhausted jobs are visible."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.clock import ManualClock
from app.jobs import queue
from app.jobs.models import Job
from app.llm.fake import FakeProvider
from app.llm.provider import ProviderError
from app.main import create_app
from app.triage.models import Draft
from tests.api.test_flow import COINS
from tests.conftest import add_user, auth


def _client_for(services: Any) -> TestClient:
    return TestClient(create_app(services.settings, services, run_worker=False))


def _screen(services: Any) -> None:
    """Run the message's risk screens (rules, then the flag model), which every worker takes before any draft."""
    for _ in range(2):
        assert asyncio.run(services.worker().run_once()) is True
    with Session(services.engine) as session:
        kinds = {job.kind: job.status for job in session.exec(select(Job))}
    assert kinds["screen"] == kinds["screen_model"] == "done" and kinds["draft"] == "queued"


def _draft_job(session: Session) -> Job:
    return session.exec(select(Job).where(Job.kind == "draft")).one()


def test_crashed_worker_job_is_reclaimed_and_completes_once(
    make_services: Any, database_url: str, clock: ManualClock
) -> None:
    services = make_services(database_url, job_lease_s=30)
    token = add_user(services, "s", "specialist")
    with _client_for(services) as client:
        case_id = client.post("/v1/messages", json=COINS, headers=auth(token)).json()["case_id"]
    _screen(services)

    # Worker A claims the job and dies before finishing (no complete, no fail: just gone).
    crashed = queue.claim(services.engine, worker_id="worker-a", lease_s=30, clock=clock)
    assert crashed is not None and crashed.case_id == case_id
    # While A's lease is live nobody else may take the job.
    assert asyncio.run(services.worker("worker-b").run_once()) is False
    clock.advance(seconds=31)
    assert asyncio.run(services.worker("worker-b").run_once()) is True

    # A zombie A waking up late cannot complete the job a second time.
    with Session(services.engine) as session:
        assert queue.complete(session, crashed, now=clock.now()) is False
        session.rollback()
        drafts = session.exec(select(Draft).where(Draft.case_id == case_id)).all()
        job = _draft_job(session)
    assert len(drafts) == 1
    assert job.status == "done" and job.attempts == 2


def test_job_that_keeps_failing_ends_draft_failed_with_reason(
    make_services: Any, database_url: str, clock: ManualClock
) -> None:
    def always_down(_request: Any) -> ProviderError:
        return ProviderError("upstream 503 Service Unavailable", retryable=True)

    services = make_services(database_url, provider=FakeProvider(fail=always_down), job_max_attempts=3)
    token = add_user(services, "s", "specialist")
    with _client_for(services) as client:
        case_id = client.post("/v1/messages", json=COINS, headers=auth(token)).json()["case_id"]
        _screen(services)
        for _ in range(3):
            assert asyncio.run(services.worker().run_once()) is True
        assert asyncio.run(services.worker().run_once()) is False  # dead: not retried forever
        case = client.get(f"/v1/cases/{case_id}", headers=auth(token)).json()
        assert case["status"] == "draft_failed"
        failed = client.get("/v1/queue?status=draft_failed", headers=auth(token)).json()["items"]
        assert [c["id"] for c in failed] == [case_id]
        assert "503" in failed[0]["last_error"]
        # The message is still there, and a specialist can ask for another try.
        assert case["messages"][0]["body"] == COINS["body"]
        redraft = client.post(f"/v1/cases/{case_id}/decisions", json={"action": "redraft"}, headers=auth(token))
        assert redraft.status_code == 201


def test_non_retryable_error_is_not_retried(make_services: Any, clock: ManualClock) -> None:
    services = make_services(provider=FakeProvider(fail=lambda _r: ProviderError("401 bad key", retryable=False)))
    token = add_user(services, "s", "specialist")
    with _client_for(services) as client:
        client.post("/v1/messages", json=COINS, headers=auth(token))
    _screen(services)
    assert asyncio.run(services.worker().run_once()) is True
    with Session(services.engine) as session:
        job = _draft_job(session)
    assert job.status == "dead" and job.attempts == 1 and "401" in (job.last_error or "")


def test_backoff_grows_with_jitter() -> None:
    import random

    rng = random.Random(7)
    delays = [queue.backoff_seconds(n, base=2, cap=60, rng=rng) for n in range(1, 8)]
    assert delays[0] <= 2 and delays[-1] <= 60
    assert delays[4] > delays[0]
    assert len({round(d, 6) for d in delays}) == len(delays)


def test_retry_after_from_the_provider_delays_the_retry(make_services: Any, clock: ManualClock) -> None:
    """A 429's Retry-After or an exhausted daily token budget makes the job wait at least that long."""
    busy = ProviderError("daily token budget exhausted", retryable=True, retry_after_s=3600)
    services = make_services(provider=FakeProvider(fail=lambda _r: busy))
    token = add_user(services, "s", "specialist")
    with _client_for(services) as client:
        client.post("/v1/messages", json=COINS, headers=auth(token))
    _screen(services)
    assert asyncio.run(services.worker().run_once()) is True
    with Session(services.engine) as session:
        job = _draft_job(session)
    assert job.status == "queued"
    assert (job.run_at - clock.now()).total_seconds() >= 3600
    clock.advance(seconds=1800)
    assert asyncio.run(services.worker().run_once()) is False  # still waiting
