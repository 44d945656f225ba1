"""The demo seed goes through the same intake as the API: every message gets its draft job, re-seeding adds none."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from app.cases.models import Message
from app.demo.seed import DEMO_USERS, demo_messages, seed_demo
from app.jobs.models import Job
from app.services import Services


def stored(services: Services) -> tuple[list[Message], list[Job]]:
    with Session(services.engine) as session:
        return list(session.exec(select(Message).order_by(col(Message.id)))), list(session.exec(select(Job)))


def test_seed_queues_one_draft_per_message_and_is_idempotent(make_services: Any) -> None:
    services: Services = make_services()
    first = seed_demo(services, days=7)
    assert first.ingested == len(demo_messages(7)) and first.replayed == 0
    assert set(first.tokens) == set(DEMO_USERS)
    messages, all_jobs = stored(services)
    assert len(messages) == first.ingested
    assert all(job.status == "queued" for job in all_jobs)
    jobs = [job for job in all_jobs if job.kind == "draft"]
    screens = {job.payload["message_id"] for job in all_jobs if job.kind == "screen"}
    drafted = {job.payload["message_id"] for job in jobs}
    assert drafted <= {m.id for m in messages} and len(drafted) == len(jobs)
    assert {m.case_id for m in messages} == {job.case_id for job in jobs}, "every case has its draft queued"
    assert screens == drafted, "every drafted message is screened for risk first"

    again = seed_demo(services, days=7)
    assert (again.ingested, again.replayed) == (0, first.ingested)
    assert again.tokens != first.tokens, "a re-seed issues fresh tokens (old ones are stored hashed)"
    messages_after, jobs_after = stored(services)
    assert [m.id for m in messages_after] == [m.id for m in messages]
    assert sorted(j.id or 0 for j in jobs_after) == sorted(j.id or 0 for j in all_jobs), "replays queue no new work"
