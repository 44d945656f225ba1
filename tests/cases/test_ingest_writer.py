"""Group-committed ingest: requests that share a transaction answer exactly as if each had come alone.

Real threads post real HTTP requests at once (released by a barrier), so the writer batches them; what is checked
is what a channel would notice: every accepted message stored once with its jobs and audit events, a bad token
refused without spoiling the others, and a message the database refuses answered 503 while the rest are stored.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, col, func, select

from app.cases.models import Case, CaseEvent, Message
from app.jobs.models import Job
from app.services import Services
from tests.api.test_flow import COINS
from tests.conftest import auth
from tests.review.test_races import at_once


def message(n: int, **changes: Any) -> dict[str, Any]:
    return {**COINS, "external_id": f"batch-{n}", "sender": {"id": f"user-{n}", "kind": "user"}, **changes}


def count(session: Session, model: Any, *where: Any) -> int:
    return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


def test_concurrent_ingests_store_each_message_once_with_its_jobs(
    client: TestClient, services: Services, tokens: dict[str, str]
) -> None:
    token = tokens["integration"]
    first = client.post("/v1/messages", json=message(0), headers=auth(token)).json()

    def post(i: int) -> Any:
        if 0 < i < 20:
            return client.post("/v1/messages", json=message(i), headers=auth(token))
        if i < 25:  # retries of message 0 (the channel did not hear the first answer)
            return client.post("/v1/messages", json=message(0), headers=auth(token))
        if i < 28:  # a bad token in the same instant
            return client.post("/v1/messages", json=message(i), headers=auth("tdk_not-a-token"))
        return client.post("/v1/messages", json=message(0, body="something else"), headers=auth(token))

    responses = at_once(30, post)

    codes = [r.status_code for r in responses]
    assert codes[:25] == [202] * 25 and codes[25:28] == [401] * 3 and codes[28:] == [422] * 2, codes
    assert all(r.json() == first for r in [responses[0], *responses[20:25]]), "a replay answers as the first did"
    with Session(services.engine) as session:
        assert count(session, Message) == 20
        assert count(session, Case) == 20
        case_ids = {r.json()["case_id"] for r in responses[:20]}
        for case_id in case_ids:
            kinds = sorted(session.exec(select(Job.kind).where(Job.case_id == case_id)).all())
            assert kinds == ["draft", "screen"], (case_id, kinds)
            events = session.exec(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)).all()
            assert sorted(events) == ["case_created", "message_received"]
        actors = set(session.exec(select(CaseEvent.actor).where(CaseEvent.kind == "message_received")).all())
        assert actors == {"test-integration"}


def test_follow_ups_in_one_burst_continue_one_case_with_one_set_of_jobs(
    client: TestClient, services: Services, tokens: dict[str, str]
) -> None:
    token = tokens["integration"]
    thread = {"sender": {"id": "user-thread", "kind": "user"}, "thread_id": "t-1"}

    responses = at_once(8, lambda i: client.post("/v1/messages", json=message(i, **thread), headers=auth(token)))

    assert [r.status_code for r in responses] == [202] * 8
    assert len({r.json()["case_id"] for r in responses}) == 1
    with Session(services.engine) as session:
        case = session.exec(select(Case)).one()
        assert case.version == 8, "every message bumps the case version: none is lost"
        jobs = session.exec(select(Job).where(Job.case_id == case.id)).all()
        assert sorted(j.kind for j in jobs) == ["draft", "screen"], "one unfinished job per kind, never one per message"
        newest = session.exec(select(Message.id).order_by(col(Message.id).desc())).first()
        assert all(j.payload["message_id"] == newest for j in jobs), "the jobs carry the newest message"


def test_a_message_the_database_refuses_is_503_and_the_others_are_stored(
    client: TestClient, services: Services, tokens: dict[str, str]
) -> None:
    with services.engine.begin() as conn:  # a real failure inside the database, for one message only
        if services.engine.dialect.name == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER poison BEFORE INSERT ON messages WHEN NEW.external_id = 'batch-5' "
                    "BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN IF NEW.external_id = 'batch-5' THEN "
                    "RAISE EXCEPTION 'refused by trigger'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(text("CREATE TRIGGER poison BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION poison()"))
    token = tokens["integration"]

    responses = at_once(12, lambda i: client.post("/v1/messages", json=message(i), headers=auth(token)))

    codes = [r.status_code for r in responses]
    assert codes[5] == 503 and "not accepted" in responses[5].json()["detail"], responses[5].text
    assert codes[:5] + codes[6:] == [202] * 11
    assert responses[5].headers["retry-after"]
    with Session(services.engine) as session:
        stored = set(session.exec(select(Message.external_id)).all())
        assert stored == {f"batch-{i}" for i in range(12)} - {"batch-5"}
        assert count(session, Job) == 22, "two jobs for every stored message, none for the refused one"
