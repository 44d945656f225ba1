"""The set-based ingest of a batch's first messages stores exactly what the one-message path stores.

One burst is written twice, on fresh databases: message by message through ``accept_message``, and the way the
group-commit writer does it (``ingest_first_messages`` for the batch, the one-message path for what it leaves).
The burst mixes what a busy channel sends at once: first messages, two messages of one thread, a retry of a stored
message, a follow-up on a thread that already has a case, and a request with an Idempotency-Key.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.cases.bulk_ingest import Candidate, ingest_first_messages
from app.cases.intake import PendingWrites, accept_message
from app.cases.models import Case, CaseEvent, Message
from app.cases.schemas import MessageIn
from app.jobs.models import Job
from app.migrate import upgrade

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def msg(external_id: str, sender: str, thread: str | None = None, body: str = "I paid but got no coins") -> MessageIn:
    return MessageIn.model_validate(
        {
            "channel": "in_app_chat",
            "external_id": external_id,
            "sender": {"id": sender, "kind": "user"},
            "thread_id": thread,
            "body": body,
        }
    )


EARLIER = [msg("old-1", "user-old", "t-old"), msg("old-2", "user-retry")]
BURST: list[tuple[MessageIn, str | None]] = [
    (msg("new-1", "user-1"), None),
    (msg("new-2", "user-2"), None),
    (msg("same-thread-a", "user-3", "t-3"), None),
    (msg("same-thread-b", "user-3", "t-3", body="and again"), None),
    (msg("old-2", "user-retry"), None),  # a retry of a stored message: a replay
    (msg("follow-up", "user-old", "t-old", body="any news?"), None),  # its thread has a case
    (msg("keyed", "user-4"), "key-4"),
    (msg("new-3", "user-5"), None),
]


def fresh_engine(url: str) -> Engine:
    upgrade(url)
    return create_engine(url)


def seed(engine: Engine) -> None:
    with Session(engine) as session:
        for m in EARLIER:
            accept_message(session, m, idem_key=None, actor="channel", now=NOW, max_attempts=3)
        session.commit()


def one_by_one(engine: Engine) -> list[tuple[int, int, bool]]:
    with Session(engine) as session:
        outcomes = [
            accept_message(session, m, idem_key=key, actor="channel", now=NOW, max_attempts=3) for m, key in BURST
        ]
        session.commit()
    return [(o.result.case_id, o.result.message_id, o.created) for o in outcomes]


def as_the_writer_does(engine: Engine) -> list[tuple[int, int, bool]]:
    with Session(engine) as session:
        pending = PendingWrites()
        candidates = [Candidate(m, key, "channel") for m, key in BURST]
        firsts = ingest_first_messages(session.connection(), candidates, now=NOW, audit=pending.events)
        answers: list[tuple[int, int, bool]] = []
        for (m, key), first in zip(BURST, firsts, strict=True):
            if first is not None:
                pending.first_jobs[first.result.case_id] = {"message_id": first.result.message_id}
            else:
                first = accept_message(
                    session, m, idem_key=key, actor="channel", now=NOW, max_attempts=3, pending=pending
                )
            answers.append((first.result.case_id, first.result.message_id, first.created))
        pending.write(session.connection(), max_attempts=3, now=NOW)
        session.commit()
    return answers


def stored(engine: Engine) -> dict[str, Any]:
    """What a specialist and the workers would see, by external id rather than by generated id."""
    with Session(engine) as session:
        first_of_case = {
            c.id: session.exec(
                select(Message.external_id).where(Message.case_id == c.id).order_by(col(Message.id))
            ).first()
            for c in session.exec(select(Case)).all()
        }
        cases = {
            first_of_case[c.id]: (c.thread_key, c.requester_id, c.status, c.version, c.severity_rank)
            for c in session.exec(select(Case)).all()
        }
        messages = {
            m.external_id: (first_of_case[m.case_id], m.ingest_status, m.body, m.request_hash)
            for m in session.exec(select(Message)).all()
        }
        events = sorted((first_of_case[e.case_id], e.kind, e.actor) for e in session.exec(select(CaseEvent)).all())
        jobs = sorted(
            (first_of_case[j.case_id], j.kind, j.priority, j.status, str(j.payload.get("message_id") is not None))
            for j in session.exec(select(Job)).all()
        )
    return {"cases": cases, "messages": messages, "events": events, "jobs": jobs}


def test_a_mixed_burst_is_stored_as_the_one_message_path_stores_it(database_url: str) -> None:
    reference = fresh_engine(database_url)
    seed(reference)
    expected_answers = one_by_one(reference)
    expected = stored(reference)
    reference.dispose()
    if database_url.startswith("sqlite"):
        second_url = database_url.replace("triage.db", "triage-bulk.db")
    else:
        from tests.conftest import drop_pg, fresh_pg_url

        second_url = fresh_pg_url()
    bulk = fresh_engine(second_url)
    try:
        seed(bulk)
        answers = as_the_writer_does(bulk)
        assert stored(bulk) == expected
        created = [a[2] for a in answers]
        assert created == [a[2] for a in expected_answers] == [True, True, True, True, False, True, True, True]
        same_thread = {answers[2][0], answers[3][0]}
        assert len(same_thread) == 1, "two messages of one thread in one batch share a case"
    finally:
        bulk.dispose()
        if not second_url.startswith("sqlite"):
            drop_pg(second_url)


def test_first_messages_of_a_batch_take_the_set_based_path(database_url: str) -> None:
    engine = fresh_engine(database_url)
    try:
        seed(engine)
        with Session(engine) as session:
            candidates = [Candidate(m, key, "channel") for m, key in BURST]
            firsts = ingest_first_messages(session.connection(), candidates, now=NOW, audit=[])
            session.commit()
        taken = [c.message.external_id for c, f in zip(candidates, firsts, strict=True) if f is not None]
        assert taken == ["new-1", "new-2", "new-3"], "only plain first messages; the rest keep every rule"
    finally:
        engine.dispose()
