"""accept_message: the message and its draft job are one unit of work — both stored, or neither."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.cases.intake import accept_message
from app.cases.models import Message
from app.cases.schemas import MessageIn
from app.cases.service import IngestConflict
from app.db import make_engine
from app.jobs.models import Job
from app.migrate import upgrade

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
COINS = MessageIn.model_validate(
    {
        "channel": "in_app_chat",
        "external_id": "chat-1",
        "sender": {"id": "u-1", "kind": "user"},
        "body": "I paid for 1,000 coins but they never arrived",
    }
)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    upgrade(database_url)
    built = make_engine(database_url)
    yield built
    built.dispose()


def accept(engine: Engine, message: MessageIn, idem_key: str | None = None) -> tuple[int, int, bool]:
    with Session(engine, expire_on_commit=False) as session:
        outcome = accept_message(session, message, idem_key=idem_key, actor="test", now=NOW, max_attempts=3)
        session.commit()
    return outcome.result.case_id, outcome.result.message_id, outcome.created


def jobs(engine: Engine) -> list[Job]:
    with Session(engine) as session:
        return list(session.exec(select(Job).order_by(col(Job.id))))


def test_a_new_message_gets_one_screen_and_one_draft_job_and_replays_add_none(engine: Engine) -> None:
    case_id, message_id, created = accept(engine, COINS, idem_key="k-1")
    assert created
    screen, draft = sorted(jobs(engine), key=lambda j: j.priority)
    for job, kind in ((screen, "screen"), (draft, "draft")):
        assert (job.kind, job.case_id, job.payload, job.max_attempts, job.status) == (
            kind,
            case_id,
            {"message_id": message_id},
            3,
            "queued",
        )
    assert screen.priority < draft.priority, "risk screening runs ahead of drafting"
    assert accept(engine, COINS, idem_key="k-1") == (case_id, message_id, False)
    assert accept(engine, COINS) == (case_id, message_id, False)
    assert len(jobs(engine)) == 2


def test_nothing_is_stored_unless_the_caller_commits(engine: Engine) -> None:
    with Session(engine) as session:
        accept_message(session, COINS, idem_key=None, actor="test", now=NOW, max_attempts=3)
        session.rollback()
    with Session(engine) as session:
        assert session.exec(select(Message)).first() is None
    assert jobs(engine) == []


def test_a_conflicting_replay_raises_and_queues_nothing(engine: Engine) -> None:
    accept(engine, COINS)
    changed = COINS.model_copy(update={"body": "same id, other text"})
    with Session(engine) as session, pytest.raises(IngestConflict) as raised:
        accept_message(session, changed, idem_key=None, actor="test", now=NOW, max_attempts=3)
    assert raised.value.field == "external_id"
    assert len(jobs(engine)) == 2  # the first message's screen and draft, nothing for the conflict
